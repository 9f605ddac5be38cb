// 收款设置: the merchant's WeChat Pay and Alipay parameters, stored as one row each in the settings
// table ('payments.merchant.wechat' / '.alipay'; these keys are not in settingSchemas, so nothing else
// reads them). Keys arrive as PEM text (or Alipay's bare base64), are read with node:crypto (a file
// that is no RSA key of ≥ 2048 bits is refused in Chinese), and are sealed by secrets.ts before they
// are written. The view never carries a secret: set or not, and a hint (key fingerprint, last 4).
// Every save writes one audit row naming the fields that changed, never a value.
// readMerchantConfig is what the payments service uses to build its providers.
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import {
  DEFAULT_BASE_URLS,
  type AlipayMerchantView,
  type MerchantEnv,
  type MerchantProvider,
  type MerchantSettingsView,
  type SaveAlipayMerchantInput,
  type SaveWechatMerchantInput,
  type SecretView,
  type TestConnectionResult,
  type WechatMerchantView,
} from '../../shared/api/payment-settings';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import { audit } from '../till/audit';
import { settings } from '../till/schema';
import type { Till } from '../till/till';
import { createAlipayProvider, type AlipayConfig } from './alipay/client';
import { OutcomeUnknown, ProviderRefused, type PaymentProvider, type ProviderTransport } from './provider';
import { primaryCipher, seal, SECRET_STORE_LABEL, unseal, type SealedSecret } from './secrets';
import { createWechatProvider, type WechatConfig } from './wechat';

/** How long one call to a platform may take before it is OutcomeUnknown('timeout'). */
export const DEFAULT_TIMEOUT_MS = 10_000;

interface StoredSecret extends SealedSecret {
  hint: string;
}

interface StoredBase {
  enabled: boolean;
  env: MerchantEnv;
  baseUrl: string;
  updatedAt: number | null;
}

interface StoredWechat extends StoredBase {
  mchid: string;
  appid: string;
  merchantSerialNo: string;
  platformPublicKeyId: string;
  secrets: Partial<Record<'merchantPrivateKey' | 'platformPublicKey' | 'apiV3Key', StoredSecret>>;
}

interface StoredAlipay extends StoredBase {
  appId: string;
  secrets: Partial<Record<'appPrivateKey' | 'alipayPublicKey', StoredSecret>>;
}

type Stored = { wechat: StoredWechat; alipay: StoredAlipay };

const EMPTY: Stored = {
  wechat: { enabled: false, env: 'production', baseUrl: '', updatedAt: null, mchid: '', appid: '', merchantSerialNo: '', platformPublicKeyId: '', secrets: {} },
  alipay: { enabled: false, env: 'production', baseUrl: '', updatedAt: null, appId: '', secrets: {} },
};

/** Field labels for the "missing" list and messages. */
const LABELS: Record<string, string> = {
  mchid: '商户号',
  appid: 'AppID',
  merchantSerialNo: '商户证书序列号',
  merchantPrivateKey: '商户 API 私钥',
  platformPublicKey: '微信支付公钥',
  platformPublicKeyId: '微信支付公钥 ID',
  apiV3Key: 'APIv3 密钥',
  appId: '支付宝 APPID',
  appPrivateKey: '应用私钥',
  alipayPublicKey: '支付宝公钥',
  baseUrl: '网关地址',
};

const settingKey = (p: MerchantProvider) => `payments.merchant.${p}`;

function readStored<P extends MerchantProvider>(till: Till, p: P): Stored[P] {
  const row = till.db.select({ value: settings.value }).from(settings).where(eq(settings.key, settingKey(p))).get();
  if (!row || typeof row.value !== 'object' || row.value === null) return structuredClone(EMPTY[p]);
  return { ...structuredClone(EMPTY[p]), ...(row.value as Partial<Stored[P]>) } as Stored[P];
}

function writeStored<P extends MerchantProvider>(till: Till, p: P, value: Stored[P], at: number): void {
  till.db
    .insert(settings)
    .values({ key: settingKey(p), value, updatedAt: at })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } })
    .run();
}

// ---- keys ------------------------------------------------------------------------------------------

const isPem = (s: string) => s.startsWith('-----BEGIN ');
const bareDer = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'base64');

