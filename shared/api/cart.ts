// The cart being rung up lives on the main side: every change is checked there (manager approvals,
// limits), it survives a restart, and the customer display can show it. The renderer shows the
// CartView each call returns.
import { z } from 'zod';
import type { PricedCart, PricedLine } from '../pricing';
import { barcodeInput, codeText } from './catalog';
import { endpoint } from './endpoint';

export const discountSchema = z.discriminatedUnion('kind', [
  /** Basis points taken off: 1000 = 10% off (九折). */
  z.object({ kind: z.literal('percent'), bp: z.number().int().min(0).max(10_000) }),
  z.object({ kind: z.literal('amount'), fen: z.number().int().min(0).max(100_000_000) }),
]);
/** Thousandths of the sell unit: 1000 = one piece, 1234 = 1.234 kg. Max 9999 pieces per line. */
export const qtySchema = z
  .number({ message: '数量须为数字' })
  .int('数量格式不对')
  .min(1, '数量须大于 0')
  .max(9_999_000, '数量过大（单行最多 9999）');
export const approvalToken = z.string().regex(/^[0-9a-f]{32}$/).optional();
const lineId = z.string().min(1).max(64);

export interface CartLineView {
  id: string;
  skuId: string;
  name: string;
  unit: string;
  weighed: boolean;
  scannedCode: string | null;
  note: string | null;
  /** The name of the manager who approved a price override on this line, else null. */
  priceOverriddenBy: string | null;
  /** A label-scale line: its quantity/amount come from the label (setQty refused; remove and rescan). */
  scaleLabel: boolean;
  /** Set when this SKU in the cart takes stock online orders hold: warn the cashier, never block. */
  stockWarning?: string | null;
}
export interface MemberBrief {
  id: string;
  name: string;
  phone: string; // masked: 138****5678
  level: string;
  points: number;
  balanceFen: number;
}
export interface CartView {
  id: string;
  /** Goes up by one with every change of this cart (a patch names the version it applies to). */
  version: number;
  /** Per-line display data, same order and ids as priced.lines. */
  lines: CartLineView[];
  priced: PricedCart;
  member: MemberBrief | null;
  /** After 结算 (subtotal) removing a line or voiding needs a manager. */
  subtotaled: boolean;
  /** The line last added or changed (highlight and scroll into view). */
  focusLineId: string | null;
  heldCount: number;
}
/**
 * What a change did to the cart the caller showed (shared/cart-patch.ts): the lines added or changed,
 * the lines gone and the new totals. Answered instead of the whole CartView to a call that passed
 * `known` matching the cart as it was before the change.
 */
export interface CartPatch {
  patch: true;
  id: string;
  /** The version it applies to, and the version it makes. */
  from: number;
  version: number;
  /** Lines added or changed, with their index in the new cart, ascending. */
  changed: { index: number; line: CartLineView; priced: PricedLine }[];
  removed: string[];
  lineCount: number;
  totals: Omit<PricedCart, 'lines'>;
  member: MemberBrief | null;
  subtotaled: boolean;
  focusLineId: string | null;
  heldCount: number;
}
export type CartReply = CartView | CartPatch;
export const isCartPatch = (r: CartReply): r is CartPatch => 'patch' in r;

/** The cart the caller shows: with it, the hot changes answer with a CartPatch when it is still current. */
const known = z.object({ id: z.string().min(1).max(64), version: z.number().int().min(0) }).strict().optional();

export interface HeldCartView {
  id: string;
  heldAt: number;
  userName: string;
  note: string | null;
  itemCount: number;
  totalFen: number;
  firstItems: string;
}

export const cartApi = {
  'cart.get': endpoint<CartView>()({ input: z.object({}).strict(), role: 'cashier', summary: '当前购物车' }),
  'cart.scan': endpoint<CartReply>()({
    input: z
      .object({ code: barcodeInput, multiplier: z.number().int().min(1).max(999).optional(), known })
      .strict(),
    role: 'cashier',
    summary: '扫码加购（含条码秤条码、6*条码 乘数）',
  }),
  'cart.addSku': endpoint<CartReply>()({
    input: z.object({ skuId: z.string().min(1).max(64), qty: qtySchema.optional(), known }).strict(),
    role: 'cashier',
    summary: '按商品加购（搜索结果、快捷键、称重）',
  }),
  'cart.setQty': endpoint<CartReply>()({
    input: z.object({ lineId, qty: qtySchema, approval: approvalToken, known }).strict(),
    role: 'cashier',
    summary: '改数量（结算后减少数量需店长授权）',
  }),
  'cart.removeLine': endpoint<CartReply>()({
    input: z.object({ lineId, approval: approvalToken, known }).strict(),
    role: 'cashier',
    summary: '删除商品行（结算后需店长授权）',
  }),
  'cart.setLineDiscount': endpoint<CartView>()({
    input: z.object({ lineId, discount: discountSchema.nullable(), approval: approvalToken }).strict(),
    role: 'cashier',
    summary: '单品折扣（超过限额需店长授权）',
  }),
  'cart.setOrderDiscount': endpoint<CartView>()({
    input: z.object({ discount: discountSchema.nullable(), approval: approvalToken }).strict(),
    role: 'cashier',
    summary: '整单折扣（超过限额需店长授权）',
  }),
  'cart.overridePrice': endpoint<CartView>()({
    input: z
      .object({
        lineId,
        unitPriceFen: z.number({ message: '价格须为数字' }).int('价格须精确到分').min(0, '价格不能为负').max(100_000_000, '价格过高'),
        approval: approvalToken,
      })
      .strict(),
    role: 'cashier',
    summary: '改价（收银员需店长授权）',
  }),
  'cart.setNote': endpoint<CartView>()({
    input: z.object({ lineId, note: z.string().max(60).nullable() }).strict(),
    role: 'cashier',
    summary: '商品备注',
  }),
  'cart.subtotal': endpoint<CartView>()({ input: z.object({}).strict(), role: 'cashier', summary: '结算（小计）' }),
  'cart.reopen': endpoint<CartView>()({ input: z.object({}).strict(), role: 'cashier', summary: '返回修改购物车' }),
  'cart.attachMember': endpoint<CartView>()({
    input: z.object({ phone: codeText().regex(/^1\d{10}$/, '请输入 11 位手机号').nullable() }).strict(),
    role: 'cashier',
    summary: '按手机号关联会员（null 取消）',
  }),
  'cart.void': endpoint<CartView>()({
    input: z.object({ approval: approvalToken }).strict(),
    role: 'cashier',
    summary: '整单作废未付款的购物车（结算后需店长授权）',
  }),
  'cart.hold': endpoint<CartView>()({
    input: z.object({ note: z.string().max(40).optional() }).strict(),
    role: 'cashier',
    summary: '挂单（挂在当前用户名下；退出登录时购物车自动挂起）',
  }),
  'cart.held': endpoint<HeldCartView[]>()({ input: z.object({}).strict(), role: 'cashier', summary: '挂单列表（收银员只看到自己的挂单，店长、店主看到全部）' }),
  'cart.recall': endpoint<CartView>()({
    input: z.object({ heldId: z.string().min(1).max(64) }).strict(),
    role: 'cashier',
    summary: '取单：当前购物车有商品时先挂起（同一事务）；收银员只能取自己的挂单',
  }),
};
