// Builds the electron-builder config for one store's installer from the base YAML and that
// store's preset, validated with the same zod schema the app applies at run time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { StorePreset } from '../../shared/store-preset';

export const STORES_DIR = 'stores';

export function listStores(dir = STORES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadPreset(storeId: string, dir = STORES_DIR): StorePreset {
  const file = join(dir, `${storeId}.json`);
  const preset = StorePreset.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (preset.storeId !== storeId) throw new Error(`${file}: storeId "${preset.storeId}" does not match the file name`);
  return preset;
}

export function storeBuilderConfig(storeId: string, opts: { base?: string; dir?: string } = {}): Record<string, unknown> {
  const preset = loadPreset(storeId, opts.dir);
  const base = parse(readFileSync(opts.base ?? 'electron-builder.yml', 'utf8')) as Record<string, unknown>;
  return {
    ...base,
    artifactName: `\${productName}-${preset.storeId}-\${version}-\${os}-\${arch}.\${ext}`,
    extraResources: [{ from: join(opts.dir ?? STORES_DIR, `${storeId}.json`), to: 'store.json' }],
    directories: { ...(base.directories as object), output: `dist/installers/${preset.storeId}` },
    publish: [{ provider: 'generic', url: `https://updates.invalid/${preset.updateChannel}`, channel: preset.updateChannel }],
    extraMetadata: { storeId: preset.storeId },
  };
}
