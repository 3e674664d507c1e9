// A till against the simulator: the POS services over a fresh data directory, with the
// drainer's retries immediate (zero jitter) and a fast connectivity probe, so tests wait on
// outcomes rather than on time.
import { createPosServices, type PosServices } from '../../../../electron/pos';
import { tcpProbe } from '../../../../electron/queue';
import { APPID, tempDir, type TestSim } from '../../queue/support/sim';

export const TILL = 'TILL-01';

export interface Till extends PosServices {
  dir: string;
}

export function openTill(t: TestSim, options: { liveTimeoutMs?: number; dir?: string } = {}): Till {
  const d = options.dir ? { path: options.dir, remove: () => undefined } : tempDir('till-');
  const services = createPosServices({
    dataDir: d.path,
    client: t.client,
    appid: APPID,
    mchid: t.sim.credentials.mchid,
    tillId: TILL,
    probe: tcpProbe(t.sim.url, 500),
    drainer: { random: () => 0, refreshIntervalMs: 0, probeIntervalMs: 50 },
    liveTimeoutMs: options.liveTimeoutMs ?? 5_000,
  });
  return {
    ...services,
    dir: d.path,
    close: async (graceMs?: number) => {
      await services.close(graceMs ?? 500);
      d.remove();
    },
  };
}
