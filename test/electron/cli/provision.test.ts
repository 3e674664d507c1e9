import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { SettingsStore, trainingNamespace } from '../../../electron/settings/settings';
import { tempDir } from '../../helpers/context';
import { keyVector } from '../wechatpay/support/vectors';

const merchant = keyVector('java_merchant_rsa');
const platform = keyVector('java_wechatpay_rsa');
const other = keyVector('official_doc_test_rsa');
const APIV3 = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
const MCHID = '1234567891';
const PUBKEY_ID = 'PUB_KEY_ID_0112345678901234567890123456789012';

function files() {
  const dir = tempDir('posctl-files-');
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  return {
    dir,
    key: write('apiclient_key.pem', merchant.private_key_pkcs8_pem),
    cert: write('apiclient_cert.pem', merchant.certificate_pem!),
    otherKey: write('other_key.pem', other.private_key_pkcs8_pem),
    apiv3: write('apiv3.txt', `${APIV3}\n`),
    pub: write('pub.pem', platform.public_key_spki_pem!),
  };
}

async function posctl(dataDir: string, argv: string[]) {
  const lines: string[] = [];
  const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: dataDir });
  return { code, out: JSON.parse(lines.at(-1)!) };
}

const provisionArgs = (f: ReturnType<typeof files>, key = f.key) => [
  'provision',
  '--mchid',
  MCHID,
  '--appid',
  'wx8888888888888888',
  '--key',
  key,
  '--cert',
  f.cert,
  '--apiv3-key-file',
  f.apiv3,
  '--public-key',
  f.pub,
  '--public-key-id',
  PUBKEY_ID,
];

/** Every file under dir, as text, for scanning for key material. */
function allText(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, name);
    if (statSync(p).isFile()) text += readFileSync(p).toString('latin1');
  }
  return text;
}

