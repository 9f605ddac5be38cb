// 团购券平台设置 (设置 → 团购券, owner): Douyin 来客 and Meituan/Dianping — switch, base URL, ids and secrets,
// one row each in the settings table ('vouchers.platform.douyin' / '.meituan'; not in settingSchemas).
// Same rules as the online-shop settings (electron/sync/settings.ts): secrets sealed by
// payments/secrets.ts before they are written, the view carries only "set" and the last 4 characters,
// one audit row per save naming the changed fields (never a value), and a save that would leave an
// enabled platform without what it needs is refused with nothing written.
import { eq, sql } from 'drizzle-orm';
import {
  DEFAULT_DOUYIN_SHORT_LINK_BASE,
  DEFAULT_VOUCHER_BASE_URLS,
  VOUCHER_PLATFORMS,
  type SaveVoucherSettingsInput,
  type VoucherPlatformName,
  type VoucherSettingsView,
} from '../../shared/api/vouchers';
import type { SyncSecretView } from '../../shared/api/sync';
import { TillError } from '../../shared/errors';
import { seal, unseal, type SealedSecret } from '../payments/secrets';
import { audit } from '../till/audit';
import { settings } from '../till/schema';
import type { Till } from '../till/till';
import type { DouyinLifeConfig } from './douyin/wire';
import type { MeituanConfig } from './meituan/wire';

interface StoredSecret extends SealedSecret {
  hint: string;
}

interface Stored {
  enabled: boolean;
  baseUrl: string;
  updatedAt: number | null;
  /** Plain fields (ids, optional ids, short link base). */
  plain: Record<string, string>;
  secrets: Record<string, StoredSecret | undefined>;
}

/** Each platform's plain fields (required ones enable it), optional plain fields and sealed secrets (all required). */
const FIELDS: Record<VoucherPlatformName, { ids: readonly string[]; optional: readonly string[]; secrets: readonly string[] }> = {
  douyin: { ids: ['clientKey', 'poiId'], optional: ['lifeAccountId', 'shortLinkBase'], secrets: ['clientSecret'] },
  meituan: { ids: ['appKey', 'openShopUuid'], optional: [], secrets: ['appSecret', 'session'] },
};

const LABELS: Record<string, string> = {
  clientKey: 'client_key',
  clientSecret: 'client_secret',
  poiId: '门店 ID（poi_id）',
  appKey: 'app_key',
  appSecret: 'app_secret',
  session: 'session',
  openShopUuid: '门店 ID（open_shop_uuid）',
};
const NAMES: Record<VoucherPlatformName, string> = { douyin: '抖音来客', meituan: '美团' };

const key = (p: VoucherPlatformName) => `vouchers.platform.${p}`;

function readStored(till: Till, p: VoucherPlatformName): Stored {
  const v = till.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key(p))).get()?.value as Partial<Stored> | undefined;
  return { enabled: false, baseUrl: '', updatedAt: null, ...(v ?? {}), plain: { ...(v?.plain ?? {}) }, secrets: { ...(v?.secrets ?? {}) } };
}

function missingOf(p: VoucherPlatformName, s: Stored): string[] {
  return [...FIELDS[p].ids.filter((f) => !s.plain[f]), ...FIELDS[p].secrets.filter((f) => !s.secrets[f])];
}

