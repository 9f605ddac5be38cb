// 网店同步 (background sync with the online shops, electron/sync/): the status light, the activity
// list, dead letters, "sync now", the full reconcile, the platform settings (owner-only; secrets are
// sealed like the payment keys and never come back: set or not and the last 4 characters), and the
// SKU mapping review. Every refusal is {code, Chinese message}. Pure: no Node, no DOM.
import { z } from 'zod';
import { endpoint } from './endpoint';

/** Platforms the sync engine may talk to (weidian and kuaishou join as their connectors land). */
export type SyncPlatform = 'youzan' | 'doudian' | 'weidian' | 'kuaishou';
/** Platforms whose settings this contract saves today. */
export const CONFIGURABLE_PLATFORMS = ['youzan', 'doudian', 'weidian'] as const;
export type ConfigurablePlatform = (typeof CONFIGURABLE_PLATFORMS)[number];

export const SYNC_PLATFORM_LABELS: Record<SyncPlatform, string> = { youzan: '有赞', doudian: '抖店', weidian: '微店', kuaishou: '快手小店' };

/** The platforms' own gateways; a base URL typed in the settings (a simulator) wins over these. */
export const DEFAULT_SYNC_BASE_URLS: Record<ConfigurablePlatform, string> = {
  youzan: 'https://open.youzanyun.com',
  doudian: 'https://openapi-fxg.jinritemai.com',
  weidian: 'https://api.vdian.com', // UNVERIFIED (the 2016 SDK's gateway)
};

const platformField = z.enum(['youzan', 'doudian', 'weidian', 'kuaishou'], { error: '平台须为 有赞、抖店、微店 或 快手小店' });
const configurableField = z.enum(CONFIGURABLE_PLATFORMS, { error: '平台须为 有赞、抖店 或 微店' });
const idField = (label: string) => z.string({ error: `${label}须为文本` }).trim().min(1, { error: `${label}不能为空` }).max(80, { error: `${label}过长` });

// ---- status ------------------------------------------------------------------------------------------

export interface SyncPlatformStatus {
  platform: SyncPlatform;
  label: string;
  enabled: boolean;
  /** Settings complete enough to run (the sync agent has a connector for it). */
  configured: boolean;
  /** true: the last call succeeded; false: the last call failed; null: not tried yet. */
  connected: boolean | null;
  lastSuccessAt: number | null;
  lastPollAt: number | null;
  /** Deliveries waiting to be sent. */
  backlog: number;
  /** Open dead letters (need a person). */
  deadLetters: number;
  lastError: { code: string; message: string; at: number } | null;
}

export interface SyncStatusView {
  /** 'off': no platform enabled; 'running': the agent runs; 'stopped': enabled but the agent is not running (it restarts on the next call). */
  agent: 'off' | 'running' | 'stopped';
  platforms: SyncPlatformStatus[];
  /** Sum of backlogs; open dead letters over all platforms. */
  backlog: number;
  deadLetters: number;
}

// ---- activity ----------------------------------------------------------------------------------------

export type SyncActivityKind =
  /** A stock change sent (increment or absolute figure). */
  | 'push'
  /** An order poll that fetched something. */
  | 'poll'
  /** A full reconcile: drift found and repaired by an absolute push. */
  | 'repair'
  | 'reconcile'
  /** A delivery that failed for good (a dead letter). */
  | 'dead_letter'
  | 'auto_match';

export interface SyncActivityItem {
  /** Stable id (for the cursor and React keys). */
  id: string;
  at: number;
  platform: SyncPlatform;
  kind: SyncActivityKind;
  ok: boolean;
  /** In Chinese, one line: 库存 +(-)2 → 有赞, 拉取订单 3 笔 (新 2) … */
  summary: string;
  skuId: string | null;
  skuName: string | null;
  /** applied | already_applied | superseded | unmapped for pushes; null otherwise. */
  outcome: string | null;
}

export interface SyncActivityPage {
  items: SyncActivityItem[];
  /** Pass back for the next (older) page; null at the end. */
  nextCursor: string | null;
}

// ---- dead letters ------------------------------------------------------------------------------------

export interface SyncDeadLetter {
  id: string;
  platform: SyncPlatform;
  skuId: string | null;
  skuName: string | null;
  barcode: string | null;
  /** Why, in Chinese. */
  reason: string;
  errorCode: string | null;
  attempts: number;
  createdAt: number;
}