function requireRsa2048(k: KeyObject, label: string): void {
  if (k.asymmetricKeyType !== 'rsa') throw new TillError('BAD_KEY', `${label}不是 RSA 密钥`);
  if ((k.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new TillError('BAD_KEY', `${label}长度不足 2048 位（支付平台要求 RSA2048）`);
}

/** A private key in any form the platforms hand out, as PKCS#8 PEM; refused in Chinese when unreadable. */
function readPrivateKey(text: string, label: string): { pem: string; key: KeyObject } {
  let key: KeyObject | null = null;
  const attempts: (() => KeyObject)[] = isPem(text)
    ? [() => createPrivateKey(text)]
    : [() => createPrivateKey({ key: bareDer(text), format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key: bareDer(text), format: 'der', type: 'pkcs1' })];
  for (const a of attempts) {
    try {
      key = a();
      break;
    } catch {
      // next form
    }
  }
  if (!key) throw new TillError('BAD_KEY', `${label}无法读取：文件内容不是有效的私钥，请选择正确的密钥文件`);
  requireRsa2048(key, label);
  return { pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), key };
}

function readPublicKey(text: string, label: string): { pem: string; key: KeyObject } {
  let key: KeyObject | null = null;
  const attempts: (() => KeyObject)[] = isPem(text)
    ? [() => createPublicKey(text)]
    : [() => createPublicKey({ key: bareDer(text), format: 'der', type: 'spki' }), () => createPublicKey({ key: bareDer(text), format: 'der', type: 'pkcs1' })];
  for (const a of attempts) {
    try {
      key = a();
      break;
    } catch {
      // next form
    }
  }
  if (!key || key.type !== 'public') throw new TillError('BAD_KEY', `${label}无法读取：文件内容不是有效的公钥，请选择正确的密钥文件`);
  requireRsa2048(key, label);
  return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), key };
}

/** SHA-256 of the public half (SPKI DER): the same for a private key and its public key. */
function fingerprint(k: KeyObject): string {
  const pub = k.type === 'private' ? createPublicKey(k) : k;
  const hex = createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase();
  return `SHA256:${hex.slice(0, 8)}…${hex.slice(-8)}`;
}

const lastFour = (s: string) => `…${s.slice(-4)}`;

/** A stored secret in clear, or null when it cannot be opened here (then any new value is a change). */
function unsealQuiet(till: Till, sealed: StoredSecret): string | null {
  try {
    return unseal(till.options.dataDir, sealed, '');
  } catch {
    return null;
  }
}

function secretView(s: StoredSecret | undefined): SecretView {
  return s ? { set: true, hint: s.hint } : { set: false, hint: null };
}

// ---- view ------------------------------------------------------------------------------------------

function effectiveBaseUrl(p: MerchantProvider, s: StoredBase): string | null {
  return s.baseUrl || DEFAULT_BASE_URLS[p][s.env];
}

function missingOf(p: MerchantProvider, s: StoredWechat | StoredAlipay): string[] {
  const need =
    p === 'wechat'
      ? (['mchid', 'appid', 'merchantSerialNo', 'platformPublicKeyId'] as const).filter((f) => !(s as StoredWechat)[f]).map(String)
      : (['appId'] as const).filter((f) => !(s as StoredAlipay)[f]).map(String);
  const secrets = p === 'wechat' ? ['merchantPrivateKey', 'platformPublicKey'] : ['appPrivateKey', 'alipayPublicKey'];
  need.push(...secrets.filter((f) => !(s.secrets as Record<string, StoredSecret | undefined>)[f]));
  if (!effectiveBaseUrl(p, s)) need.push('baseUrl');
  return need;
}

function baseView(p: MerchantProvider, s: StoredWechat | StoredAlipay, dataDir?: string) {
  const missing = missingOf(p, s).map((f) => (f === 'baseUrl' && p === 'wechat' ? '网关地址（微信支付没有沙箱，请填模拟器地址）' : LABELS[f]));
  return {
    complete: missing.length === 0,
    enabled: s.enabled,
    env: s.env,
    baseUrl: s.baseUrl,
    effectiveBaseUrl: effectiveBaseUrl(p, s),
    missing,
    problem: dataDir ? unreadable(dataDir, s) : null,
    updatedAt: s.updatedAt,
  };
}

