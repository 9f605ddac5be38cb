// Group-buy vouchers (团购券核销): Douyin 来客 and Meituan/Dianping. The cashier scans or types the code,
// sees what it is (vouchers.prepare), confirms how many uses (vouchers.redeem); a redeemed voucher pays
// its value into the cart as a `voucher` tender line (sales.pay with { method: 'voucher', redemptionId }),
// the rest with the normal tenders. A manager may undo within the platform's window (Douyin: 1 hour).
// Every redemption is in the log (vouchers.log, vouchers.export). The rules live in electron/vouchers.
import { z } from 'zod';
import { endpoint } from './endpoint';
import { baseUrlField, enabledField, secretField, type PlatformSettingsBase, type SyncSecretView } from './sync';

export const VOUCHER_PLATFORMS = ['douyin', 'meituan'] as const;
export type VoucherPlatformName = (typeof VOUCHER_PLATFORMS)[number];

/**
 * A redemption's state. Not final: CREATED (stored, nothing sent), PENDING (the call is out), UNKNOWN (no
 * answer learned: being retried with the same token and parameters; never a failure). Final: REDEEMED,
 * FAILED (the platform refused; nothing redeemed), UNDONE (redeemed, then undone by a manager).
 */
export const REDEMPTION_STATES = ['CREATED', 'PENDING', 'UNKNOWN', 'REDEEMED', 'FAILED', 'UNDONE'] as const;
export type RedemptionState = (typeof REDEMPTION_STATES)[number];

/** What the cashier sees before confirming (the platform's own answer to prepare). */
export interface VoucherPreview {
  /** Hand back to vouchers.redeem (kept by the till for 10 minutes; a Douyin verify_token pairs with it). */
  prepareId: string;
  platform: VoucherPlatformName;
  /** 抖音团购 / 美团团购 */
  platformLabel: string;
  codeMask: string;
  /** The deal / product the voucher is for. */
  title: string;
  /** Value of one use in fen, as the platform says (what the platform pays the shop). */
  unitValueFen: number;
  /** How many uses can be redeemed now. */
  usesLeft: number;
  expiresAt: number | null;
}

export interface RedemptionView {
  id: string;
  platform: VoucherPlatformName;
  platformLabel: string;
  codeMask: string;
  title: string;
  uses: number;
  unitValueFen: number;
  valueFen: number;
  state: RedemptionState;
  /** The state in the cashier's words: 已核销 / 核销结果未知，正在重试… */
  words: string;
  final: boolean;
  detail: string | null;
  cartId: string | null;
  /** The sale it paid (voucher tender), null while not used in a sale. */
  saleId: string | null;
  receiptNo: string | null;
  createdBy: string;
  createdByName: string | null;
  createdAt: number;
  redeemedAt: number | null;
  undoneBy: string | null;
  undoneAt: number | null;
  /** Until when a manager may undo it (platform window), null when it cannot be undone. */
  undoUntil: number | null;
}

export interface RedemptionDetail extends RedemptionView {
  events: { at: number; from: RedemptionState | null; to: RedemptionState; by: string | null; detail: string | null }[];
}

/** Redeemed vouchers of the active cart that no sale took yet: sales.pay includes `toInclude`. */
export interface CartVouchersView {
  cartId: string;
  redeemed: RedemptionView[];
  redeemedFen: number;
  toInclude: { method: 'voucher'; amountFen: number; redemptionId: string }[];
}