// ---- reconcile ---------------------------------------------------------------------------------------

export interface SyncDrift {
  skuId: string;
  skuName: string;
  itemId: string;
  platformSkuId: string | null;
  /** What the platform showed. */
  platformQty: number;
  /** What it should show (sellable). */
  expectedQty: number;
}

export interface SyncReconcilePlatform {
  platform: SyncPlatform;
  ok: boolean;
  /** Chinese reason when the platform's list could not be read. */
  error: string | null;
  checked: number;
  /** Mapped SKUs the platform's list no longer has (deleted or off sale there). */
  missing: number;
  drifts: SyncDrift[];
  /** Absolute pushes queued to repair the drifts. */
  repaired: number;
}

export interface SyncReconcileReport {
  at: number;
  platforms: SyncReconcilePlatform[];
}

// ---- settings ----------------------------------------------------------------------------------------

/** A saved secret as the screen sees it: never the value. */
export interface SyncSecretView {
  set: boolean;
  /** "…a1b2"; null when not set. */
  hint: string | null;
}

/** What every platform's settings view has (网店平台 here, 团购券 in ./vouchers.ts) besides its own fields. */
export interface PlatformSettingsBase {
  enabled: boolean;
  /** As typed ('' = the official gateway). */
  baseUrl: string;
  effectiveBaseUrl: string;
  /** Every field needed is set. */
  complete: boolean;
  /** Labels of what is still missing, in Chinese. */
  missing: string[];
  /** Why the saved settings cannot be used on this machine (a secret that no longer decrypts), in Chinese. */
  problem: string | null;
  updatedAt: number | null;
}

export interface YouzanSettingsView extends PlatformSettingsBase {
  clientId: string;
  /** grant_id = the shop's kdt_id (self-use app, silent token mode). */
  grantId: string;
  clientSecret: SyncSecretView;
}

export interface DoudianSettingsView extends PlatformSettingsBase {
  appKey: string;
  shopId: string;
  appSecret: SyncSecretView;
}

/** Weidian (微店): a client_credential token from appkey + secret, nothing else (PLATFORMS.md §5.2, UNVERIFIED). */
export interface WeidianSettingsView extends PlatformSettingsBase {
  appKey: string;
  secret: SyncSecretView;
}

export interface SyncSettingsView {
  youzan: YouzanSettingsView;
  doudian: DoudianSettingsView;
  weidian: WeidianSettingsView;
  secretStore: { kind: 'os-keychain' | 'electron-safe-storage' | 'local-key-file'; label: string; warning: string | null };
}

export const baseUrlField = z
  .string({ error: '接口地址须为文本' })
  .trim()
  .max(200, { error: '接口地址过长' })
  .refine((s) => s === '' || /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(s), { error: '接口地址须以 http:// 或 https:// 开头（留空为官方地址）' });
export const enabledField = z.boolean({ error: '“启用”须为是或否' });
export const secretField = (label: string) =>
  z.string({ error: `${label}须为文本` }).trim().min(8, { error: `${label}至少 8 位` }).max(128, { error: `${label}过长` }).regex(/^[\x21-\x7e]+$/, { error: `${label}只能是字母、数字和符号` });

/** Every field optional: a field left out keeps its value. A secret is only ever written, never read back. */
export const saveYouzanSettingsInput = z
  .object({
    platform: z.literal('youzan'),
    enabled: enabledField.optional(),
    baseUrl: baseUrlField.optional(),
    clientId: z.string({ error: 'client_id 须为文本' }).trim().regex(/^[A-Za-z0-9_-]{4,64}$/, { error: 'client_id 须为 4–64 位字母或数字' }).optional(),
    clientSecret: secretField('client_secret').optional(),
    grantId: z.string({ error: '店铺 ID（kdt_id）须为文本' }).trim().regex(/^\d{1,20}$/, { error: '店铺 ID（kdt_id）须为数字' }).optional(),
  })
  .strict();
export type SaveYouzanSettingsInput = z.input<typeof saveYouzanSettingsInput>;