/** The first saved secret that does not decrypt here, as its Chinese reason (opened in the main process only; nothing leaves). */
function unreadable(dataDir: string, s: StoredWechat | StoredAlipay): string | null {
  for (const [field, sealed] of Object.entries(s.secrets as Record<string, StoredSecret | undefined>)) {
    if (!sealed) continue;
    try {
      unseal(dataDir, sealed, LABELS[field]);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  return null;
}

function wechatView(s: StoredWechat, dataDir: string): WechatMerchantView {
  return {
    ...baseView('wechat', s, dataDir),
    mchid: s.mchid,
    appid: s.appid,
    merchantSerialNo: s.merchantSerialNo,
    platformPublicKeyId: s.platformPublicKeyId,
    merchantPrivateKey: secretView(s.secrets.merchantPrivateKey),
    platformPublicKey: secretView(s.secrets.platformPublicKey),
    apiV3Key: secretView(s.secrets.apiV3Key),
  };
}

function alipayView(s: StoredAlipay, dataDir: string): AlipayMerchantView {
  return {
    ...baseView('alipay', s, dataDir),
    appId: s.appId,
    appPrivateKey: secretView(s.secrets.appPrivateKey),
    alipayPublicKey: secretView(s.secrets.alipayPublicKey),
  };
}

export function readMerchantSettings(till: Till): MerchantSettingsView {
  const kind = primaryCipher(till.options.dataDir).kind;
  return {
    wechat: wechatView(readStored(till, 'wechat'), till.options.dataDir),
    alipay: alipayView(readStored(till, 'alipay'), till.options.dataDir),
    secretStore: { kind, label: SECRET_STORE_LABEL[kind], warning: kind === 'local-key-file' ? SECRET_STORE_LABEL[kind] : null },
  };
}

// ---- save ------------------------------------------------------------------------------------------

type Sealer = (plain: string, hint: string) => StoredSecret;

/**
 * Seals a given secret (always: re-importing the same key after the key file was lost makes it
 * readable again) and reports it as changed only when it is another key than the stored one.
 */
function putSecret<K extends string>(secrets: Partial<Record<K, StoredSecret>>, field: K, plain: string, hint: string, sealSecret: Sealer, changed: string[]): void {
  const same = secrets[field]?.hint === hint;
  secrets[field] = sealSecret(plain, hint);
  if (!same) changed.push(field);
}

/** Applies the plain fields of `input` that differ; returns the names changed. */
function applyPlain<T extends object>(s: T, input: Partial<T>, fields: readonly (keyof T & string)[]): string[] {
  const changed: string[] = [];
  for (const f of fields) {
    if (input[f] !== undefined && input[f] !== s[f]) {
      s[f] = input[f] as T[typeof f];
      changed.push(f);
    }
  }
  return changed;
}

function save<P extends MerchantProvider>(till: Till, p: P, mutate: (s: Stored[P], sealSecret: Sealer) => string[]): MerchantSettingsView {
  const session = till.auth.requireSession();
  const dataDir = till.options.dataDir;
  till.tx(() => {
    const s = readStored(till, p);
    let sealed = false;
    const changed = mutate(s, (plain, hint) => {
      sealed = true;
      return { ...seal(dataDir, plain), hint };
    });
    if (!changed.length && !sealed) return;
    const now = till.now();
    if (changed.length) s.updatedAt = now;
    writeStored(till, p, s, now);
    if (!changed.length) return; // the same keys sealed again: nothing to audit
    // Field names only: a value (even a public one) never goes into the audit log.
    audit(till.sqlite, { userId: session.userId, action: `merchant.${p}`, target: p, details: { changed } }, now);
  });
  return readMerchantSettings(till);
}

export function saveWechatMerchant(till: Till, input: SaveWechatMerchantInput): MerchantSettingsView {
  // Keys are read before the transaction: a bad file is refused with nothing written.
  const priv = input.merchantPrivateKeyPem ? readPrivateKey(input.merchantPrivateKeyPem, '商户 API 私钥') : null;
  const pub = input.platformPublicKeyPem ? readPublicKey(input.platformPublicKeyPem, '微信支付公钥') : null;
  return save(till, 'wechat', (s, sealSecret) => {
    if (priv && pub && fingerprint(priv.key) === fingerprint(pub.key)) {
      throw new TillError('BAD_KEY', '填入的“微信支付公钥”是商户自己的公钥：请在商户平台 → API 安全 → 微信支付公钥 下载 pub_key.pem');
    }
    const changed = applyPlain(s, input, ['enabled', 'env', 'baseUrl', 'mchid', 'appid', 'merchantSerialNo', 'platformPublicKeyId']);
    if (priv) putSecret(s.secrets, 'merchantPrivateKey', priv.pem, fingerprint(priv.key), sealSecret, changed);
    if (pub) putSecret(s.secrets, 'platformPublicKey', pub.pem, fingerprint(pub.key), sealSecret, changed);
    if (input.apiV3Key !== undefined) {
      const same = !!s.secrets.apiV3Key && unsealQuiet(till, s.secrets.apiV3Key) === input.apiV3Key;
      s.secrets.apiV3Key = sealSecret(input.apiV3Key, lastFour(input.apiV3Key));
      if (!same) changed.push('apiV3Key');
    }
    return changed;
  });
}

export function saveAlipayMerchant(till: Till, input: SaveAlipayMerchantInput): MerchantSettingsView {
  const priv = input.appPrivateKeyPem ? readPrivateKey(input.appPrivateKeyPem, '应用私钥') : null;
  const pub = input.alipayPublicKeyPem ? readPublicKey(input.alipayPublicKeyPem, '支付宝公钥') : null;
  return save(till, 'alipay', (s, sealSecret) => {
    // The classic mix-up: the app's own public key pasted where Alipay's public key belongs.
    const appFp = priv ? fingerprint(priv.key) : s.secrets.appPrivateKey?.hint;
    if (pub && appFp === fingerprint(pub.key)) {
      throw new TillError('BAD_KEY', '填入的“支付宝公钥”是应用公钥：请复制支付宝开放平台“接口加签方式”里的“支付宝公钥”');
    }
    const changed = applyPlain(s, input, ['enabled', 'env', 'baseUrl', 'appId']);
    if (priv) putSecret(s.secrets, 'appPrivateKey', priv.pem, fingerprint(priv.key), sealSecret, changed);
    if (pub) putSecret(s.secrets, 'alipayPublicKey', pub.pem, fingerprint(pub.key), sealSecret, changed);
    return changed;
  });
}

// ---- for the payments service ----------------------------------------------------------------------

export interface WechatMerchantConfig {
  provider: 'wechat';
  env: MerchantEnv;
  config: WechatConfig;
  transport: ProviderTransport;
}

export interface AlipayMerchantConfig {
  provider: 'alipay';
  env: MerchantEnv;
  config: AlipayConfig;
  transport: ProviderTransport;
}

function loadConfig(till: Till, p: 'wechat', ignoreEnabled?: boolean): WechatMerchantConfig | null;
function loadConfig(till: Till, p: 'alipay', ignoreEnabled?: boolean): AlipayMerchantConfig | null;
function loadConfig(till: Till, p: MerchantProvider, ignoreEnabled = false): WechatMerchantConfig | AlipayMerchantConfig | null {
  const s = readStored(till, p);
  if ((!s.enabled && !ignoreEnabled) || missingOf(p, s).length) return null;
  const dataDir = till.options.dataDir;
  const open = (f: string) => unseal(dataDir, (s.secrets as Record<string, StoredSecret>)[f], LABELS[f]);
  const transport: ProviderTransport = { baseUrl: effectiveBaseUrl(p, s)!, timeoutMs: DEFAULT_TIMEOUT_MS };
  if (p === 'wechat') {
    const w = s as StoredWechat;
    return {
      provider: 'wechat',
      env: w.env,
      transport,
      config: {
        mchid: w.mchid,
        appid: w.appid,
        merchantSerialNo: w.merchantSerialNo,
        merchantPrivateKeyPem: open('merchantPrivateKey'),
        platformPublicKeyPem: open('platformPublicKey'),
        platformPublicKeyId: w.platformPublicKeyId,
        ...(w.secrets.apiV3Key ? { apiV3Key: open('apiV3Key') } : {}),
      },
    };
  }
  const a = s as StoredAlipay;
  return {
    provider: 'alipay',
    env: a.env,
    transport,
    config: { appId: a.appId, appPrivateKeyPem: open('appPrivateKey'), alipayPublicKeyPem: open('alipayPublicKey') },
  };
}

/**
 * The decrypted settings of a provider and where to reach it, or null when it is not configured,
 * incomplete or switched off. Throws TillError SECRET_UNREADABLE (in Chinese) when a saved secret
 * cannot be decrypted on this machine (the key file was replaced, the key store is gone).
 */
export function readMerchantConfig(till: Till, p: 'wechat'): WechatMerchantConfig | null;
export function readMerchantConfig(till: Till, p: 'alipay'): AlipayMerchantConfig | null;
export function readMerchantConfig(till: Till, p: MerchantProvider): WechatMerchantConfig | AlipayMerchantConfig | null {
  return p === 'wechat' ? loadConfig(till, 'wechat') : loadConfig(till, 'alipay');
}

/** A provider built from the saved settings (enabled or not): for the test button. */
function providerFor(till: Till, p: MerchantProvider, timeoutMs: number): PaymentProvider | string {
  const c = p === 'wechat' ? loadConfig(till, 'wechat', true) : loadConfig(till, 'alipay', true);
  if (!c) return `设置不完整，缺少：${baseView(p, readStored(till, p)).missing.join('、')}`;
  const transport = { ...c.transport, timeoutMs };
  try {
    return c.provider === 'wechat' ? createWechatProvider(c.config, transport) : createAlipayProvider(c.config, transport);
  } catch (e) {
    return `设置无法使用：${e instanceof Error ? e.message.replace(/^\w+: /, '') : String(e)}`;
  }
}

const UNKNOWN_WORDS: Record<OutcomeUnknown['reason'], string> = {
  timeout: '连接超时：网关没有在规定时间内答复，请检查网络和网关地址',
  network: '无法连接网关，请检查网络和网关地址',
  server_error: '支付平台暂时不可用（服务器错误），请稍后再试',
  rate_limited: '请求过于频繁，被支付平台限流，请稍后再试',
  bad_signature: '应答签名验证失败：请检查平台公钥（支付宝公钥 / 微信支付公钥及其 ID）是否填对',
  stale_response: '应答时间与本机时钟相差过大：请检查本机时间',
};

/**
 * 测试连接: one harmless signed call — a query for an order number nobody used. A signed "no such
 * trade" proves the app id, our key (the platform verified our signature) and the platform's key
 * (we verified its answer).
 */
export async function testMerchantConnection(till: Till, p: MerchantProvider, timeoutMs = 8000): Promise<TestConnectionResult> {
  const session = till.auth.requireSession();
  const name = p === 'wechat' ? '微信支付' : '支付宝';
  let result: TestConnectionResult;
  try {
    const provider = providerFor(till, p, timeoutMs);
    if (typeof provider === 'string') {
      result = { ok: false, message: provider };
    } else {
      const probe = `XDTEST${randomBytes(8).toString('hex').toUpperCase()}`;
      const r = await provider.query(probe);
      result = { ok: true, message: `连接正常：${name}已验证本店签名并答复（测试单号${r.state === 'NOT_FOUND' ? '不存在，符合预期' : `状态 ${r.state}`}）` };
    }
  } catch (e) {
    if (e instanceof ProviderRefused) result = { ok: false, message: `${name}拒绝了请求：${e.message}` };
    else if (e instanceof OutcomeUnknown) result = { ok: false, message: UNKNOWN_WORDS[e.reason] };
    else if (e instanceof TillError) result = { ok: false, message: e.message };
    else result = { ok: false, message: `测试失败：${e instanceof Error ? e.message.slice(0, 120) : String(e)}` };
  }
  log.info('merchant connection test', { provider: p, ok: result.ok });
  audit(till.sqlite, { userId: session.userId, action: 'merchant.testConnection', target: p, details: { ok: result.ok } }, till.now());
  return result;
}
