import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { StorePreset } from '../../shared/store-preset';
import { loadStorePreset } from '../../electron/settings/store-preset';
import { listStores, loadPreset, storeBuilderConfig } from '../../scripts/lib/store-builds';
import { tempDir } from '../helpers/context';

describe('packaging', () => {
  it('every store preset in stores/ validates with the run-time schema', () => {
    const stores = listStores();
    expect(stores.length).toBeGreaterThanOrEqual(2);
    for (const id of stores) expect(StorePreset.safeParse(loadPreset(id)).success).toBe(true);
  });

  it('the base config hardens the packaged app with Electron fuses and ships every platform', () => {
    const base = parse(readFileSync('electron-builder.yml', 'utf8'));
    expect(base.asar).toBe(true);
    expect(base.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(base.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis']);
    expect(base.linux.target).toEqual(['deb', 'AppImage']);
    expect(base.mac.target).toEqual(['dmg']);
    expect(base.appId).toMatch(/^[a-z0-9.]+$/);
    expect(base.productName).toBe('商家券收银台');
  });

  it('a store build bundles that store preset and names the artifact after the store', () => {
    const config = storeBuilderConfig('shanghai-xuhui-01');
    expect(config.extraResources).toEqual([{ from: join('stores', 'shanghai-xuhui-01.json'), to: 'store.json' }]);
    expect(config.artifactName).toBe('${productName}-shanghai-xuhui-01-${version}-${os}-${arch}.${ext}');
    expect(config.directories).toMatchObject({ output: 'dist/installers/shanghai-xuhui-01' });
    expect(config.publish).toEqual([{ provider: 'generic', url: 'https://updates.invalid/stable', channel: 'stable' }]);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true });
    expect(storeBuilderConfig('hangzhou-xihu-02').publish).toEqual([{ provider: 'generic', url: 'https://updates.invalid/beta', channel: 'beta' }]);
  });

  it('the packaged app reads resources/store.json with the same schema', () => {
    const resources = tempDir();
    writeFileSync(join(resources, 'store.json'), readFileSync('stores/shanghai-xuhui-01.json'));
    expect(loadStorePreset({ env: {}, resourcesPath: resources }).preset?.storeId).toBe('shanghai-xuhui-01');
  });

  it('refuses a preset that is invalid or whose id does not match its file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-store.json'), JSON.stringify({ ...loadPreset('shanghai-xuhui-01'), storeId: 'other-store' }));
    expect(() => storeBuilderConfig('a-store', { dir })).toThrow(/does not match/);
    writeFileSync(join(dir, 'b-store.json'), JSON.stringify({ ...loadPreset('shanghai-xuhui-01'), storeId: 'b-store', mchid: 'abc' }));
    expect(() => storeBuilderConfig('b-store', { dir })).toThrow();
    writeFileSync(join(dir, 'c-store.json'), JSON.stringify({ ...loadPreset('shanghai-xuhui-01'), storeId: 'c-store', apiKey: 'x' }));
    expect(() => storeBuilderConfig('c-store', { dir })).toThrow();
  });
});
