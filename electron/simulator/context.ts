// The parts of one running simulator, shared by the /v3 pipeline and the /_sim admin API.
import type { MerchantKeys } from './auth';
import type { CredentialsLine, SimKeys } from './credentials';
import type { FaultPlan } from './faults';
import type { Notifier } from './notify';
import type { RateLimiter } from './rate-limit';
import type { ResponseSigning } from './signing';
import type { SeedSummary, SimState } from './state/index';
import type { StateDir } from './state-dir';

export interface HttpStats {
  requests: number;
  statuses: Record<string, number>;
}

export interface SimContext {
  state: SimState;
  keys: SimKeys;
  merchantKeys: MerchantKeys;
  signing: ResponseSigning;
  faults: FaultPlan;
  rateLimiter: RateLimiter;
  notifier: Notifier;
  stateDir: StateDir | undefined;
  /** Protocol clock (ms): signature windows and response timestamps. */
  now: () => number;
  /** Per endpoint id (or `certificates`, `unrouted`): what the HTTP layer answered. */
  stats: Map<string, HttpStats>;
  credentials: () => CredentialsLine;
  /** Seeds demo data for the merchant (used at start and by reset). */
  reseed: () => SeedSummary;
  /** Writes the key store again (after a certificate rotation). */
  saveKeys: () => void;
  seedSummary: unknown;
}
