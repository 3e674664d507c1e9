import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PinBook } from '../../../electron/staff/pin-book';
import { testContext } from '../../helpers/context';
import { keyVector } from '../wechatpay/support/vectors';

// The app's own logger, as the till uses it: whatever secret the process has held — the APIv3
// key and private key from the keychain, a manager's PIN — is blanked in every line written,
// however it got into the error (a library quoting its input, a message built carelessly).
const APIV3 = 'Zq3vB7nR1xK9sL2mP5tW8yC4eH6jA0dF';
const pem = keyVector('java_merchant_rsa').private_key_pkcs8_pem;
let ctx: ReturnType<typeof testContext>;
const logText = () => readFileSync(join(ctx.dir, 'logs', 'app.log'), 'utf8');

beforeAll(async () => {
  ctx = testContext('web');
  // What provisioning and every session open do: the secrets pass through the keychain store.
  await ctx.secrets.set('apiv3_key', APIV3);
  await ctx.secrets.set('merchant_private_key', pem);
});
afterAll(async () => {
  await ctx.secrets.delete('apiv3_key');
  await ctx.secrets.delete('merchant_private_key');
  await ctx.secrets.delete('manager_pin_hash');
  await ctx.close();
});

describe('the log redacts every secret the till holds', () => {
  it('an error quoting the APIv3 key is written redacted', () => {
    ctx.log.error('notify.decrypt_failed', { error: new Error(`AEAD open failed with key ${APIV3} for nonce abc`) });
    const text = logText();
    expect(text).toContain('notify.decrypt_failed');
    expect(text).toContain('AEAD open failed with key [redacted] for nonce abc');
    expect(text).not.toContain(APIV3);
  });

  it('an error quoting the private key, whole or one line of it, is written redacted', () => {
    const bodyLine = pem.split('\n').find((l) => l.length > 60)!;
    ctx.log.error('sign.failed', { error: new Error(`bad key:\n${pem}`) });
    ctx.log.error('sign.failed', { error: new Error(`unexpected input near ${bodyLine}`), detail: { key: pem.replace(/-----[A-Z ]+-----/g, '') } });
    const text = logText();
    expect(text).not.toContain(bodyLine);
    for (const line of pem.split('\n').filter((l) => l.length > 40)) expect(text).not.toContain(line);
    expect(text).not.toMatch(/BEGIN PRIVATE KEY/);
  });

  it("a manager's PIN is blanked where it stands alone, not inside a longer number", async () => {
    await new PinBook(ctx.secrets).set('M01', '482913');
    ctx.log.warn('manager.debug', { pin: '482913', note: 'typed 482913 twice', requestNo: 'R1482913', amount: 14829130 });
    const line = logText().trim().split('\n').at(-1)!;
    expect(line).not.toMatch(/(?<!\d)482913(?!\d)/);
    expect(JSON.parse(line)).toMatchObject({ pin: '[redacted]', note: 'typed [redacted] twice', requestNo: 'R1482913', amount: 14829130 });
  });
});
