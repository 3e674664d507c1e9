// `npm start`: installs what is missing, builds, then opens the Electron window — with the
// Electron runtime installed where it can be downloaded and the native modules built for it —
// or, where Electron cannot be had, says why in one sentence and starts the loopback web host,
// printing the URL to open in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, electronNativeBuilds } from './lib/electron-runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('bash', ['scripts/setup.sh']);
run('npm', ['run', '-s', 'build']);

/** Opens the Electron window; otherwise says why not (null when it opened). */
async function openDesktop() {
  const found = electronBinary(root);
  if (!found.binary) return `the Electron runtime is not available: ${found.reason}`;
  const electronDir = join(root, 'node_modules', 'electron');
  const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  const abi = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
  const native = await electronNativeBuilds(root, { electronVersion, abi });
  if (!native.ok) return `the journal and keychain modules could not be built for Electron ${electronVersion} (${native.reason})`;
  const child = spawn(found.binary, ['dist/electron/main.cjs'], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
  return null;
}

const webOnly = process.argv.includes('--web');
const notDesktop = webOnly ? 'you asked for it (--web)' : await openDesktop();
if (notDesktop !== null) {
  console.log(`Starting the loopback web host instead of the desktop window, because ${notDesktop}.`);
  console.log('Open the "open" URL below in Chromium/Chrome on this machine (it carries the one-time access token).');
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/serve.ts', ...process.argv.slice(2).filter((a) => a !== '--web')], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
}
