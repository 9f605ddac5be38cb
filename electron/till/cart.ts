// The cart being rung up, kept on the main side in the carts table (one 'active' row per till, plus
// held carts). Each change reads the row, applies the change to a copy, prices it with the shared
// pricing pipeline and writes it back, together with any manager approval it consumed and its audit
// row, in one transaction: a refused change leaves the cart as it was, a restart keeps it.
// Prices come from the catalog at scan time (or an approved override); never from the UI.
import type { CartLineView, CartView, HeldCartView } from '../../shared/api/cart';
import type { SkuView } from '../../shared/api/catalog';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { mulDivRound } from '../../shared/money';
import { priceCart, type Cart, type Discount, type PricedCart } from '../../shared/pricing';
import { audit, type AuditEntry } from './audit';
import { resolveScan, skuById, type ScaleLabel } from './catalog';
import { memberById, memberByPhone } from './members';
import type { Till } from './till';

/** One line as stored in carts.data. */
export interface StoredLine {
  id: string;
  skuId: string;
  name: string;
  unit: string;
  weighed: boolean;
  /** Catalog price per sell unit when scanned. */
  catalogPriceFen: number;
  /** Price charged per sell unit: the catalog price, an approved override, or a price label's. */
  unitPriceFen: number;
  qty: number;
  lineDiscount: Discount | null;
  /** Who approved a discount above the cashier's limit (null: within the limit). */
  discountApprovedBy: string | null;
  priceOverriddenBy: { id: string; name: string } | null;
  note: string | null;
  scannedCode: string | null;
  /** Set for a label-scale line: its quantity (and amount) come from the label and cannot be edited. */
  scale: ScaleLabel['kind'] | null;
}

export interface CartData {
  lines: StoredLine[];
  orderDiscount: Discount | null;
  orderDiscountApprovedBy: string | null;
  memberId: string | null;
  subtotaled: boolean;
  focusLineId: string | null;
}

export interface StoredCart {
  id: string;
  userId: string;
  data: CartData;
  /** The row's data as read: the sale deletes the cart only if it is still exactly this. */
  raw: string;
}

/** A line holds at most 9999 sell units (the contract's qtySchema); a cart at most this many lines. */
export const MAX_LINE_QTY = 9_999_000;
export const MAX_LINES = 200;

const emptyData = (): CartData => ({
  lines: [],
  orderDiscount: null,
  orderDiscountApprovedBy: null,
  memberId: null,
  subtotaled: false,
  focusLineId: null,
});

// ---------------------------------------------------------------------------------------------
// Storage

/** The active cart, created (empty) when there is none. */
export function activeCart(till: Till): StoredCart {
  const row = till.stmt(`SELECT id, user_id AS userId, data FROM carts WHERE status = 'active' LIMIT 1`).get() as
    | { id: string; userId: string; data: string }
    | undefined;
  if (row) return { id: row.id, userId: row.userId, data: JSON.parse(row.data) as CartData, raw: row.data };
  const session = till.auth.requireSession();
  const data = emptyData();
  const cart: StoredCart = { id: newId(), userId: session.userId, data, raw: JSON.stringify(data) };
  till
    .stmt(`INSERT INTO carts (id, status, user_id, data, updated_at) VALUES (?, 'active', ?, ?, ?)`)
    .run(cart.id, cart.userId, cart.raw, till.now());
  return cart;
}

function saveCart(till: Till, cart: StoredCart): void {
  till.stmt('UPDATE carts SET data = ?, updated_at = ? WHERE id = ?').run(cart.raw, till.now(), cart.id);
}

/** Removes the cart row (a void, a recall replacing an empty cart). */
export function deleteCart(till: Till, cartId: string): void {
  till.stmt('DELETE FROM carts WHERE id = ?').run(cartId);
}

/**
 * Removes the cart a sale was priced from, inside the sale's transaction; refuses when the cart
 * changed meanwhile (another call while a tender was capturing), so the sale never misses a line.
 */
