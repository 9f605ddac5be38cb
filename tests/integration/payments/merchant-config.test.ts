// 收款设置 through the API on a real till: owner-only (refused for a cashier and a manager in the main
// process), secrets sealed at rest and never in a response, the database or the log, an audit row per
// change naming fields only, readMerchantConfig for the payments service, and 测试连接 against the
// Alipay and WeChat simulators (a signed "no such trade" is success; a wrong key says which).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readMerchantConfig } from '../../../electron/payments/merchant-config';
import { KEY_FILE, keyFileCipher, safeStorageCipher, useSecretCipher, type SafeStorageLike } from '../../../electron/payments/secrets';
import { verifyAuditChain } from '../../../electron/till/audit';
import { FakeAlipay } from '../../fakes/alipay';
import { makePaymentKeys, type PaymentKeys } from '../../fakes/payment-keys';
import { WechatPayFake } from '../../fakes/wechat-pay';
import { tempTill, type TempTill } from '../../support/temp-till';

process.env.TILL_SECRET_STORE = 'file'; // never the developer's real key store from a test

let keys: PaymentKeys;
let alipayFake: FakeAlipay;
let wechatFake: WechatPayFake;
let t: TempTill;
const APP_ID = '2021000000000001';
const API_V3 = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
let logged = '';
let restore: () => void;

/** A 60-character slice from the middle of a PEM's body: present wherever the key leaked. */
const bodySlice = (pem: string) => pem.split('\n').slice(3, 4).join('');

function secretsIn(text: string): string[] {
  const needles = {
    appPrivate: bodySlice(keys.merchant.privateKeyPem),
    wechatPrivate: bodySlice(wechatFake.keys.merchant.privateKeyPem),
    apiV3: API_V3,
  };
  return Object.entries(needles)
    .filter(([, n]) => text.includes(n))
    .map(([k]) => k);
}

beforeAll(async () => {
  keys = makePaymentKeys();
  alipayFake = await FakeAlipay.start({ appPublicKeyPem: keys.merchant.publicKeyPem, alipayPrivateKeyPem: keys.platform.privateKeyPem, appId: APP_ID });
  wechatFake = await WechatPayFake.start();
});
afterAll(async () => {
  await alipayFake.close();
  await wechatFake.close();
});
beforeEach(async () => {
  t = tempTill();
  await t.loginAs('owner');
  // Everything the till logs goes to stderr as JSON lines: keep a copy to search for secrets.
  logged = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged += String(chunk);
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  restore = () => (process.stderr.write = write);
});
afterEach(() => {
  restore();
  t.cleanup();
});

const saveAlipay = () =>
  t.call('merchant.saveAlipay', {
    enabled: true,
    env: 'sandbox',
    baseUrl: alipayFake.url,
    appId: APP_ID,
    appPrivateKeyPem: keys.merchant.privateKeyPem,
    alipayPublicKeyPem: keys.platform.publicKeyPem,
  });

const saveWechat = () =>
  t.call('merchant.saveWechat', {
    enabled: true,
    baseUrl: wechatFake.url,
    mchid: wechatFake.mchid,
    appid: wechatFake.appid,
    merchantSerialNo: wechatFake.merchantSerialNo,
    merchantPrivateKeyPem: wechatFake.keys.merchant.privateKeyPem,
    platformPublicKeyPem: wechatFake.keys.platform.publicKeyPem,
    platformPublicKeyId: wechatFake.platformPublicKeyId,
    apiV3Key: API_V3,
  });

const settingsRows = () => t.till.sqlite.prepare("SELECT key, value FROM settings WHERE key LIKE 'payments.merchant.%'").all() as { key: string; value: string }[];
const auditRows = () =>
  t.till.sqlite.prepare("SELECT user_id AS userId, action, target, details FROM audit_log WHERE action LIKE 'merchant.%' ORDER BY seq").all() as {
    userId: string;
    action: string;
    target: string;
    details: string;
  }[];

describe('permissions', () => {
  it('a cashier and a manager are refused every merchant endpoint; nothing is written', async () => {
    for (const role of ['cashier', 'manager'] as const) {
      await t.call('auth.logout', {}).catch(() => undefined);
      await t.loginAs(role);
      for (const [name, input] of [
        ['merchant.settings', {}],
        ['merchant.saveAlipay', { appId: APP_ID }],
        ['merchant.saveWechat', { mchid: '1900000109' }],
        ['merchant.testConnection', { provider: 'alipay' }],
      ] as const) {
        await expect(t.callRaw(name, input)).rejects.toMatchObject({ code: 'FORBIDDEN', message: '需要店主权限' });
      }
    }
    expect(settingsRows()).toEqual([]);
    expect(auditRows()).toEqual([]);
  });
});