function problemOf(till: Till, s: Stored): string | null {
  for (const [f, sealed] of Object.entries(s.secrets)) {
    try {
      if (sealed) unseal(till.options.dataDir, sealed, LABELS[f] ?? f);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  return null;
}

const secretView = (s: StoredSecret | undefined): SyncSecretView => (s ? { set: true, hint: s.hint } : { set: false, hint: null });
const baseUrlOf = (p: VoucherPlatformName, s: Stored) => s.baseUrl || DEFAULT_VOUCHER_BASE_URLS[p];

function base(till: Till, p: VoucherPlatformName, s: Stored) {
  return {
    enabled: s.enabled, baseUrl: s.baseUrl, effectiveBaseUrl: baseUrlOf(p, s), missing: missingOf(p, s).map((f) => LABELS[f]),
    complete: missingOf(p, s).length === 0, problem: problemOf(till, s), updatedAt: s.updatedAt,
  };
}

export function readVoucherSettings(till: Till): VoucherSettingsView {
  const d = readStored(till, 'douyin');
  const m = readStored(till, 'meituan');
  return {
    douyin: {
      ...base(till, 'douyin', d), clientKey: d.plain.clientKey ?? '', poiId: d.plain.poiId ?? '', lifeAccountId: d.plain.lifeAccountId ?? '',
      shortLinkBase: d.plain.shortLinkBase ?? '', clientSecret: secretView(d.secrets.clientSecret),
    },
    meituan: {
      ...base(till, 'meituan', m), appKey: m.plain.appKey ?? '', openShopUuid: m.plain.openShopUuid ?? '',
      appSecret: secretView(m.secrets.appSecret), session: secretView(m.secrets.session),
    },
  };
}

/** Saves the given fields of one platform; refused (nothing written) when it would be enabled without what it needs. */
export function saveVoucherSettings(till: Till, input: SaveVoucherSettingsInput): { view: VoucherSettingsView; changed: string[] } {
  const session = till.auth.requireSession();
  const p = input.platform;
  const given = input as Record<string, unknown>;
  const changed = till.tx(() => {
    const s = readStored(till, p);
    const changed: string[] = [];
    if (given.enabled !== undefined && given.enabled !== s.enabled) (s.enabled = given.enabled as boolean), changed.push('enabled');
    if (given.baseUrl !== undefined && given.baseUrl !== s.baseUrl) (s.baseUrl = given.baseUrl as string), changed.push('baseUrl');
    for (const f of [...FIELDS[p].ids, ...FIELDS[p].optional]) {
      const v = given[f] as string | undefined;
      if (v !== undefined && v !== (s.plain[f] ?? '')) (s.plain[f] = v), changed.push(f);
    }
    for (const f of FIELDS[p].secrets) {
      const v = given[f] as string | undefined;
      if (v === undefined) continue;
      let same = false;
      try {
        same = !!s.secrets[f] && unseal(till.options.dataDir, s.secrets[f]!, '') === v;
      } catch {
        same = false; // unreadable here: the new value replaces it
      }
      if (!same) (s.secrets[f] = { ...seal(till.options.dataDir, v), hint: `…${v.slice(-4)}` }), changed.push(f);
    }
    if (s.enabled) {
      const missing = missingOf(p, s);
      if (missing.length) throw new TillError('VOUCHER_SETTINGS_INCOMPLETE', `启用${NAMES[p]}核销还缺：${missing.map((f) => LABELS[f]).join('、')}（未保存）`);
    }
    if (!changed.length) return changed;
    const at = till.now();
    s.updatedAt = at;
    till.db
      .insert(settings)
      .values({ key: key(p), value: s, updatedAt: at })
      .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } })
      .run();
    // Field names only: a value never goes into the audit log.
    audit(till.sqlite, { userId: session.userId, action: 'vouchers.settings', target: p, details: { changed } }, at);
    return changed;
  });
  return { view: readVoucherSettings(till), changed };
}

export interface VoucherConfig {
  douyin?: DouyinLifeConfig;
  meituan?: MeituanConfig;
  timeoutMs?: number;
}

/** The connectors' configuration from the saved settings: enabled, complete platforms only (secrets opened here, in the main process). */
export function voucherConfigOf(till: Till): VoucherConfig {
  const out: VoucherConfig = {};
  for (const p of VOUCHER_PLATFORMS) {
    const s = readStored(till, p);
    if (!s.enabled || missingOf(p, s).length) continue;
    const open = (f: string) => unseal(till.options.dataDir, s.secrets[f]!, LABELS[f]);
    if (p === 'douyin') {
      out.douyin = {
        clientKey: s.plain.clientKey, clientSecret: open('clientSecret'), poiId: s.plain.poiId, lifeAccountId: s.plain.lifeAccountId || undefined,
        baseUrl: baseUrlOf(p, s), shortLinkBase: s.plain.shortLinkBase || DEFAULT_DOUYIN_SHORT_LINK_BASE,
      };
    } else {
      out.meituan = { appKey: s.plain.appKey, appSecret: open('appSecret'), session: open('session'), openShopUuid: s.plain.openShopUuid, baseUrl: baseUrlOf(p, s) };
    }
  }
  return out;
}
