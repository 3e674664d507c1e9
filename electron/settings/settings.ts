import { randomUUID } from 'node:crypto';
import Conf from 'conf';
import { z } from 'zod';
import { AppMode } from '../../shared/contract';

/** A merchant as provisioned: ids, serial, how answers are verified. Its keys are in the keychain. */
export const MerchantRecord = z.object({
  mchid: z.string().regex(/^\d{8,15}$/),
  appid: z.string().min(1).max(32),
  merchantSerial: z.string().regex(/^[0-9A-F]{8,64}$/),
  verification: z.enum(['public_key', 'certificate', 'both']),
  wechatpayPublicKeyId: z
    .string()
    .regex(/^PUB_KEY_ID_\d+$/)
    .optional(),
  wechatpayPublicKeyPem: z.string().optional(),
  /** The simulator's loopback address; only a practice merchant has one (a live merchant uses WeChat Pay's hosts). */
  baseUrl: z.string().url().optional(),
  provisionedAt: z.string(),
});
export type MerchantRecord = z.infer<typeof MerchantRecord>;

/**
 * Files written before live and practice merchants were kept apart held the practice merchant
 * in `merchant` with `training: true`. Such a record is not a live merchant: it is dropped (the
 * practice merchant is provisioned afresh on every start), so no flag can make a live merchant.
 */
const liveOnly = (value: unknown) => (value && typeof value === 'object' && (value as { training?: unknown }).training === true ? null : value);

/**
 * Non-secret settings. Secrets (private key, APIv3 key) live only in the OS keychain. The live
 * merchant and the practice merchant are separate records with separate keychain namespaces,
 * so nothing done for practice can touch the live merchant's keys, and no field here can
 * point the live merchant anywhere but WeChat Pay's own hosts.
 */
export const SettingsSchema = z.object({
  /** Namespaces this install's keychain entries (the live merchant's, managers' PINs), so two profiles on one machine never collide. */
  profileId: z.string().uuid(),
  mode: AppMode.default('training'),
  /** The live merchant, provisioned by store IT. */
  merchant: z.preprocess(liveOnly, MerchantRecord.nullable().default(null)),
  /** The practice merchant: the embedded simulator (or a simulator's credentials file), on loopback. */
  training: MerchantRecord.nullable().default(null),
  /** The chain's events server this till asks about codes it does not know (its credential is in the keychain). */
  events: z.object({ url: z.string().url(), lookupBudgetMs: z.number().int().min(50).max(10_000).default(300) }).optional(),
  /** Receipt slips: the paper's width, and the printer the desktop app prints them to without a dialog. */
  printer: z.object({ paperMm: z.union([z.literal(58), z.literal(80)]), device: z.string().max(200).nullable() }).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * The practice merchant's keychain namespace, derived from the profile so that no settings
 * field can make it the live one's (entries are `<namespace>/<name>`).
 */
export const trainingNamespace = (profileId: string) => `${profileId}/training`;

export class SettingsStore {
  private readonly conf: Conf<Record<string, unknown>>;

  constructor(dataDir: string) {
    this.conf = new Conf({ cwd: dataDir, configName: 'settings', projectName: 'busifavor-till', clearInvalidConfig: false, configFileMode: 0o600 });
    if (!this.conf.get('profileId')) this.conf.set('profileId', randomUUID());
  }

  /** Parsed with the schema every time: a hand-edited, invalid file is reported, never half-used. */
  read(): Settings {
    return SettingsSchema.parse(this.conf.store);
  }

  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.parse({ ...this.conf.store, ...patch });
    this.conf.store = next as unknown as Record<string, unknown>;
    return next;
  }

  get path(): string {
    return this.conf.path;
  }
}
