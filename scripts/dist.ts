// `npm run dist -- --store <id>`: one store's installer. `--print` shows the resolved
// electron-builder config without packaging (packaging downloads Electron).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listStores, storeBuilderConfig } from './lib/store-builds';

const { values } = parseArgs({ options: { store: { type: 'string' }, print: { type: 'boolean' } } });
if (!values.store) {
  console.error(`usage: npm run dist -- --store <id> [--print]\nstores: ${listStores().join(', ')}`);
  process.exit(2);
}
let config;
try {
  config = storeBuilderConfig(values.store);
} catch (err) {
  console.error(`store ${values.store}: ${(err as Error).message}`);
  process.exit(2);
}
if (values.print) {
  console.log(JSON.stringify(config, null, 2));
  process.exit(0);
}
mkdirSync('.tmp', { recursive: true });
const file = `.tmp/electron-builder.${values.store}.json`;
writeFileSync(file, JSON.stringify(config, null, 2));
for (const [cmd, args] of [
  ['npm', ['run', '-s', 'build']],
  ['npx', ['electron-builder', '--config', file]],
] as const) {
  const r = spawnSync(cmd, [...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
