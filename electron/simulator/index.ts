// The busifavor simulator: start it in-process with startSimulator, or standalone with `npm run sim`.
export { startSimulator, MAX_BODY_BYTES, type SimulatorOptions, type RunningSimulator, type SeedWithPartner } from './server';
export { SimAdmin, type SimSummary, type SimSettings } from './admin';
export { generateKeys, type SimKeys, type CredentialsLine, type CredentialFiles, type KeyMode } from './credentials';
export { parseFaultSpec, FAULT_KINDS, FaultSpecError, type FaultRule, type FaultKind, type FaultPhase } from './faults';
export { NOTIFY_DELIVERIES, NOTIFY_INTERVAL_MS, type DeliveryRecord, type DeliveryAttempt } from './notify';
export { DEFAULT_RATE_LIMIT } from './rate-limit';
export type { SeedSummary, SeedCoupon, SimState } from './state/index';
