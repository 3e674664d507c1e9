import { z } from 'zod';
import { StackingPolicy } from './contract/order';

/**
 * A store's non-secret preset, bundled into that store's installer and validated with this
 * same schema at build time (scripts/dist.ts) and at run time (the app refuses a bad one).
 */
export const StorePreset = z
  .object({
    storeId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes, 2..32'),
    storeName: z.string().min(1).max(40),
    mchid: z.string().regex(/^\d{8,15}$/),
    appid: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    acceptedStockIds: z.array(z.string().regex(/^\d{1,20}$/)).max(500),
    updateChannel: z.enum(['stable', 'beta']),
    tillIds: z
      .array(z.string().regex(/^[A-Za-z0-9-]{1,16}$/))
      .min(1)
      .max(50)
      .optional(),
    /** Loopback port of the register API (default 47820), where the store's register software calls. */
    registerPort: z.number().int().min(1024).max(65535).optional(),
    /** The store's rules for several coupons on one order (a manager may change them at the till). */
    stacking: StackingPolicy.optional(),
    /** Order amounts above this (fen) are far above the store's usual tickets: the till asks the cashier once. */
    largeAmountFen: z.number().int().min(100).max(100_000_000).optional(),
  })
  .strict();
export type StorePreset = z.infer<typeof StorePreset>;