export function deletePaidCart(till: Till, cart: StoredCart): void {
  const r = till.stmt(`DELETE FROM carts WHERE id = ? AND status = 'active' AND data = ?`).run(cart.id, cart.raw);
  if (r.changes !== 1) throw new TillError('CART_CHANGED', '购物车在收款时被修改，请核对后重新收款');
}

// ---------------------------------------------------------------------------------------------
// Pricing and views

export function pricingInput(till: Till, data: CartData): Cart {
  return {
    lines: data.lines.map((l) => ({
      id: l.id,
      skuId: l.skuId,
      name: l.name,
      unitPriceFen: l.unitPriceFen,
      originalUnitPriceFen: l.catalogPriceFen,
      qty: l.qty,
      weighed: l.weighed,
      lineDiscount: l.lineDiscount ?? undefined,
    })),
    orderDiscount: data.orderDiscount ?? undefined,
    rounding: till.settings.get('checkout.rounding'),
  };
}

export const priceData = (till: Till, data: CartData): PricedCart => priceCart(pricingInput(till, data));

const heldCount = (till: Till) =>
  (till.stmt(`SELECT count(*) AS n FROM carts WHERE status = 'held'`).get() as { n: number }).n;

export function cartView(till: Till, cart: StoredCart, priced = priceData(till, cart.data)): CartView {
  const lines: CartLineView[] = cart.data.lines.map((l) => ({
    id: l.id,
    skuId: l.skuId,
    name: l.name,
    unit: l.unit,
    weighed: l.weighed,
    scannedCode: l.scannedCode,
    note: l.note,
    priceOverriddenBy: l.priceOverriddenBy?.name ?? null,
    scaleLabel: l.scale !== null,
  }));
  return {
    id: cart.id,
    lines,
    priced,
    member: cart.data.memberId ? memberById(till, cart.data.memberId) : null,
    subtotaled: cart.data.subtotaled,
    focusLineId: cart.data.focusLineId,
    heldCount: heldCount(till),
  };
}

// ---------------------------------------------------------------------------------------------
// Approvals and limits

const APPROVAL_MESSAGES: Record<string, string> = {
  discount: '折扣超过收银员权限，需要店长授权（输入店长 PIN）',
  price_override: '改价需要店长授权（输入店长 PIN）',
  remove_line: '结算后删除商品或减少数量需要店长授权（输入店长 PIN）',
  void: '结算后整单作废需要店长授权（输入店长 PIN）',
  refund: '退货需要店长授权（输入店长 PIN）',
};

/**
 * Refuses unless the token approves `action` (a manager's own session needs none). Consuming is
 * left to the caller's transaction, so a change refused later does not burn the manager's PIN.
 */
export function requireApproval(till: Till, token: string | undefined, action: string): void {
  if (!till.auth.hasApproval(token, action)) {
    throw new TillError('APPROVAL_REQUIRED', APPROVAL_MESSAGES[action] ?? '此操作需要店长授权（输入店长 PIN）', { action });
  }
}

/** A discount over either cashier limit (share of its base, or amount) needs a manager. */
function overLimit(till: Till, discountFen: number, baseFen: number): boolean {
  const bp = till.settings.get('checkout.cashierDiscountLimitBp');
  const fen = till.settings.get('checkout.cashierDiscountLimitFen');
  return discountFen > fen || discountFen * 10_000 > bp * baseFen;
}

/**
 * Discounts granted within the cashier's limit must stay within it when the cart changes (an amount
 * discount on a line whose quantity then drops would otherwise grow past the limit).
 */
