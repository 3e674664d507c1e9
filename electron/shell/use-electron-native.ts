// Imported first by main.ts, before anything can load a native module (see native-modules.ts).
// The bundle runs from dist/electron/, two levels below the repository root.
import { join } from 'node:path';
import { electronNativeDir, redirectNativeModules } from './native-modules';

const dir = electronNativeDir(process.versions, join(__dirname, '..', '..'));
if (dir) redirectNativeModules(dir);