export interface VoucherLogView {
  rows: RedemptionView[];
  total: number;
  page: number;
  pageSize: number;
  /** Per platform: redeemed uses and value (undone ones left out). */
  totals: { platform: VoucherPlatformName; redemptions: number; uses: number; valueFen: number }[];
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const voucherLogFilter = z
  .object({
    platform: z.enum(VOUCHER_PLATFORMS, { error: '平台应为 douyin 或 meituan' }).optional(),
    /** redeemed (still), undone, failed, open (not final: being retried). */
    result: z.enum(['redeemed', 'undone', 'failed', 'open'], { error: '结果应为 redeemed/undone/failed/open' }).optional(),
    /** Business days, inclusive. */
    from: day.optional(),
    to: day.optional(),
    /** A user's id: the cashier who redeemed. */
    by: z.string().min(1).max(64).optional(),
  })
  .strict();
export type VoucherLogFilter = z.infer<typeof voucherLogFilter>;

// ---- settings (设置 → 团购券, owner) -----------------------------------------------------------------

/** Each platform's official gateway (a base URL left empty means this one). */
export const DEFAULT_VOUCHER_BASE_URLS: Record<VoucherPlatformName, string> = {
  douyin: 'https://open.douyin.com',
  meituan: 'https://openapi.dianping.com',
};
export const DEFAULT_DOUYIN_SHORT_LINK_BASE = 'https://v.douyin.com';

/** Douyin 来客 (electron/vouchers/douyin/wire.ts): client_key + client_secret (client_token), the shop's poi_id. */
export interface DouyinVoucherSettingsView extends PlatformSettingsBase {
  clientKey: string;
  poiId: string;
  /** 来客 root account id (optional: only when the app serves several). */
  lifeAccountId: string;
  /** Where scanned short links are resolved ('' = https://v.douyin.com). */
  shortLinkBase: string;
  clientSecret: SyncSecretView;
}

/** Meituan/Dianping (electron/vouchers/meituan/wire.ts): app_key + app_secret (MD5 sign), the merchant's session, open_shop_uuid. */
export interface MeituanVoucherSettingsView extends PlatformSettingsBase {
  appKey: string;
  openShopUuid: string;
  appSecret: SyncSecretView;
  session: SyncSecretView;
}

export interface VoucherSettingsView {
  douyin: DouyinVoucherSettingsView;
  meituan: MeituanVoucherSettingsView;
}

const idField = (label: string) =>
  z.string({ error: `${label}须为文本` }).trim().regex(/^[A-Za-z0-9_.:-]{1,80}$/, { error: `${label}只能是字母、数字和 _ . : -` });

/** Every field optional: a field left out keeps its value. A secret is only ever written, never read back. */
export const saveDouyinVoucherSettingsInput = z
  .object({
    platform: z.literal('douyin'),
    enabled: enabledField.optional(),
    baseUrl: baseUrlField.optional(),
    shortLinkBase: baseUrlField.optional(),
    clientKey: idField('client_key').optional(),
    clientSecret: secretField('client_secret').optional(),
    poiId: z.string({ error: '门店 ID（poi_id）须为文本' }).trim().regex(/^\d{1,32}$/, { error: '门店 ID（poi_id）须为数字' }).optional(),
    lifeAccountId: z.string({ error: '来客账户 ID 须为文本' }).trim().regex(/^\d{0,32}$/, { error: '来客账户 ID 须为数字（可留空）' }).optional(),
  })
  .strict();

export const saveMeituanVoucherSettingsInput = z
  .object({
    platform: z.literal('meituan'),
    enabled: enabledField.optional(),
    baseUrl: baseUrlField.optional(),
    appKey: idField('app_key').optional(),
    appSecret: secretField('app_secret').optional(),
    session: secretField('session').optional(),
    openShopUuid: idField('门店 ID（open_shop_uuid）').optional(),
  })
  .strict();

export const saveVoucherSettingsInput = z.discriminatedUnion('platform', [saveDouyinVoucherSettingsInput, saveMeituanVoucherSettingsInput], {
  error: '平台应为抖音来客或美团',
});
export type SaveVoucherSettingsInput = z.input<typeof saveVoucherSettingsInput>;

const redemptionId = z.string().min(1, '缺少核销记录编号').max(64);

export const vouchersApi = {
  'vouchers.prepare': endpoint<VoucherPreview>()({
    input: z
      .object({
        /** As scanned (a Douyin QR link) or typed (a voucher code). */
        code: z.string().trim().min(1, '请扫描或输入团购券码').max(1024, '券码内容过长'),
        /** When the code's shape fits more than one platform, the one the cashier chose. */
        platform: z.enum(VOUCHER_PLATFORMS, { error: '平台应为抖音或美团' }).optional(),
      })
      .strict(),
    role: 'staff',
    summary: '验券准备：向平台查询团购券（商品、面值、可用次数），核销前给收银员确认',
  }),
  'vouchers.redeem': endpoint<RedemptionView>()({
    input: z
      .object({
        /** Generated once per confirmation: a retried call returns the same redemption, never redeems twice. */
        requestId: z.string().uuid({ error: '请求编号无效' }),
        prepareId: z.string().min(1, '请先扫描团购券').max(64),
        uses: z.number({ error: '核销次数须为数字' }).int({ error: '核销次数须为整数' }).min(1, '至少核销 1 次').max(100, '一次最多核销 100 次'),
      })
      .strict(),
    role: 'staff',
    summary: '核销团购券（指定次数）：先记录后调用平台，超时以相同参数重试，结果不猜测',
  }),
  'vouchers.get': endpoint<RedemptionDetail>()({
    input: z.object({ id: redemptionId }).strict(),
    role: 'staff',
    summary: '一次核销的状态（文字）及每次状态变化',
  }),
  'vouchers.forCart': endpoint<CartVouchersView>()({
    input: z.object({}).strict(),
    role: 'staff',
    summary: '当前购物车已核销、尚未结账的团购券（结账时作为“团购券”支付行）',
  }),
  'vouchers.undo': endpoint<RedemptionView>()({
    input: z
      .object({
        id: redemptionId,
        reason: z.string().trim().max(60).optional(),
        /** A manager's on-the-spot approval (auth.approve) bound to this redemption; a manager's own session needs none. */
        approval: z.string().regex(/^[0-9a-f]{32}$/, '店长授权无效').optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '撤销核销（收银员发起、店长当场授权，或店长本人；平台时限内：抖音 1 小时；记审计，含授权人）',
  }),
  'vouchers.log': endpoint<VoucherLogView>()({
    input: voucherLogFilter
      .extend({
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    // A cashier sees their own redemptions (the main side sets `by` to them); a manager everyone's.
    role: 'staff',
    summary: '核销记录：按平台、结果、日期、收银员筛选，分页（收银员只看自己的）',
  }),
  'vouchers.settings': endpoint<VoucherSettingsView>()({
    input: z.object({}).strict(),
    role: 'owner',
    summary: '团购券平台设置（抖音来客、美团；密钥只显示是否已设置和末 4 位）',
  }),
  'vouchers.saveSettings': endpoint<VoucherSettingsView>()({
    input: saveVoucherSettingsInput,
    role: 'owner',
    summary: '保存一个团购券平台的设置（只改给出的字段；密钥加密保存；审计记下改了哪些字段；核销服务按新设置重建）',
  }),
  'vouchers.export': endpoint<{ file: string; rows: number }>()({
    input: voucherLogFilter.extend({ format: z.enum(['xlsx', 'csv'], { error: '格式应为 xlsx 或 csv' }) }).strict(),
    role: 'manager',
    summary: '导出核销记录（Excel 或 CSV，保存在 exports 目录，记审计）',
  }),
};