describe('posctl provision (real keychain)', () => {
  it('provisions from pem files: secrets in the keychain, nothing secret on disk or stdout', async () => {
    const f = files();
    const data = tempDir();
    const r = await posctl(data, provisionArgs(f));
    expect(r.code).toBe(0);
    expect(r.out.provisioned).toMatchObject({ mchid: MCHID, merchantSerial: merchant.certificate_serial, verification: 'public_key', training: false });
    const settings = new SettingsStore(data).read();
    const store = new KeytarSecretStore(settings.profileId);
    expect(await store.get('apiv3_key')).toBe(APIV3);
    expect(await store.get('merchant_private_key')).toContain('BEGIN PRIVATE KEY');
    const keyBody = merchant.private_key_pkcs8_pem.split('\n')[5]!;
    const disk = allText(data) + JSON.stringify(r.out);
    expect(disk).not.toContain(keyBody);
    expect(disk).not.toContain(APIV3);
    expect(disk).not.toContain('PRIVATE KEY');
    const d = await posctl(data, ['deprovision']);
    expect(d.code).toBe(0);
    expect(await store.get('merchant_private_key')).toBeNull();
    expect(new SettingsStore(data).read().merchant).toBeNull();
  });

  it('provisions from apiclient_cert.p12 with the mchid as default password', async () => {
    const f = files();
    const key = forge.pki.privateKeyFromPem(merchant.private_key_pkcs8_pem);
    const cert = forge.pki.certificateFromPem(merchant.certificate_pem!);
    const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], MCHID, { algorithm: '3des' });
    const p12Path = join(f.dir, 'apiclient_cert.p12');
    writeFileSync(p12Path, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
    const data = tempDir();
    const r = await posctl(data, [
      'provision',
      '--mchid',
      MCHID,
      '--appid',
      'wx8888888888888888',
      '--p12',
      p12Path,
      '--apiv3-key-file',
      f.apiv3,
      '--public-key',
      f.pub,
      '--public-key-id',
      PUBKEY_ID,
    ]);
    expect(r.code).toBe(0);
    expect(r.out.provisioned.merchantSerial).toBe(merchant.certificate_serial);
    const nope = join(f.dir, 'p12-password.txt');
    writeFileSync(nope, 'nope\n');
    const wrongPw = await posctl(tempDir(), [
      'provision',
      '--mchid',
      MCHID,
      '--appid',
      'wx8888888888888888',
      '--p12',
      p12Path,
      '--p12-password-file',
      nope,
      '--apiv3-key-file',
      f.apiv3,
      '--public-key',
      f.pub,
      '--public-key-id',
      PUBKEY_ID,
    ]);
    expect(wrongPw.code).toBe(6);
  });

  it('takes the PKCS#12 password from a file or stdin only, and logs it nowhere', async () => {
    const f = files();
    const password = 'Store-42 "p12" pass';
    const key = forge.pki.privateKeyFromPem(merchant.private_key_pkcs8_pem);
    const cert = forge.pki.certificateFromPem(merchant.certificate_pem!);
    const p12Path = join(f.dir, 'apiclient_cert.p12');
    writeFileSync(p12Path, Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: '3des' })).getBytes(), 'binary'));
    const args = [
      'provision',
      '--mchid',
      MCHID,
      '--appid',
      'wx8888888888888888',
      '--p12',
      p12Path,
      '--apiv3-key-file',
      f.apiv3,
      '--public-key',
      f.pub,
      '--public-key-id',
      PUBKEY_ID,
    ];
    const onCommandLine = await posctl(tempDir(), [...args, '--p12-password', password]);
    expect(onCommandLine).toMatchObject({ code: 2, out: { error: { message: expect.stringMatching(/--p12-password-file/) } } });
    expect(JSON.stringify(onCommandLine.out)).not.toContain(password);
    const data = tempDir();
    const fromStdin = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/posctl.ts', ...args, '--p12-password-file', '-'], {
      input: `${password}\n`,
      env: { ...process.env, POS_DATA_DIR: data },
      encoding: 'utf8',
    });
    expect(fromStdin.status).toBe(0);
    expect(JSON.parse(fromStdin.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: true, provisioned: { merchantSerial: merchant.certificate_serial } });
    const log = readFileSync(join(data, 'logs', 'app.log'), 'utf8');
    expect(log).toContain('merchant.provisioned');
    expect(log).not.toContain('p12" pass');
  }, 60_000);

  it('a key that does not match the certificate is a clear configuration error (exit 6), and writes nothing', async () => {
    const f = files();
    const data = tempDir();
    const r = await posctl(data, provisionArgs(f, f.otherKey));
    expect(r.code).toBe(6);
    expect(r.out.error.message).toMatch(/match|certificate/i);
    expect(JSON.stringify(r.out)).not.toContain('PRIVATE KEY');
    const settings = new SettingsStore(data).read();
    expect(settings.merchant).toBeNull();
    expect(await new KeytarSecretStore(settings.profileId).get('merchant_private_key')).toBeNull();
  });

  it('bad input is exit 2; a short APIv3 key or bad public key id is exit 6', async () => {
    const f = files();
    expect((await posctl(tempDir(), ['provision', '--mchid', MCHID])).code).toBe(2);
    expect((await posctl(tempDir(), ['frobnicate'])).code).toBe(2);
    expect((await posctl(tempDir(), [...provisionArgs(f).slice(0, -1), 'KEY_1'])).code).toBe(6);
    writeFileSync(f.apiv3, 'too-short');
    expect((await posctl(tempDir(), provisionArgs(f))).code).toBe(6);
  });

  it('provision --training sets up the practice merchant in its own record and namespace; live provisioning retires it', async () => {
    const data = tempDir();
    const r = await posctl(data, ['provision', '--training']);
    expect(r).toMatchObject({ code: 0, out: { provisioned: { training: true, verification: 'public_key' } } });
    const settings = new SettingsStore(data).read();
    expect(settings).toMatchObject({ merchant: null, training: { baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) } });
    const practice = new KeytarSecretStore(trainingNamespace(settings.profileId));
    const live = new KeytarSecretStore(settings.profileId);
    expect(await practice.has('merchant_private_key')).toBe(true);
    expect(await live.has('merchant_private_key')).toBe(false);

    expect(await posctl(data, provisionArgs(files()))).toMatchObject({ code: 0, out: { provisioned: { training: false } } });
    expect(new SettingsStore(data).read()).toMatchObject({ mode: 'live', merchant: { mchid: MCHID }, training: null });
    const liveKey = await live.get('merchant_private_key');
    expect(liveKey).toContain('PRIVATE KEY');
    // Practice cannot be provisioned over a live merchant, and a live merchant cannot be pointed at a simulator.
    expect(await posctl(data, ['provision', '--training'])).toMatchObject({ code: 6, out: { error: { message: expect.stringMatching(/live merchant/) } } });
    expect(await posctl(data, [...provisionArgs(files()), '--base-url', 'http://127.0.0.1:9'])).toMatchObject({
      code: 6,
      out: { error: { message: expect.stringMatching(/own hosts/) } },
    });
    expect(await live.get('merchant_private_key')).toBe(liveKey);
    expect(new SettingsStore(data).read()).toMatchObject({ mode: 'live', merchant: { mchid: MCHID }, training: null });
    await live.delete('merchant_private_key');
    await live.delete('apiv3_key');
  }, 60_000);

  it('npm run posctl works as a separate process with POS_DATA_DIR', () => {
    const data = tempDir();
    const r = spawnSync('npm', ['run', '-s', 'posctl', '--', 'health'], { env: { ...process.env, POS_DATA_DIR: data }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: true, keychain: 'ok', merchant: null });
    expect(statSync(join(data, 'settings.json')).isFile()).toBe(true);
  }, 60_000);
});