describe('saving and reading', () => {
  it('a save answers hints only; the database holds the keys sealed; the log never sees them', async () => {
    const view = await saveAlipay();
    const w = await saveWechat();
    expect(view.alipay).toMatchObject({ complete: true, enabled: true, env: 'sandbox', appId: APP_ID, effectiveBaseUrl: alipayFake.url, missing: [] });
    expect(view.alipay.appPrivateKey).toMatchObject({ set: true, hint: expect.stringMatching(/^SHA256:[0-9A-F]{8}…[0-9A-F]{8}$/) });
    expect(w.wechat.apiV3Key).toEqual({ set: true, hint: `…${API_V3.slice(-4)}` });
    expect(w.wechat).toMatchObject({ complete: true, mchid: wechatFake.mchid, platformPublicKeyId: wechatFake.platformPublicKeyId });
    const again = await t.call('merchant.settings', {});
    for (const text of [JSON.stringify(view), JSON.stringify(w), JSON.stringify(again)]) expect(secretsIn(text)).toEqual([]);
    expect(JSON.stringify(again)).not.toContain('BEGIN');
    // At rest: sealed by the fallback key file on this machine (no OS key store here), and the view says so.
    expect(again.secretStore).toEqual({ kind: 'local-key-file', label: '密钥以本机文件加密（未使用系统钥匙串）', warning: '密钥以本机文件加密（未使用系统钥匙串）' });
    const rows = settingsRows();
    expect(rows.map((r) => r.key).sort()).toEqual(['payments.merchant.alipay', 'payments.merchant.wechat']);
    expect(secretsIn(JSON.stringify(rows))).toEqual([]);
    expect(rows.find((r) => r.key.endsWith('alipay'))!.value).toContain('"kind":"local-key-file"');
    expect(readFileSync(join(t.dataDir, KEY_FILE)).length).toBe(32);
    // The payments service gets them back in clear.
    const a = readMerchantConfig(t.till, 'alipay')!;
    expect(a.transport).toEqual({ baseUrl: alipayFake.url, timeoutMs: 10_000 });
    expect(a.config.appId).toBe(APP_ID);
    expect(a.config.appPrivateKeyPem.replace(/\s/g, '')).toBe(keys.merchant.privateKeyPem.replace(/\s/g, ''));
    const wc = readMerchantConfig(t.till, 'wechat')!;
    expect(wc.config.apiV3Key).toBe(API_V3);
    expect(wc.config.platformPublicKeyPem.replace(/\s/g, '')).toBe(wechatFake.keys.platform.publicKeyPem.replace(/\s/g, ''));
    // Connection tests log their outcome; nothing secret reached the log on the way.
    await t.call('merchant.testConnection', { provider: 'alipay' });
    // Refusals are logged with their details: a real key inside a refused request stays out of them.
    await expect(t.callRaw('merchant.saveAlipay', { appId: '123', appPrivateKeyPem: keys.merchant.privateKeyPem })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(t.callRaw('merchant.saveWechat', { mchid: 'x', apiV3Key: API_V3, merchantPrivateKeyPem: wechatFake.keys.merchant.privateKeyPem })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(t.callRaw('merchant.saveAlipay', { appPrivateKeyPem: keys.merchant.privateKeyPem, alipayPublicKeyPem: keys.merchant.publicKeyPem })).rejects.toMatchObject({ code: 'BAD_KEY' });
    expect(logged).toContain('"code":"BAD_INPUT"');
    expect(logged).toContain('merchant connection test');
    expect(secretsIn(logged)).toEqual([]);
  });

  it('each change writes one audit row naming the fields, never a value; an unchanged save writes none', async () => {
    await saveAlipay();
    await t.call('merchant.saveAlipay', { appId: APP_ID, appPrivateKeyPem: keys.merchant.privateKeyPem }); // same values
    await t.call('merchant.saveAlipay', { enabled: false });
    await saveWechat();
    const rows = auditRows();
    expect(rows.map((r) => [r.action, r.target, JSON.parse(r.details)])).toEqual([
      ['merchant.alipay', 'alipay', { changed: ['enabled', 'env', 'baseUrl', 'appId', 'appPrivateKey', 'alipayPublicKey'] }],
      ['merchant.alipay', 'alipay', { changed: ['enabled'] }],
      [
        'merchant.wechat',
        'wechat',
        { changed: ['enabled', 'baseUrl', 'mchid', 'appid', 'merchantSerialNo', 'platformPublicKeyId', 'merchantPrivateKey', 'platformPublicKey', 'apiV3Key'] },
      ],
    ]);
    expect(rows.every((r) => r.userId === t.userId('owner'))).toBe(true);
    expect(secretsIn(JSON.stringify(rows))).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain(APP_ID);
    expect(verifyAuditChain(t.till.sqlite)).toBeNull();
  });

  it('switched off, incomplete or never saved: readMerchantConfig gives null', async () => {
    expect(readMerchantConfig(t.till, 'alipay')).toBeNull();
    await t.call('merchant.saveAlipay', { enabled: true, appId: APP_ID });
    expect((await t.call('merchant.settings', {})).alipay.missing).toEqual(['应用私钥', '支付宝公钥']);
    expect(readMerchantConfig(t.till, 'alipay')).toBeNull();
    await saveAlipay();
    expect(readMerchantConfig(t.till, 'alipay')).not.toBeNull();
    await t.call('merchant.saveAlipay', { enabled: false });
    expect(readMerchantConfig(t.till, 'alipay')).toBeNull();
    // WeChat v3 has no sandbox: without a simulator URL there is nowhere to talk.
    await t.call('merchant.saveWechat', { env: 'sandbox' });
    expect((await t.call('merchant.settings', {})).wechat.effectiveBaseUrl).toBeNull();
  });

  it('Alipay’s bare base64 key text (its key tool’s output) is accepted as well as PEM', async () => {
    const bare = keys.merchant.privateKeyPem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    const v = await t.call('merchant.saveAlipay', { appPrivateKeyPem: bare });
    expect(v.alipay.appPrivateKey.set).toBe(true);
  });
});

describe('bad input is refused in Chinese and changes nothing', () => {
  it('field shapes, unreadable keys, short keys and swapped keys', async () => {
    const refused = async (input: Record<string, unknown>, code: string, message: RegExp) => {
      const e = await t.callRaw(input.mchid !== undefined ? 'merchant.saveWechat' : 'merchant.saveAlipay', input).catch((x: unknown) => x);
      expect(e).toMatchObject({ code });
      expect((e as Error).message).toMatch(message);
    };
    await refused({ mchid: '19000abc' }, 'BAD_INPUT', /商户号/);
    await refused({ appId: '12345' }, 'BAD_INPUT', /APPID/);
    await refused({ appPrivateKeyPem: 'hello' }, 'BAD_INPUT', /应用私钥格式不对/);
    await refused({ baseUrl: 'ftp://x' }, 'BAD_INPUT', /网关地址/);
    await refused({ appPrivateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, 'BAD_KEY', /应用私钥无法读取/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await refused({ appPrivateKeyPem: small.privateKey }, 'BAD_KEY', /2048/);
    // The app's own public key where Alipay's belongs: caught, not saved.
    await refused({ appPrivateKeyPem: keys.merchant.privateKeyPem, alipayPublicKeyPem: keys.merchant.publicKeyPem }, 'BAD_KEY', /应用公钥/);
    expect(settingsRows()).toEqual([]);
    expect(auditRows()).toEqual([]);
  });
});

describe('测试连接', () => {
  it('Alipay: a signed query for a made-up number answers NOT_FOUND → 连接正常', async () => {
    await saveAlipay();
    const r = await t.call('merchant.testConnection', { provider: 'alipay' });
    expect(r).toEqual({ ok: true, message: expect.stringMatching(/^连接正常/) });
    expect(alipayFake.requests().at(-1)).toMatchObject({ method: 'alipay.trade.query', subCode: 'ACQ.TRADE_NOT_EXIST' });
    expect(auditRows().at(-1)).toMatchObject({ action: 'merchant.testConnection', target: 'alipay' });
  });

  it('WeChat: the same against the WeChat Pay simulator', async () => {
    await saveWechat();
    const r = await t.call('merchant.testConnection', { provider: 'wechat' });
    expect(r).toEqual({ ok: true, message: expect.stringMatching(/^连接正常/) });
  });

  it('says what is wrong: a wrong app key, a wrong Alipay public key, no gateway, settings incomplete', async () => {
    expect(await t.call('merchant.testConnection', { provider: 'alipay' })).toEqual({ ok: false, message: expect.stringMatching(/设置不完整.*支付宝 APPID/) });
    await saveAlipay();
    const other = makePaymentKeys();
    await t.call('merchant.saveAlipay', { appPrivateKeyPem: other.merchant.privateKeyPem });
    expect(await t.call('merchant.testConnection', { provider: 'alipay' })).toEqual({ ok: false, message: expect.stringMatching(/应用私钥与上传到支付宝的应用公钥不匹配/) });
    await t.call('merchant.saveAlipay', { appPrivateKeyPem: keys.merchant.privateKeyPem, alipayPublicKeyPem: other.platform.publicKeyPem });
    expect(await t.call('merchant.testConnection', { provider: 'alipay' })).toEqual({ ok: false, message: expect.stringMatching(/应答签名验证失败/) });
    await t.call('merchant.saveAlipay', { alipayPublicKeyPem: keys.platform.publicKeyPem, baseUrl: 'http://127.0.0.1:9' });
    expect(await t.call('merchant.testConnection', { provider: 'alipay' })).toEqual({ ok: false, message: expect.stringMatching(/无法连接/) });
  });
});

describe('the fallback key file', () => {
  it('round-trips, and a replaced key file is a clear error (not garbage, not a crash)', async () => {
    await saveAlipay();
    expect(readMerchantConfig(t.till, 'alipay')?.config.appId).toBe(APP_ID);
    const file = join(t.dataDir, KEY_FILE);
    const key = readFileSync(file);
    key[5] ^= 0x01; // one bit of the key changed
    writeFileSync(file, key);
    expect(() => readMerchantConfig(t.till, 'alipay')).toThrow(/本机密钥文件 payment-secrets\.key 已损坏、被替换或丢失/);
    expect((await t.call('merchant.settings', {})).alipay.problem).toMatch(/应用私钥无法解密：本机密钥文件/);
    expect(await t.call('merchant.testConnection', { provider: 'alipay' })).toEqual({ ok: false, message: expect.stringMatching(/payment-secrets\.key/) });
    writeFileSync(file, Buffer.alloc(7));
    expect(() => readMerchantConfig(t.till, 'alipay')).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    // A new key file (the old one lost): importing the same keys again seals them under it, readable
    // again; the keys did not change, so no audit row claims they did.
    writeFileSync(file, randomBytes(32));
    expect(() => readMerchantConfig(t.till, 'alipay')).toThrow(/已损坏、被替换或丢失/);
    const audited = auditRows().length;
    await saveAlipay();
    expect(readMerchantConfig(t.till, 'alipay')?.config.appId).toBe(APP_ID);
    expect((await t.call('merchant.settings', {})).alipay.problem).toBeNull();
    expect(auditRows().length).toBe(audited);
  });
});

describe('ciphers', () => {
  it('the key-file cipher round-trips; one changed byte of a sealed secret fails', () => {
    const c = keyFileCipher(t.dataDir);
    const sealed = c.encrypt(Buffer.from('秘密 secret'));
    expect(c.decrypt(sealed).toString()).toBe('秘密 secret');
    expect(sealed.includes(Buffer.from('secret'))).toBe(false);
    sealed[sealed.length - 1] ^= 0x80;
    expect(() => c.decrypt(sealed)).toThrow();
  });

  it('Electron safeStorage seals new secrets when the shell offers it; the browser host then says why it cannot open them', async () => {
    // A stand-in for Electron's safeStorage (reversible, so the adapter's contract is what is tested).
    const fakeSafe = (backend: string): SafeStorageLike => ({
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => backend,
      encryptString: (p) => Buffer.from(`SAFE:${Buffer.from(p).toString('hex')}`),
      decryptString: (b) => {
        const text = b.toString();
        if (!text.startsWith('SAFE:')) throw new Error('not ours');
        return Buffer.from(text.slice(5), 'hex').toString();
      },
    });
    expect(safeStorageCipher(fakeSafe('basic_text'))).toBeNull(); // Linux without a keyring: only obfuscation
    useSecretCipher(safeStorageCipher(fakeSafe('gnome_libsecret')));
    try {
      const v = await saveAlipay();
      expect(v.secretStore).toMatchObject({ kind: 'electron-safe-storage', warning: null });
      expect(settingsRows()[0].value).toContain('"kind":"electron-safe-storage"');
      expect(readMerchantConfig(t.till, 'alipay')?.config.appId).toBe(APP_ID);
    } finally {
      useSecretCipher(null);
    }
    expect(() => readMerchantConfig(t.till, 'alipay')).toThrow(/桌面版/);
  });
});
