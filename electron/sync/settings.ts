// 网店同步设置: each platform's switch, base URL and credentials, one row each in the settings table
// ('sync.platform.youzan' / '.doudian' / '.weidian'; not in settingSchemas, so nothing else reads them).
// Secrets (client_secret, app_secret, Weidian's secret) and the platforms' access tokens are sealed by the payments issue's
// secrets.ts before they are written; the view never carries one (set or not, and the last 4
// characters). Every save writes one audit row naming the fields that changed, never a value. A save
// that would leave an enabled platform without what it needs is refused and changes nothing.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import {
  CONFIGURABLE_PLATFORMS,
  DEFAULT_SYNC_BASE_URLS,
  type ConfigurablePlatform,
  type DoudianSettingsView,
  type SaveSyncSettingsInput,
  type SyncSecretView,
  type SyncSettingsView,
  type WeidianSettingsView,
  type YouzanSettingsView,
} from '../../shared/api/sync';
import { TillError } from '../../shared/errors';
import { primaryCipher, seal, SECRET_STORE_LABEL, unseal, type SealedSecret } from '../payments/secrets';
import { audit } from '../till/audit';
import { settings } from '../till/schema';
import type { Till } from '../till/till';
import type { PlatformToken } from './connector';
import type { ConnectorSettings } from './connectors';

interface StoredSecret extends SealedSecret {
  hint: string;
}

interface StoredBase {
  enabled: boolean;
  baseUrl: string;
  updatedAt: number | null;
}

interface StoredYouzan extends StoredBase {
  clientId: string;
  grantId: string;
  secrets: { clientSecret?: StoredSecret };
}

interface StoredDoudian extends StoredBase {
  appKey: string;
  shopId: string;
  secrets: { appSecret?: StoredSecret };
}

interface StoredWeidian extends StoredBase {
  appKey: string;
  secrets: { secret?: StoredSecret };
}

type Stored = { youzan: StoredYouzan; doudian: StoredDoudian; weidian: StoredWeidian };
type AnyStored = StoredYouzan | StoredDoudian | StoredWeidian;

const EMPTY: Stored = {
  youzan: { enabled: false, baseUrl: '', updatedAt: null, clientId: '', grantId: '', secrets: {} },
  doudian: { enabled: false, baseUrl: '', updatedAt: null, appKey: '', shopId: '', secrets: {} },
  weidian: { enabled: false, baseUrl: '', updatedAt: null, appKey: '', secrets: {} },
};

/** Each platform's plain id fields (all required to enable it) and its one sealed secret. */
const FIELDS: Record<ConfigurablePlatform, { ids: readonly string[]; secret: string }> = {
  youzan: { ids: ['clientId', 'grantId'], secret: 'clientSecret' },
  doudian: { ids: ['appKey', 'shopId'], secret: 'appSecret' },
  weidian: { ids: ['appKey'], secret: 'secret' },
};

const LABELS: Record<string, string> = {
  clientId: 'client_id',
  clientSecret: 'client_secret',
  grantId: '店铺 ID（kdt_id）',
  appKey: 'app_key',
  appSecret: 'app_secret',
  shopId: '店铺 ID（shop_id）',
  secret: 'secret',
};
const NAMES: Record<ConfigurablePlatform, string> = { youzan: '有赞', doudian: '抖店', weidian: '微店' };
/** Weidian's appkey label differs from Doudian's app_key (the SDK's parameter name). */
const labelOf = (p: ConfigurablePlatform, f: string) => (p === 'weidian' && f === 'appKey' ? 'appkey' : LABELS[f]);

const settingKey = (p: ConfigurablePlatform) => `sync.platform.${p}`;
const tokenKey = (p: ConfigurablePlatform) => `sync.token.${p}`;

function readRow(till: Till, key: string): unknown {
  return till.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value ?? null;
}

function writeRow(till: Till, key: string, value: unknown, at: number): void {
  till.db
    .insert(settings)
    .values({ key, value, updatedAt: at })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } })
    .run();
}

function readStored<P extends ConfigurablePlatform>(till: Till, p: P): Stored[P] {
  const v = readRow(till, settingKey(p));
  if (!v || typeof v !== 'object') return structuredClone(EMPTY[p]);
  return { ...structuredClone(EMPTY[p]), ...(v as Partial<Stored[P]>) } as Stored[P];
}

