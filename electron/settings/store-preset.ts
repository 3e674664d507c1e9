import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorePreset } from '../../shared/store-preset';

export type PresetLoad = { preset: StorePreset | null; source: string | null; error?: string };

/**
 * Packaged installers carry `store.json` in their resources; developers and IT can point
 * POS_STORE_PRESET at a file. No preset is fine (training, or a generic install); an invalid
 * one is reported by app.health rather than silently ignored.
 */
export function loadStorePreset(opts: { env?: NodeJS.ProcessEnv; resourcesPath?: string } = {}): PresetLoad {
  const env = opts.env ?? process.env;
  const candidates = [env.POS_STORE_PRESET, opts.resourcesPath && join(opts.resourcesPath, 'store.json')].filter((p): p is string => !!p);
  const source = candidates.find((p) => existsSync(p));
  if (!source) return { preset: null, source: null };
  try {
    const parsed = StorePreset.safeParse(JSON.parse(readFileSync(source, 'utf8')));
    if (parsed.success) return { preset: parsed.data, source };
    const first = parsed.error.issues[0];
    return { preset: null, source, error: `${first?.path.join('.') || '(root)'}: ${first?.message}` };
  } catch (err) {
    return { preset: null, source, error: (err as Error).message };
  }
}

/** Which till this process is: POS_TILL_ID, else the store's first till, else T01 (the app and posctl agree). */
export function tillIdFrom(env: NodeJS.ProcessEnv, preset: StorePreset | null): string {
  return env.POS_TILL_ID ?? preset?.tillIds?.[0] ?? 'T01';
}
