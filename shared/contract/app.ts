import { z } from 'zod';
import { Fen } from '../money';

export const AppMode = z.enum(['training', 'live']);
export type AppMode = z.infer<typeof AppMode>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: AppMode,
  host: z.enum(['electron', 'web']),
  /** Where settings and the journal live: chosen by POS_DATA_DIR, the OS default, or Electron's userData. */
  dataDir: z.object({ kind: z.enum(['env', 'default', 'electron']), path: z.string() }),
  store: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** This till's id (the store preset's first, or POS_TILL_ID), as slips and reports name it. */
  tillId: z.string(),
  /** A typed order amount above this is confirmed once by the cashier (the store preset's, or ¥2,000). */
  largeAmountFen: Fen,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const HealthCheckId = z.enum(['data_dir', 'keychain', 'merchant', 'store_preset', 'wechatpay', 'events']);
export const HealthStatus = z.enum(['ok', 'warn', 'fail']);

export const HealthCheck = z.object({
  id: HealthCheckId,
  status: HealthStatus,
  /** Stable reason code for the UI's sentence, e.g. `data_dir.not_writable`. */
  reason: z.string(),
  detail: z.string(),
});
export type HealthCheck = z.infer<typeof HealthCheck>;

export const AppHealth = z.object({
  status: HealthStatus,
  checkedAt: z.string(),
  checks: z.array(HealthCheck),
});
export type AppHealth = z.infer<typeof AppHealth>;
