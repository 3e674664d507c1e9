// Electron entry point (bundled to dist/electron/main.cjs). All logic lives in shell/ and app/.
// The native-module redirect must run before anything loads better-sqlite3 or keytar.
import './shell/use-electron-native';
import { defaultShellPaths, startShell } from './shell/start';

startShell(defaultShellPaths(__dirname));