function assertDiscountsWithinLimits(till: Till, data: CartData, priced: PricedCart): void {
  data.lines.forEach((l, i) => {
    const p = priced.lines[i];
    if (l.lineDiscount && !l.discountApprovedBy && overLimit(till, p.lineDiscountFen, p.grossFen)) {
      throw new TillError('DISCOUNT_LIMIT', `${l.name} 的折扣超过收银员权限，请取消折扣或重新由店长授权`, { action: 'discount' });
    }
  });
  if (data.orderDiscount && !data.orderDiscountApprovedBy) {
    if (overLimit(till, priced.orderDiscountFen, priced.subtotalFen + priced.orderDiscountFen)) {
      throw new TillError('DISCOUNT_LIMIT', '整单折扣超过收银员权限，请取消折扣或重新由店长授权', { action: 'discount' });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Changing the cart

interface ChangeContext {
  userId: string;
  /** Consumes the approval for `action` (already checked with requireApproval); the approver's id. */
  approve(token: string | undefined, action: string): string;
  audit(e: Omit<AuditEntry, 'userId'>): void;
}

/**
 * Applies `change` to a copy of the active cart inside one transaction: the approval it consumes, the
 * audit rows it writes and the new cart commit together, or nothing does.
 */
function changeCart(till: Till, change: (data: CartData, ctx: ChangeContext) => void): CartView {
  const session = till.auth.requireSession();
  const at = till.now();
  return till.tx(() => {
    const cart = activeCart(till);
    const data = structuredClone(cart.data);
    const audits: AuditEntry[] = [];
    const ctx: ChangeContext = {
      userId: session.userId,
      approve: (token, action) => till.auth.consumeApproval(token, action),
      audit: (e) => audits.push({ ...e, userId: session.userId }),
    };
    change(data, ctx);
    const priced = priceData(till, data);
    assertDiscountsWithinLimits(till, data, priced);
    for (const e of audits) audit(till.sqlite, e, at);
    const next = { ...cart, data, raw: JSON.stringify(data) };
    saveCart(till, next);
    return cartView(till, next, priced);
  });
}

function lineOf(data: CartData, lineId: string): StoredLine {
  const line = data.lines.find((l) => l.id === lineId);
  if (!line) throw new TillError('UNKNOWN_LINE', '该商品行不存在（可能已删除），请刷新');
  return line;
}

function checkQty(line: Pick<StoredLine, 'weighed' | 'name'>, qty: number): void {
  if (!Number.isSafeInteger(qty) || qty <= 0) throw new TillError('BAD_QTY', '数量须大于 0');
  if (qty > MAX_LINE_QTY) throw new TillError('QTY_TOO_LARGE', `数量过大（单行最多 9999）：${line.name}`);
  if (!line.weighed && qty % 1000 !== 0) throw new TillError('QTY_NOT_WHOLE', `${line.name} 按件销售，数量须为整数`);
}

function addLine(data: CartData, line: StoredLine): void {
  if (data.lines.length >= MAX_LINES) throw new TillError('CART_FULL', `购物车最多 ${MAX_LINES} 行，请先结算`);
  data.lines.push(line);
  data.focusLineId = line.id;
}

/**
 * For a price label, the quantity and unit price whose amount is exactly the label's price: the
 * customer pays what the label says, the receipt shows the weight. A label printed with the
 * catalog's unit price from whole grams always has such a quantity near price/unitPrice (searched
 * first, so the unit price stays the catalog's); a label priced otherwise (a markdown label, a scale
 * with an old price list) keeps the derived quantity and takes the label's effective unit price.
 */
export function labelQty(labelFen: number, unitPriceFen: number): { qty: number; unitPriceFen: number } {
  const q0 = unitPriceFen > 0 ? Math.max(1, mulDivRound(labelFen, 1000, unitPriceFen)) : 1000;
  const near = [0];
  for (let d = 1; d <= 25; d++) near.push(d, -d);
  for (const d of near) {
    const q = q0 + d;
    if (q > 0 && mulDivRound(unitPriceFen, q, 1000) === labelFen) return { qty: q, unitPriceFen };
  }
  for (const d of near) {
    const q = q0 + d;
    if (q <= 0) continue;
    const u = mulDivRound(labelFen, 1000, q);
    if (mulDivRound(u, q, 1000) === labelFen) return { qty: q, unitPriceFen: u };
  }
  throw new TillError('BAD_SCALE_LABEL', '条码秤标签金额无法换算为数量，请手工输入');
}

export const getCart = (till: Till): CartView => {
  till.auth.requireSession();
  return cartView(till, activeCart(till));
};

export function scan(till: Till, code: string, multiplier = 1): CartView {
  const hit = resolveScan(till, code); // refuses unknown / bad codes before anything is touched
  return changeCart(till, (data) => {
    const { sku } = hit;
    const base = lineBase(sku, hit.code);
    if (hit.scale) {
      if (multiplier !== 1) throw new TillError('NO_MULTIPLIER', '条码秤商品不能使用乘数，请逐个扫码');
      const { qty, unitPriceFen } =
        hit.scale.kind === 'weight'
          ? { qty: hit.scale.qty, unitPriceFen: sku.priceFen }
          : labelQty(hit.scale.priceFen, sku.priceFen);
      checkQty({ weighed: true, name: sku.name }, qty);
      addLine(data, { ...base, id: newId(), unitPriceFen, qty, scale: hit.scale.kind });
      return;
    }
    if (sku.weighed) throw new TillError('QTY_REQUIRED', `${sku.name} 是称重商品，请称重后输入重量`);
    putPieces(till, data, base, multiplier * 1000);
  });
}

type LineBase = Omit<StoredLine, 'id' | 'qty' | 'unitPriceFen' | 'scale'>;

/** A new line's fields from the catalog: catalog price, no discount, override or note yet. */
function lineBase(sku: SkuView, scannedCode: string | null): LineBase {
  return {
    skuId: sku.skuId,
    name: sku.name,
    unit: sku.unit,
    weighed: sku.weighed,
    catalogPriceFen: sku.priceFen,
    lineDiscount: null,
    discountApprovedBy: null,
    priceOverriddenBy: null,
    note: null,
    scannedCode,
  };
}

/** Adds pieces: to the SKU's line when repeat scans merge, else a new line. */
function putPieces(till: Till, data: CartData, base: LineBase, qty: number): void {
  const same = till.settings.get('checkout.mergeRepeatScans')
    ? data.lines.find((l) => l.skuId === base.skuId && !l.scale && !l.priceOverriddenBy)
    : undefined;
  if (same) {
    checkQty(same, same.qty + qty);
    same.qty += qty;
    data.focusLineId = same.id;
    return;
  }
  checkQty(base, qty);
  addLine(data, { ...base, id: newId(), unitPriceFen: base.catalogPriceFen, qty, scale: null });
}

export function addSku(till: Till, skuId: string, qty?: number): CartView {
  const sku = skuById(till, skuId);
  if (!sku) throw new TillError('UNKNOWN_SKU', '商品不存在或已停售');
  // skuById reads any SKU (returns, old sales); a discontinued one is not sold (a scan never finds it).
  if (!(till.stmt('SELECT active FROM skus WHERE id = ?').get(skuId) as { active: number }).active) {
    throw new TillError('SKU_DISCONTINUED', `${sku.name} 已停售，不能销售`);
  }
  return changeCart(till, (data) => {
    const base = lineBase(sku, null);
    if (sku.weighed) {
      if (qty === undefined) throw new TillError('QTY_REQUIRED', `${sku.name} 是称重商品，请输入重量`);
      checkQty(sku, qty);
      addLine(data, { ...base, id: newId(), unitPriceFen: sku.priceFen, qty, scale: null });
      return;
    }
    putPieces(till, data, base, qty ?? 1000);
  });
}

export function setQty(till: Till, lineId: string, qty: number, approval?: string): CartView {
  return changeCart(till, (data, ctx) => {
    const line = lineOf(data, lineId);
    if (line.scale) throw new TillError('SCALE_LINE', '条码秤商品的数量来自标签，不能修改；请删除后重新扫码');
    checkQty(line, qty);
    if (qty < line.qty && data.subtotaled) {
      requireApproval(till, approval, 'remove_line');
      const approverId = ctx.approve(approval, 'remove_line');
      ctx.audit({ approverId, action: 'cart.reduce_qty', target: line.skuId, details: { name: line.name, from: line.qty, to: qty } });
    }
    line.qty = qty;
    data.focusLineId = line.id;
  });
}

export function removeLine(till: Till, lineId: string, approval?: string): CartView {
  return changeCart(till, (data, ctx) => {
    const line = lineOf(data, lineId);
    if (data.subtotaled) {
      requireApproval(till, approval, 'remove_line');
      const approverId = ctx.approve(approval, 'remove_line');
      ctx.audit({ approverId, action: 'cart.remove_line', target: line.skuId, details: { name: line.name, qty: line.qty } });
    }
    data.lines = data.lines.filter((l) => l.id !== lineId);
    if (data.focusLineId === lineId) data.focusLineId = data.lines.at(-1)?.id ?? null;
  });
}

export function setLineDiscount(till: Till, lineId: string, discount: Discount | null, approval?: string): CartView {
  return changeCart(till, (data, ctx) => {
    const line = lineOf(data, lineId);
    line.lineDiscount = discount;
    line.discountApprovedBy = null;
    data.focusLineId = line.id;
    if (!discount) return;
    const p = priceData(till, data).lines.find((l) => l.id === lineId)!;
    if (overLimit(till, p.lineDiscountFen, p.grossFen)) {
      requireApproval(till, approval, 'discount');
      line.discountApprovedBy = ctx.approve(approval, 'discount');
      ctx.audit({
        approverId: line.discountApprovedBy,
        action: 'cart.line_discount',
        target: line.skuId,
        details: { name: line.name, discount, discountFen: p.lineDiscountFen, grossFen: p.grossFen },
      });
    }
  });
}

export function setOrderDiscount(till: Till, discount: Discount | null, approval?: string): CartView {
  return changeCart(till, (data, ctx) => {
    data.orderDiscount = discount;
    data.orderDiscountApprovedBy = null;
    if (!discount) return;
    const p = priceData(till, data);
    if (overLimit(till, p.orderDiscountFen, p.subtotalFen + p.orderDiscountFen)) {
      requireApproval(till, approval, 'discount');
      data.orderDiscountApprovedBy = ctx.approve(approval, 'discount');
      ctx.audit({
        approverId: data.orderDiscountApprovedBy,
        action: 'cart.order_discount',
        details: { discount, discountFen: p.orderDiscountFen, baseFen: p.subtotalFen + p.orderDiscountFen },
      });
    }
  });
}

export function overridePrice(till: Till, lineId: string, unitPriceFen: number, approval?: string): CartView {
  return changeCart(till, (data, ctx) => {
    const line = lineOf(data, lineId);
    if (line.scale === 'price') throw new TillError('SCALE_LINE', '价签商品按标签金额收款，不能改价');
    if (!Number.isSafeInteger(unitPriceFen) || unitPriceFen < 0) throw new TillError('BAD_PRICE', '价格不能为负');
    requireApproval(till, approval, 'price_override');
    const approverId = ctx.approve(approval, 'price_override');
    const approver = till.stmt('SELECT name FROM users WHERE id = ?').get(approverId) as { name: string };
    ctx.audit({
      approverId,
      action: 'cart.price_override',
      target: line.skuId,
      details: { name: line.name, from: line.unitPriceFen, to: unitPriceFen, catalog: line.catalogPriceFen },
    });
    line.unitPriceFen = unitPriceFen;
    line.priceOverriddenBy = unitPriceFen === line.catalogPriceFen ? null : { id: approverId, name: approver.name };
    data.focusLineId = line.id;
  });
}

export function setNote(till: Till, lineId: string, note: string | null): CartView {
  return changeCart(till, (data) => {
    const line = lineOf(data, lineId);
    line.note = note?.trim() || null;
    data.focusLineId = line.id;
  });
}

export function subtotal(till: Till): CartView {
  return changeCart(till, (data) => {
    if (!data.lines.length) throw new TillError('CART_EMPTY', '购物车为空');
    data.subtotaled = true;
  });
}

/**
 * Back from the payment screen to the cart. The subtotal flag stays: the customer has seen the
 * total, so removing a line still needs a manager (otherwise reopen would bypass the rule).
 */
export const reopen = (till: Till): CartView => getCart(till);

export function attachMember(till: Till, phone: string | null): CartView {
  const member = phone ? memberByPhone(till, phone) : null;
  if (phone && !member) throw new TillError('MEMBER_NOT_FOUND', `未找到会员：${phone}`);
  return changeCart(till, (data) => {
    data.memberId = member?.id ?? null;
  });
}

/** Voids the unpaid cart (after the subtotal a manager approves). Always audited. */
export function voidCart(till: Till, approval?: string): CartView {
  const session = till.auth.requireSession();
  till.tx(() => {
    const cart = activeCart(till);
    if (!cart.data.lines.length) return;
    let approverId: string | null = null;
    if (cart.data.subtotaled) {
      requireApproval(till, approval, 'void');
      approverId = till.auth.consumeApproval(approval, 'void');
    }
    const priced = priceData(till, cart.data);
    audit(
      till.sqlite,
      {
        userId: session.userId,
        approverId,
        action: 'cart.void',
        target: cart.id,
        details: { lines: cart.data.lines.length, totalFen: priced.totalFen, subtotaled: cart.data.subtotaled },
      },
      till.now(),
    );
    deleteCart(till, cart.id);
  });
  return getCart(till);
}

export function hold(till: Till, note?: string): CartView {
  till.auth.requireSession();
  till.tx(() => {
    const cart = activeCart(till);
    if (!cart.data.lines.length) throw new TillError('CART_EMPTY', '购物车为空，无需挂单');
    const max = till.settings.get('checkout.maxHeldCarts');
    if (heldCount(till) >= max) throw new TillError('TOO_MANY_HELD', `挂单已达 ${max} 单，请先取单结算`);
    till
      .stmt(`UPDATE carts SET status = 'held', held_at = ?, note = ?, updated_at = ? WHERE id = ?`)
      .run(till.now(), note?.trim() || null, till.now(), cart.id);
  });
  return getCart(till);
}

export function heldCarts(till: Till): HeldCartView[] {
  const rows = till
    .stmt(
      `SELECT c.id, c.held_at AS heldAt, c.note, c.data, u.name AS userName FROM carts c JOIN users u ON u.id = c.user_id
       WHERE c.status = 'held' ORDER BY c.held_at`,
    )
    .all() as { id: string; heldAt: number; note: string | null; data: string; userName: string }[];
  return rows.map((r) => {
    const data = JSON.parse(r.data) as CartData;
    const priced = priceData(till, data);
    return {
      id: r.id,
      heldAt: r.heldAt,
      userName: r.userName,
      note: r.note,
      itemCount: priced.itemCount,
      totalFen: priced.totalFen,
      firstItems: data.lines.slice(0, 3).map((l) => l.name).join('、') + (data.lines.length > 3 ? '…' : ''),
    };
  });
}

export function recall(till: Till, heldId: string): CartView {
  till.auth.requireSession();
  till.tx(() => {
    const cart = activeCart(till);
    if (cart.data.lines.length) throw new TillError('CART_NOT_EMPTY', '当前购物车还有商品，请先挂单或结算后再取单');
    const held = till.stmt(`SELECT 1 FROM carts WHERE id = ? AND status = 'held'`).get(heldId);
    if (!held) throw new TillError('UNKNOWN_HELD', '该挂单不存在（可能已被取走）');
    deleteCart(till, cart.id);
    till.stmt(`UPDATE carts SET status = 'active', held_at = NULL, updated_at = ? WHERE id = ?`).run(till.now(), heldId);
  });
  return getCart(till);
}
