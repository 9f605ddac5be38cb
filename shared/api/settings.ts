// Settings: the rules of every stored setting (one zod schema each, with its default and a Chinese
// message a merchant can read) and the 收银设置 endpoints. The rules live here in shared/ so the main
// process (electron/till/settings.ts re-exports them), the API boundary and the settings screen all
// check a value by the same schema. Pure: no Node, no DOM.
import { z } from 'zod';
import { checkScaleLayout } from '../barcode';
import { BIG_CHANGE_CHECK_FEN, formatYuan } from '../money';
import { endpoint } from './endpoint';

/**
 * Default label-scale layouts, one per flag digit (the second digit of a 2x code): 20–24 carry the
 * weight in grams, 25–29 the price in fen, both with a 5-digit PLU. A shop whose scales print
 * otherwise lists its own patterns (first match wins; see shared/barcode.ts for the letters).
 */
export const DEFAULT_SCALE_LAYOUTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((f) =>
  f < 5 ? `2${f}PPPPPWWWWWC` : `2${f}PPPPP$$$$$C`,
);

/** A layout refused says which one and why (checkScaleLayout's own words). */
const scaleLayout = z.string({ error: '条码秤格式须为文字' }).superRefine((l, ctx) => {
  try {
    checkScaleLayout(l);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof RangeError ? e.message : `条码秤格式无效：${l}` });
  }
});

type RangeIssue = { code?: string; minimum?: unknown; maximum?: unknown };
/** An integer setting whose messages name it and quote its own bounds (so each bound is written once). */
function intSetting(label: string, min: number, max: number, show: (n: number) => string) {
  const error = (iss: RangeIssue) =>
    iss.code === 'too_small'
      ? `${label}最小为 ${show(Number(iss.minimum))}`
      : iss.code === 'too_big'
        ? `${label}最大为 ${show(Number(iss.maximum))}`
        : `${label}须为 ${show(min)} 到 ${show(max)} 之间的整数`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}
const bool = (label: string) => z.boolean({ error: `「${label}」须为“是”或“否”` });

export const settingSchemas = {
  'shop.name': z.string().min(1).max(40).default('小店便利'),
  'shop.address': z.string().max(80).default(''),
  'shop.phone': z.string().max(30).default(''),
  'till.id': z
    .string({ error: '收银台编号须为文字' })
    .regex(/^[A-Z0-9]{2,6}$/, { error: '收银台编号须为 2–6 位大写字母或数字（如 T01）' })
    .default('T01'),
  'day.cutoffHour': intSetting('营业日切换时间', 0, 12, (n) => `${n} 点`).default(4),
  'checkout.rounding': z
    .enum(['none', 'jiao', 'yuan', 'jiao_half'], { error: '抹零方式无效（不抹零 / 抹到角 / 抹到元 / 四舍五入到角）' })
    .default('none'),
  /** A repeat scan of a piece item adds to its line instead of a new line. */
  'checkout.mergeRepeatScans': bool('重复扫码合并').default(true),
  /** A cashier may discount up to this share (basis points, 1000 = 10% off) and ... */
  'checkout.cashierDiscountLimitBp': intSetting('收银员折扣上限', 0, 10_000, (bp) => `${bp / 100}%`).default(1000),
  /** ... up to this amount per line or order (fen); above either a manager approves. */
  'checkout.cashierDiscountLimitFen': intSetting('收银员优惠金额上限', 0, 100_000_000, formatYuan).default(5000),
  'checkout.scaleLayouts': z
    .array(scaleLayout, { error: '条码秤格式须为列表' })
    .max(20, { error: (iss) => `条码秤格式最多 ${String(iss.maximum)} 个` })
    .default(DEFAULT_SCALE_LAYOUTS),
  /** Sales and refunds need an open shift (the drawer's cash belongs to a shift). */
  'checkout.requireShift': bool('必须先开班').default(true),
  'checkout.maxHeldCarts': z.number().int().min(1).max(99).default(20),
  /** Cash received with more change than this (fen) is confirmed on screen first: ¥1,500 typed for ¥52. */
  'checkout.cashOverConfirmFen': intSetting('大额找零确认', 0, 10_000_000, formatYuan).default(BIG_CHANGE_CHECK_FEN),
  'auth.maxPinFailures': intSetting('PIN 连续错误锁定次数', 3, 10, (n) => `${n} 次`).default(5),
  'auth.lockoutMinutes': intSetting('PIN 锁定时长', 1, 120, (n) => `${n} 分钟`).default(5),
  /** Backups kept in each backup folder (the oldest beyond this are removed; electron/till/backup.ts). */
  'backup.keep': intSetting('备份保留份数', 1, 365, (n) => `${n} 份`).default(30),
  /** A second folder every backup is also copied to (a USB stick, a network share); '' = none. */
  'backup.secondDir': z.string({ error: '第二备份目录须为文字' }).max(260, { error: '路径过长' }).default(''),
  /** 语音播报: the till says "微信收款 12.30 元" on every completed electronic payment (issue 8). */
  'payments.voice': bool('收款语音播报').default(true),
  'payments.voiceVolume': intSetting('播报音量', 0, 100, (n) => `${n}%`).default(80),
};
export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;