export const saveDoudianSettingsInput = z
  .object({
    platform: z.literal('doudian'),
    enabled: enabledField.optional(),
    baseUrl: baseUrlField.optional(),
    appKey: z.string({ error: 'app_key 须为文本' }).trim().regex(/^\d{4,32}$/, { error: 'app_key 须为数字' }).optional(),
    appSecret: secretField('app_secret').optional(),
    shopId: z.string({ error: '店铺 ID 须为文本' }).trim().regex(/^\d{1,20}$/, { error: '店铺 ID 须为数字' }).optional(),
  })
  .strict();
export type SaveDoudianSettingsInput = z.input<typeof saveDoudianSettingsInput>;

export const saveWeidianSettingsInput = z
  .object({
    platform: z.literal('weidian'),
    enabled: enabledField.optional(),
    baseUrl: baseUrlField.optional(),
    // The appkey's form is UNVERIFIED (the SDK only passes it through): letters, digits, - and _.
    appKey: z.string({ error: 'appkey 须为文本' }).trim().regex(/^[A-Za-z0-9_-]{4,64}$/, { error: 'appkey 须为 4–64 位字母或数字' }).optional(),
    secret: secretField('secret').optional(),
  })
  .strict();
export type SaveWeidianSettingsInput = z.input<typeof saveWeidianSettingsInput>;

export const saveSyncSettingsInput = z.discriminatedUnion('platform', [saveYouzanSettingsInput, saveDoudianSettingsInput, saveWeidianSettingsInput], {
  error: '平台须为 有赞、抖店 或 微店',
});
export type SaveSyncSettingsInput = z.input<typeof saveSyncSettingsInput>;

export interface SyncTestResult {
  ok: boolean;
  /** In Chinese: 连接正常（…） or the reason it failed. */
  message: string;
}

// ---- mapping -----------------------------------------------------------------------------------------

export interface SyncLinkView {
  platform: SyncPlatform;
  itemId: string;
  platformSkuId: string | null;
  matchedBy: 'barcode' | 'code' | 'manual';
  /** The platform's title of the item (from its last item list), when known. */
  title: string | null;
}

export interface SyncMappingRow {
  skuId: string;
  name: string;
  barcode: string | null;
  /** Merchant code (商家编码 / 货号) of the local SKU, when it has one. */
  code: string | null;
  /** On hand, whole units. */
  stock: number;
  links: SyncLinkView[];
}

export interface SyncMappingPage {
  rows: SyncMappingRow[];
  total: number;
  offset: number;
}

/** One item/SKU as a platform lists it (kept from the last autoMatch / reconcile). */
export interface SyncPlatformItem {
  platform: SyncPlatform;
  itemId: string;
  platformSkuId: string | null;
  title: string;
  barcode: string | null;
  /** 商家编码 on the platform. */
  code: string | null;
  quantity: number | null;
  /** The local SKU linked to it, if any. */
  linkedSkuId: string | null;
  seenAt: number;
}

export interface SyncPlatformItemsPage {
  items: SyncPlatformItem[];
  total: number;
  offset: number;
}

export interface SyncAutoMatchPlatform {
  platform: SyncPlatform;
  ok: boolean;
  /** Chinese reason when the platform's list could not be read. */
  error: string | null;
  /** Platform items/SKUs listed. */
  listed: number;
  /** Newly linked now. */
  matched: number;
  /** Already linked before (left as they were). */
  alreadyLinked: number;
  /** More than one local SKU (or platform SKU) fits: left for a person. */
  ambiguous: number;
  /** No local SKU fits. */
  unmatched: number;
}

export interface SyncAutoMatchReport {
  platforms: SyncAutoMatchPlatform[];
}

const pageFields = {
  offset: z.number({ error: '偏移须为数字' }).int().min(0).max(1_000_000).default(0),
  limit: z.number({ error: '条数须为数字' }).int().min(1).max(200).default(50),
};

