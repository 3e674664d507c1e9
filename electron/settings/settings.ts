import { randomUUID } from 'node:crypto';
import Conf from 'conf';
import { z } from 'zod';
import { AppMode } from '../../shared/contract';

/** Non-secret settings. Secrets (private key, APIv3 key) live only in the OS keychain. */
export const SettingsSchema = z.object({
  /** Namespaces this install's keychain entries, so two profiles on one machine never collide. */
  profileId: z.string().uuid(),
  mode: AppMode.default('training'),
  merchant: z
    .object({
      mchid: z.string().regex(/^\d{8,15}$/),
      appid: z.string().min(1).max(32),
      merchantSerial: z.string().regex(/^[0-9A-F]{8,64}$/),
      verification: z.enum(['public_key', 'certificate', 'both']),
      wechatpayPublicKeyId: z.string().regex(/^PUB_KEY_ID_\d+$/).optional(),
      wechatpayPublicKeyPem: z.string().optional(),
      /** Only for training against the embedded simulator (loopback); live merchants use WeChat's hosts. */
      baseUrl: z.string().url().optional(),
      /** Provisioned against the embedded simulator: every operation is marked as training. */
      training: z.boolean().default(false),
      provisionedAt: z.string(),
    })
    .nullable()
    .default(null),
  /** Receipt slips: the paper's width, and the printer the desktop app prints them to without a dialog. */
  printer: z.object({ paperMm: z.union([z.literal(58), z.literal(80)]), device: z.string().max(200).nullable() }).optional(),
  /** The manager-PIN lock (counts, not secrets), so that restarting the app does not reset it. */
  pinLock: z.object({ failures: z.number().int().min(0), lockedUntil: z.number().min(0), locks: z.number().int().min(0) }).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export class SettingsStore {
  private readonly conf: Conf<Record<string, unknown>>;

  constructor(dataDir: string) {
    this.conf = new Conf({ cwd: dataDir, configName: 'settings', projectName: 'busifavor-till', clearInvalidConfig: false });
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
