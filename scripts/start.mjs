// `npm start`: installs what is missing, builds, then opens the Electron window — or, where
// the Electron runtime is not installed (machines that cannot download it), starts the
// loopback web host and prints the URL to open in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('bash', ['scripts/setup.sh']);
run('npm', ['run', '-s', 'build']);

let electronBinary = null;
try {
  const path = createRequire(import.meta.url)('electron');
  if (typeof path === 'string' && existsSync(path)) electronBinary = path;
} catch {
  electronBinary = null;
}

if (electronBinary && !process.argv.includes('--web')) {
  const child = spawn(electronBinary, ['dist/electron/main.cjs'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron runtime is not installed on this machine: starting the loopback web host instead.');
  console.log('Open the "open" URL below in Chromium/Chrome on this machine (it carries the one-time access token).');
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/serve.ts', ...process.argv.slice(2).filter((a) => a !== '--web')], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