// ------------------------------------------------------------------------------------------------
// 收银设置: the settings a merchant changes on the 设置 → 收银设置 tab. Shop name, address and phone are
// edited on the 小票 tab (receipt.saveSettings), so they are not here.

export const CHECKOUT_SETTING_KEYS = [
  'checkout.rounding',
  'checkout.mergeRepeatScans',
  'checkout.cashierDiscountLimitBp',
  'checkout.cashierDiscountLimitFen',
  'checkout.requireShift',
  'checkout.scaleLayouts',
  'checkout.cashOverConfirmFen',
  'till.id',
  'day.cutoffHour',
  'auth.maxPinFailures',
  'auth.lockoutMinutes',
] as const satisfies readonly SettingKey[];
export type CheckoutSettingKey = (typeof CHECKOUT_SETTING_KEYS)[number];

/** The current value of each 收银设置 key, by its setting key. */
export type CheckoutSettings = { [K in CheckoutSettingKey]: SettingValue<K> };

/** The rule of one key without its default (a key left out of a save is left as it is). */
const rule = <K extends CheckoutSettingKey>(k: K) => settingSchemas[k].unwrap() as ReturnType<(typeof settingSchemas)[K]['unwrap']>;

/** Any subset of the keys; each checked by its own setting schema. */
export const saveCheckoutInput = z
  .object({
    'checkout.rounding': rule('checkout.rounding').optional(),
    'checkout.mergeRepeatScans': rule('checkout.mergeRepeatScans').optional(),
    'checkout.cashierDiscountLimitBp': rule('checkout.cashierDiscountLimitBp').optional(),
    'checkout.cashierDiscountLimitFen': rule('checkout.cashierDiscountLimitFen').optional(),
    'checkout.requireShift': rule('checkout.requireShift').optional(),
    'checkout.scaleLayouts': rule('checkout.scaleLayouts').optional(),
    'checkout.cashOverConfirmFen': rule('checkout.cashOverConfirmFen').optional(),
    'till.id': rule('till.id').optional(),
    'day.cutoffHour': rule('day.cutoffHour').optional(),
    'auth.maxPinFailures': rule('auth.maxPinFailures').optional(),
    'auth.lockoutMinutes': rule('auth.lockoutMinutes').optional(),
  } satisfies { [K in CheckoutSettingKey]: z.ZodType })
  .strict();
export type SaveCheckoutInput = z.input<typeof saveCheckoutInput>;

export interface SaveCheckoutResult {
  settings: CheckoutSettings;
  /** The keys whose value changed, [from, to] (also the audit row's details). Empty: nothing was written. */
  changed: Partial<Record<CheckoutSettingKey, [unknown, unknown]>>;
}

/** 语音播报 settings (read by every till user; changed by a manager, audited). */
export interface VoiceSettings {
  enabled: boolean;
  /** 0–100 (%). */
  volume: number;
}
export const saveVoiceInput = z
  .object({
    enabled: settingSchemas['payments.voice'].unwrap().optional(),
    volume: settingSchemas['payments.voiceVolume'].unwrap().optional(),
  })
  .strict();

export const settingsApi = {
  'settings.checkout': endpoint<CheckoutSettings>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '收银设置（抹零、合并扫码、收银员折扣上限、开班要求、条码秤格式、大额找零确认、收银台编号、营业日切换、PIN 锁定）',
  }),
  'settings.saveCheckout': endpoint<SaveCheckoutResult>()({
    input: saveCheckoutInput,
    role: 'manager',
    summary: '保存收银设置（一次事务，记一条审计：改了哪些、从什么改成什么）',
  }),
  'settings.voice': endpoint<VoiceSettings>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '收款语音播报设置（开关、音量）',
  }),
  'settings.saveVoice': endpoint<VoiceSettings>()({
    input: saveVoiceInput,
    role: 'manager',
    summary: '保存收款语音播报设置（记审计）',
  }),
};