export const syncApi = {
  'sync.status': endpoint<SyncStatusView>()({
    input: z.object({}).strict(),
    role: 'staff',
    summary: '同步状态：每个平台是否启用、连接、最后成功、积压、死信、最后错误、最后拉单',
  }),
  'sync.activity': endpoint<SyncActivityPage>()({
    input: z
      .object({
        platform: platformField.optional(),
        cursor: z.string({ error: '翻页标记须为文本' }).max(200).optional(),
        limit: z.number({ error: '条数须为数字' }).int().min(1).max(200).default(50),
      })
      .strict(),
    role: 'manager',
    summary: '同步记录（推送、拉单、对账修正、死信），新的在前，分页',
  }),
  'sync.deadLetters': endpoint<SyncDeadLetter[]>()({
    input: z.object({ platform: platformField.optional() }).strict(),
    role: 'manager',
    summary: '需要人处理的同步失败（死信），旧的在前',
  }),
  'sync.retry': endpoint<{ ok: true }>()({
    input: z.object({ id: idField('死信编号') }).strict(),
    role: 'manager',
    summary: '重发一条死信（从头计数，立即尝试；审计）',
  }),
  'sync.dismiss': endpoint<{ ok: true }>()({
    input: z.object({ id: idField('死信编号') }).strict(),
    role: 'manager',
    summary: '忽略一条死信（不再发送；审计）',
  }),
  'sync.now': endpoint<SyncStatusView>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '立即同步一轮（推送积压、拉取订单），返回之后的状态',
  }),
  'sync.reconcile': endpoint<SyncReconcileReport>()({
    input: z.object({ platform: configurableField.optional() }).strict(),
    role: 'manager',
    summary: '全量对账：读取平台库存与应售数比较，偏差以绝对数修正并记录',
  }),
  'sync.settings': endpoint<SyncSettingsView>()({
    input: z.object({}).strict(),
    role: 'owner',
    summary: '网店同步设置（有赞、抖店、微店；密钥只显示是否已设置和末 4 位）',
  }),
  'sync.saveSettings': endpoint<SyncSettingsView>()({
    input: saveSyncSettingsInput,
    role: 'owner',
    summary: '保存一个平台的同步设置（只改给出的字段；密钥加密保存；审计记下改了哪些字段，不记值；同步线程按新设置重启）',
  }),
  'sync.testConnection': endpoint<SyncTestResult>()({
    input: z.object({ platform: configurableField }).strict(),
    role: 'owner',
    summary: '测试连接：用已保存的设置取令牌并读一页商品',
  }),
  'sync.mapping.list': endpoint<SyncMappingPage>()({
    input: z
      .object({
        platform: platformField.optional(),
        /** matched / unmatched: on `platform` when given, else on any / no platform. */
        filter: z.enum(['all', 'matched', 'unmatched'], { error: '筛选须为 全部、已关联 或 未关联' }).default('all'),
        search: z.string({ error: '搜索须为文本' }).trim().max(60, { error: '搜索词过长' }).optional(),
        ...pageFields,
      })
      .strict(),
    role: 'manager',
    summary: '商品关联：本地商品及其在各平台的商品/SKU，可筛选已关联/未关联、按名称条码编码搜索，分页',
  }),
  'sync.mapping.platformItems': endpoint<SyncPlatformItemsPage>()({
    input: z
      .object({
        platform: configurableField,
        unlinkedOnly: z.boolean({ error: '“只看未关联”须为是或否' }).default(false),
        search: z.string({ error: '搜索须为文本' }).trim().max(60, { error: '搜索词过长' }).optional(),
        ...pageFields,
      })
      .strict(),
    role: 'manager',
    summary: '平台商品列表（上次自动匹配或对账时读取的），供手动关联选择',
  }),
  'sync.mapping.autoMatch': endpoint<SyncAutoMatchReport>()({
    input: z.object({ platform: configurableField.optional() }).strict(),
    role: 'manager',
    summary: '自动匹配：读取平台商品，按条码或商家编码唯一匹配的关联，多个匹配的留给人处理（审计）',
  }),
  'sync.mapping.link': endpoint<SyncMappingRow>()({
    input: z
      .object({
        skuId: idField('商品编号'),
        platform: configurableField,
        itemId: idField('平台商品 ID'),
        platformSkuId: idField('平台 SKU ID').nullable().default(null),
      })
      .strict(),
    role: 'manager',
    summary: '手动关联本地商品与平台商品/SKU（审计；随后推送一次绝对库存）',
  }),
  'sync.mapping.unlink': endpoint<SyncMappingRow>()({
    input: z.object({ skuId: idField('商品编号'), platform: configurableField }).strict(),
    role: 'manager',
    summary: '取消关联（审计；此后不再向该平台推送这个商品的库存）',
  }),
};
