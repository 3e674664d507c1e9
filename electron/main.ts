// Electron entry point (bundled to dist/electron/main.cjs). All logic lives in shell/ and app/.
import { defaultShellPaths, startShell } from './shell/start';

startShell(defaultShellPaths(__dirname));