function missingOf(p: ConfigurablePlatform, s: AnyStored): string[] {
  const missing: string[] = FIELDS[p].ids.filter((f) => !(s as unknown as Record<string, string>)[f]);
  if (!(s.secrets as Record<string, StoredSecret | undefined>)[FIELDS[p].secret]) missing.push(FIELDS[p].secret);
  return missing;
}

const effectiveBaseUrl = (p: ConfigurablePlatform, s: StoredBase) => s.baseUrl || DEFAULT_SYNC_BASE_URLS[p];

function openSecret(till: Till, sealed: StoredSecret | undefined, what: string): string | null {
  return sealed ? unseal(till.options.dataDir, sealed, what) : null;
}

function problemOf(till: Till, s: AnyStored): string | null {
  for (const [field, sealed] of Object.entries(s.secrets as Record<string, StoredSecret | undefined>)) {
    try {
      openSecret(till, sealed, LABELS[field]);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  return null;
}

const secretView = (s: StoredSecret | undefined): SyncSecretView => (s ? { set: true, hint: s.hint } : { set: false, hint: null });

function baseView(till: Till, p: ConfigurablePlatform, s: AnyStored) {
  const missing = missingOf(p, s).map((f) => labelOf(p, f));
  return {
    enabled: s.enabled,
    baseUrl: s.baseUrl,
    effectiveBaseUrl: effectiveBaseUrl(p, s),
    complete: missing.length === 0,
    missing,
    problem: problemOf(till, s),
    updatedAt: s.updatedAt,
  };
}

export function readSyncSettings(till: Till): SyncSettingsView {
  const y = readStored(till, 'youzan');
  const d = readStored(till, 'doudian');
  const youzan: YouzanSettingsView = { ...baseView(till, 'youzan', y), clientId: y.clientId, grantId: y.grantId, clientSecret: secretView(y.secrets.clientSecret) };
  const doudian: DoudianSettingsView = { ...baseView(till, 'doudian', d), appKey: d.appKey, shopId: d.shopId, appSecret: secretView(d.secrets.appSecret) };
  const w = readStored(till, 'weidian');
  const weidian: WeidianSettingsView = { ...baseView(till, 'weidian', w), appKey: w.appKey, secret: secretView(w.secrets.secret) };
  const kind = primaryCipher(till.options.dataDir).kind;
  return { youzan, doudian, weidian, secretStore: { kind, label: SECRET_STORE_LABEL[kind], warning: kind === 'local-key-file' ? SECRET_STORE_LABEL[kind] : null } };
}

/** Which platforms are switched on (whether or not complete): the agent runs when at least one is. */
export function enabledPlatforms(till: Till): ConfigurablePlatform[] {
  return CONFIGURABLE_PLATFORMS.filter((p) => readStored(till, p).enabled);
}

const lastFour = (s: string) => `…${s.slice(-4)}`;

/**
 * Saves the given fields of one platform. A changed identity (base URL, ids, secret) drops the saved
 * token: it belonged to the old shop. Refused with nothing written when the platform would be enabled
 * without everything it needs.
 */
export function saveSyncSettings(till: Till, input: SaveSyncSettingsInput): { view: SyncSettingsView; changed: string[] } {
  const session = till.auth.requireSession();
  const p = input.platform;
  const dataDir = till.options.dataDir;
  const changed = till.tx(() => {
    const s = readStored(till, p) as AnyStored;
    const changed: string[] = [];
    const plain = ['enabled', 'baseUrl', ...FIELDS[p].ids];
    const given = input as Record<string, unknown>;
    for (const f of plain) {
      if (given[f] !== undefined && given[f] !== (s as unknown as Record<string, unknown>)[f]) {
        (s as unknown as Record<string, unknown>)[f] = given[f];
        changed.push(f);
      }
    }
    const secretField = FIELDS[p].secret;
    const secret = given[secretField] as string | undefined;
    if (secret !== undefined) {
      let same = false;
      try {
        same = openSecret(till, (s.secrets as Record<string, StoredSecret | undefined>)[secretField], '') === secret;
      } catch {
        same = false; // unreadable here: the new value replaces it
      }
      if (!same) {
        (s.secrets as Record<string, StoredSecret>)[secretField] = { ...seal(dataDir, secret), hint: lastFour(secret) };
        changed.push(secretField);
      }
    }
    if (s.enabled) {
      const missing = missingOf(p, s);
      if (missing.length) throw new TillError('SYNC_SETTINGS_INCOMPLETE', `启用${NAMES[p]}同步还缺：${missing.map((f) => labelOf(p, f)).join('、')}`);
    }
    if (!changed.length) return changed;
    const now = till.now();
    s.updatedAt = now;
    writeRow(till, settingKey(p), s, now);
    if (changed.some((f) => f !== 'enabled')) till.db.delete(settings).where(eq(settings.key, tokenKey(p))).run();
    // Field names only: a value never goes into the audit log.
    audit(till.sqlite, { userId: session.userId, action: 'sync.settings', target: p, details: { changed } }, now);
    return changed;
  });
  return { view: readSyncSettings(till), changed };
}

// ---- tokens ------------------------------------------------------------------------------------------

/** Which shop a token was issued for: a token is only reused with the same base URL and ids. */
function identity(p: ConfigurablePlatform, s: AnyStored): string {
  const ids = FIELDS[p].ids.map((f) => (s as unknown as Record<string, string>)[f]);
  return createHash('sha256').update(JSON.stringify([effectiveBaseUrl(p, s), ...ids])).digest('hex').slice(0, 16);
}

/** The shop the saved settings of `p` point at (base URL and ids), as a short digest. */
export function identityOf(till: Till, p: ConfigurablePlatform): string {
  return identity(p, readStored(till, p));
}

/** Keeps a token, unless the settings moved to another shop since `forIdentity` (a worker being replaced). */
export function saveToken(till: Till, p: ConfigurablePlatform, token: PlatformToken, forIdentity?: string): void {
  const s = readStored(till, p);
  if (forIdentity !== undefined && forIdentity !== identity(p, s)) return;
  writeRow(till, tokenKey(p), { for: identity(p, s), sealed: seal(till.options.dataDir, JSON.stringify(token)) }, till.now());
}

function readToken(till: Till, p: ConfigurablePlatform, s: AnyStored): PlatformToken | null {
  const v = readRow(till, tokenKey(p)) as { for?: string; sealed?: SealedSecret } | null;
  if (!v?.sealed || v.for !== identity(p, s)) return null;
  try {
    const t = JSON.parse(unseal(till.options.dataDir, v.sealed, '令牌')) as PlatformToken;
    return typeof t.accessToken === 'string' && typeof t.expiresAt === 'number' && t.expiresAt > till.now() ? t : null;
  } catch {
    return null; // unreadable here: a new one is asked for
  }
}

// ---- for the agent -----------------------------------------------------------------------------------

/**
 * The connector settings of one platform with its secret in clear and its saved token, or a Chinese
 * reason it cannot run. Opened in the main process only; handed to the worker thread, never to the renderer.
 */
export function connectorSettingsOf(till: Till, p: ConfigurablePlatform): ConnectorSettings | string {
  const s = readStored(till, p);
  const missing = missingOf(p, s);
  if (missing.length) return `${NAMES[p]}同步设置不全：缺 ${missing.map((f) => labelOf(p, f)).join('、')}`;
  const token = readToken(till, p, s);
  const baseUrl = effectiveBaseUrl(p, s);
  if (p === 'youzan') {
    const y = s as StoredYouzan;
    return { platform: 'youzan', baseUrl, clientId: y.clientId, grantId: y.grantId, clientSecret: openSecret(till, y.secrets.clientSecret, 'client_secret')!, token };
  }
  if (p === 'weidian') {
    // Weidian's client_credential token is asked for again at each start (its client keeps no saved one).
    const w = s as StoredWeidian;
    return { platform: 'weidian', baseUrl, appKey: w.appKey, secret: openSecret(till, w.secrets.secret, 'secret')! };
  }
  const d = s as StoredDoudian;
  return { platform: 'doudian', baseUrl, appKey: d.appKey, shopId: d.shopId, appSecret: openSecret(till, d.secrets.appSecret, 'app_secret')!, token };
}

/** Every enabled platform that can run; the ones that cannot are left out (their status says why). */
export function runnableConnectors(till: Till): { settings: ConnectorSettings[]; problems: Partial<Record<ConfigurablePlatform, string>> } {
  const out: ConnectorSettings[] = [];
  const problems: Partial<Record<ConfigurablePlatform, string>> = {};
  for (const p of enabledPlatforms(till)) {
    try {
      const c = connectorSettingsOf(till, p);
      if (typeof c === 'string') problems[p] = c;
      else out.push(c);
    } catch (e) {
      problems[p] = e instanceof Error ? e.message : String(e);
    }
  }
  return { settings: out, problems };
}
