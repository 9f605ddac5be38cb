// The cart being rung up, kept on the main side in the carts table (one 'active' row per till, plus
// held carts). Each change reads the row, applies the change to a copy, prices it with the shared
// pricing pipeline and writes it back, together with any manager approval it used and its audit
// row, in one transaction: a refused change leaves the cart as it was, a restart keeps it.
// Prices come from the catalog at scan time (or an approved override); never from the UI.
//
// A manager's approval is kept on the cart with the value it approved (a line discount's fen, an
// override's price and quantity, the order discount's fen). After every change the cart is checked
// against them: anything giving more than was approved (more pieces under a discount or a lower
// price, more items under an order discount) needs a new approval for exactly that, or is refused.
import { and, asc, count, eq, or, sql } from 'drizzle-orm';
import type { CartLineView, CartReply, CartView, HeldCartView } from '../../shared/api/cart';
import { cartPatch } from '../../shared/cart-patch';
import type { SkuView } from '../../shared/api/catalog';
import { ApprovalAction, type ApprovalSubject } from '../../shared/approvals';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan, mulDivRound, percentOf } from '../../shared/money';
import { priceCart, type Cart, type Discount, type PricedCart, type PricedLine } from '../../shared/pricing';
import { discountText, minusYuan, qtyText, type ApprovalSpec, type Grant } from './approvals';
import { audit, type AuditEntry } from './audit';
import { checkRecall, seesAllHeld, setAside } from './cart-owner';
import type { TillDb } from './db';
import { lightTx } from './light-commit';
import { resolveScan, skuById, type ScaleLabel } from './catalog';
import { memberById, memberByPhone } from './members';
import { arg, argSql, prepared } from './prepared';
import { carts, skus, users } from './schema';
import type { Till } from './till';
import { refuseCartChange, refuseWhilePending } from '../payments/cart-guard';
import { reservedWarning } from '../sync/sellable';

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
  /** A manager's approval of a discount above the cashier's limit (null: none, within the limit). */
  discountApproval: DiscountApproval | null;
  /** A manager's approval of unitPriceFen differing from the catalog price. */
  priceOverriddenBy: PriceApproval | null;
  note: string | null;
  scannedCode: string | null;
  /** Set for a label-scale line: its quantity (and amount) come from the label and cannot be edited. */
  scale: ScaleLabel['kind'] | null;
  /** The warning when the line took stock held by online orders (reservedWarning), set when scanned or added. */
  reservedWarn?: string | null;
}

/** What a manager approved for a discount: at most `discountFen` off (given at `qty`). */
export interface DiscountApproval {
  by: string;
  name: string;
  qty: number;
  discountFen: number;
}

/** What a manager approved for a price: this unit price, for `qty`, giving `givenFen` below the catalog. */
export interface PriceApproval {
  id: string;
  name: string;
  unitPriceFen: number;
  qty: number;
  givenFen: number;
}

export interface CartData {
  lines: StoredLine[];
  orderDiscount: Discount | null;
  /** A manager's approval of an order discount above the cashier's limit (qty: the cart's items). */
  orderDiscountApproval: DiscountApproval | null;
  memberId: string | null;
  subtotaled: boolean;
  focusLineId: string | null;
  /** Counts the changes (CartView.version); absent in carts stored before it existed: 0. */
  version?: number;
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
  orderDiscountApproval: null,
  memberId: null,
  subtotaled: false,
  focusLineId: null,
});

// ---------------------------------------------------------------------------------------------
// Storage

const q = prepared((db) => ({
  // The data column as stored (text): parsed here, and kept as `raw` for deletePaidCart.
  active: db
    .select({ id: carts.id, userId: carts.userId, data: sql<string>`${carts.data}` })
    .from(carts)
    .where(eq(carts.status, 'active'))
    .limit(1)
    .prepare(),
  insert: db
    .insert(carts)
    .values({ id: arg('id'), status: 'active', userId: arg('userId'), data: argSql('data'), updatedAt: arg('at') })
    .prepare(),
  save: db.update(carts).set({ data: argSql('data'), updatedAt: argSql('at') }).where(eq(carts.id, arg('id'))).prepare(),
  delete: db.delete(carts).where(eq(carts.id, arg('id'))).prepare(),
  deletePaid: db
    .delete(carts)
    .where(and(eq(carts.id, arg('id')), eq(carts.status, 'active'), eq(carts.data, argSql('data'))))
    .prepare(),
  heldCount: db.select({ n: count() }).from(carts).where(eq(carts.status, 'held')).prepare(),
  // A held cart paid by a remote payment request (electron/payments/requests.ts), and its removal with its sale.
  heldById: db
    .select({ id: carts.id, userId: carts.userId, data: sql<string>`${carts.data}` })
    .from(carts)
    .where(and(eq(carts.id, arg('id')), eq(carts.status, 'held')))
    .prepare(),
  deleteHeldPaid: db
    .delete(carts)
    .where(and(eq(carts.id, arg('id')), eq(carts.status, 'held'), eq(carts.data, argSql('data'))))
    .prepare(),
  heldCountOf: db
    .select({ n: count() })
    .from(carts)
    .where(and(eq(carts.status, 'held'), eq(carts.userId, arg('userId'))))
    .prepare(),
  hold: db
    .update(carts)
    .set({ status: 'held', heldAt: argSql('at'), note: argSql('note'), updatedAt: argSql('at') })
    .where(eq(carts.id, arg('id')))
    .prepare(),
  // The active cart put back by a recall: held again with the note it had.
  putBack: db.update(carts).set({ status: 'held', heldAt: argSql('at'), updatedAt: argSql('at') }).where(eq(carts.id, arg('id'))).prepare(),
  // A recalled cart becomes the recaller's active cart.
  recall: db
    .update(carts)
    .set({ status: 'active', heldAt: null, userId: argSql('userId'), updatedAt: argSql('at') })
    .where(eq(carts.id, arg('id')))
    .prepare(),
  held: db
    .select({ id: carts.id, heldAt: carts.heldAt, note: carts.note, data: carts.data, userName: users.name })
    .from(carts)
    .innerJoin(users, eq(users.id, carts.userId))
    .where(and(eq(carts.status, 'held'), or(argSql('all'), eq(carts.userId, arg('userId')))))
    .orderBy(asc(carts.heldAt))
    .prepare(),
  skuActive: db.select({ active: skus.active }).from(skus).where(eq(skus.id, arg('id'))).prepare(),
}));

/**
 * The cart last read or written on this connection, parsed: the pay that follows the scans does not
 * parse it again. Keyed by the stored text, so any other writer of the row just misses it. Its data
 * is never changed in place (changeCart changes a copy) nor handed out (views are built from it).
 * Its prices are not kept: a caller may change the view it was given (pay-pricing.test.ts).
 */
const lastCart = new WeakMap<TillDb, { raw: string; data: CartData }>();

function parsed(till: Till, raw: string): CartData {
  const kept = lastCart.get(till.db);
  if (kept?.raw === raw) return kept.data;
  const data = JSON.parse(raw) as CartData;
  lastCart.set(till.db, { raw, data });
  return data;
}

/**
 * The logged-in user's active cart, created (empty) when there is none. Another user's cart found
 * active (its session ended without a logout) is set aside under its owner first (cart-owner.ts).
 */
export function activeCart(till: Till): StoredCart {
  const session = till.auth.requireSession();
  const row = q(till.db).active.get();
  if (row?.userId === session.userId) return { id: row.id, userId: row.userId, data: parsed(till, row.data), raw: row.data };
  if (row) setAside(till, { id: row.id, userId: row.userId, lines: parsed(till, row.data).lines.length }, 'session_ended', session.userId);
  const data = emptyData();
  const cart: StoredCart = { id: newId(), userId: session.userId, data, raw: JSON.stringify(data) };
  q(till.db).insert.run({ id: cart.id, userId: cart.userId, data: cart.raw, at: till.now() });
  return cart;
}

function saveCart(till: Till, cart: StoredCart): void {
  q(till.db).save.run({ data: cart.raw, at: till.now(), id: cart.id });
  lastCart.set(till.db, { raw: cart.raw, data: cart.data });
}

/** Removes the cart row (a void, a recall replacing an empty cart). */
export function deleteCart(till: Till, cartId: string): void {
  q(till.db).delete.run({ id: cartId });
}

/**
 * Removes the cart a sale was priced from, inside the sale's transaction; refuses when the cart
 * changed meanwhile (another call while a tender was capturing), so the sale never misses a line.
 */
export function deletePaidCart(till: Till, cart: StoredCart): void {
  const r = q(till.db).deletePaid.run({ id: cart.id, data: cart.raw });
  if (r.changes !== 1) throw new TillError('CART_CHANGED', '购物车在收款时被修改，请核对后重新收款');
}

/** A held cart as stored (a remote payment request pays it without recalling it). */
export function heldCart(till: Till, id: string): StoredCart | undefined {
  const row = q(till.db).heldById.get({ id });
  return row && { id: row.id, userId: row.userId, data: JSON.parse(row.data) as CartData, raw: row.data };
}

/** Removes a held cart paid by a remote payment request, inside its sale's transaction; refuses one changed or recalled meanwhile. */
export function deletePaidHeldCart(till: Till, cart: StoredCart): void {
  const r = q(till.db).deleteHeldPaid.run({ id: cart.id, data: cart.raw });
  if (r.changes !== 1) throw new TillError('CART_CHANGED', '挂单在收款时被取出或修改，请核对后结账');
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

const heldCount = (till: Till) => q(till.db).heldCount.get()!.n;

/** The held carts the logged-in user may recall (cart-owner.ts): their own, or all for a manager. */
function heldVisible(till: Till): number {
  const s = till.auth.requireSession();
  if (seesAllHeld(s)) return heldCount(till);
  return q(till.db).heldCountOf.get({ userId: s.userId })!.n;
}

const lineView = (l: StoredLine): CartLineView => ({
  id: l.id,
  skuId: l.skuId,
  name: l.name,
  unit: l.unit,
  weighed: l.weighed,
  scannedCode: l.scannedCode,
  note: l.note,
  priceOverriddenBy: l.priceOverriddenBy?.name ?? null,
  scaleLabel: l.scale !== null,
  ...(l.reservedWarn ? { stockWarning: l.reservedWarn } : {}),
});

/** Marks the line just scanned or added when the SKU's quantity in the cart reaches into stock online orders hold. */
function warnReserved(data: CartData, sku: SkuView): void {
  if (!sku.reservedQty) return;
  const line = data.lines.find((l) => l.id === data.focusLineId);
  if (!line) return;
  const inCart = data.lines.reduce((n, l) => (l.skuId === sku.skuId ? n + l.qty : n), 0);
  line.reservedWarn = reservedWarning(sku.stockQty, sku.reservedQty, inCart, sku.unit);
}

export function cartView(till: Till, cart: StoredCart, priced = priceData(till, cart.data)): CartView {
  return {
    id: cart.id,
    version: cart.data.version ?? 0,
    lines: cart.data.lines.map(lineView),
    priced,
    member: cart.data.memberId ? memberById(till, cart.data.memberId) : null,
    subtotaled: cart.data.subtotaled,
    focusLineId: cart.data.focusLineId,
    heldCount: heldVisible(till),
  };
}

// ---------------------------------------------------------------------------------------------
// Approvals and limits

/**
 * A discount over either cashier limit (share of its base, or amount) needs a manager. The share is
 * compared in whole fen, rounded as pricing rounds it: a 9折 a cashier may give on ¥6.98 takes 70 fen
 * off, which must not count as more than 10 %.
 */
function overLimit(till: Till, discountFen: number, baseFen: number): boolean {
  const bp = till.settings.get('checkout.cashierDiscountLimitBp');
  const fen = till.settings.get('checkout.cashierDiscountLimitFen');
  return discountFen > fen || discountFen > percentOf(baseFen, bp);
}

/** Something a change needs a manager for, and how the approval is recorded once granted. */
interface Need extends ApprovalSpec {
  /** The refusal for a call that cannot carry a token (a scan): it may not give more than approved. */
  refusal: string;
  /** Records the approval on the cart (with the value approved) and its audit row. */
  apply(g: Grant, audit: (e: Omit<AuditEntry, 'userId'>) => void): void;
}

const NEW_APPROVAL = {
  discount: '折扣超过收银员权限，需要店长授权（输入店长 PIN）',
  order: '整单折扣超过收银员权限，需要店长授权（输入店长 PIN）',
  price: '改价需要店长授权（输入店长 PIN）',
  remove: '结算后删除商品或减少数量需要店长授权（输入店长 PIN）',
  void: '结算后整单作废需要店长授权（输入店长 PIN）',
};

const lineLabel = (l: StoredLine, qty = l.qty) => `${l.name} ${qtyText(qty, l.unit, l.weighed)}`;

function lineDiscountNeed(l: StoredLine, p: PricedLine): Need {
  const a = l.discountApproval;
  const discount = l.lineDiscount!;
  const fen = p.lineDiscountFen;
  return {
    action: ApprovalAction.discount,
    subject: { kind: 'line_discount', lineId: l.id, skuId: l.skuId, qty: l.qty, unitPriceFen: l.unitPriceFen, discount, discountFen: fen },
    summary: `${lineLabel(l)} ${discountText(discount, fen)}`,
    message: a
      ? `${l.name} 的折扣将增至 ${minusYuan(fen)}，超过店长批准的 ${minusYuan(a.discountFen)}（${qtyText(a.qty, l.unit, l.weighed)}），需要店长重新授权`
      : NEW_APPROVAL.discount,
    refusal: `${l.name} 的折扣将增至 ${minusYuan(fen)}，超过${a ? `店长批准的 ${minusYuan(a.discountFen)}` : '收银员权限'}：请先取消该行折扣`,
    apply(g, audit) {
      l.discountApproval = { by: g.approverId, name: g.approverName, qty: l.qty, discountFen: fen };
      audit({
        approverId: g.approverId, action: 'cart.line_discount', target: l.skuId,
        details: { name: l.name, qty: l.qty, discount, discountFen: fen, grossFen: p.grossFen, ...(a ? { previouslyApprovedFen: a.discountFen } : {}) },
      });
    },
  };
}

function overrideNeed(l: StoredLine, p: PricedLine, fromFen: number): Need {
  const a = l.priceOverriddenBy;
  const givenFen = Math.max(0, p.originalGrossFen - p.grossFen);
  const again = !!a && a.unitPriceFen === l.unitPriceFen;
  return {
    action: ApprovalAction.priceOverride,
    subject: { kind: 'price_override', lineId: l.id, skuId: l.skuId, qty: l.qty, catalogPriceFen: l.catalogPriceFen, unitPriceFen: l.unitPriceFen },
    summary: `${lineLabel(l)} 改价 ${formatYuan(l.catalogPriceFen)} → ${formatYuan(l.unitPriceFen)}${givenFen ? ` ${minusYuan(givenFen)}` : ''}`,
    message: again
      ? `${l.name} 已由店长改价为 ${formatYuan(l.unitPriceFen)}（批准 ${qtyText(a.qty, l.unit, l.weighed)}），增加数量需要店长重新授权`
      : NEW_APPROVAL.price,
    refusal: `${l.name} 已由店长改价，不能再增加数量：请另起一行`,
    apply(g, audit) {
      l.priceOverriddenBy = { id: g.approverId, name: g.approverName, unitPriceFen: l.unitPriceFen, qty: l.qty, givenFen };
      audit({
        approverId: g.approverId, action: 'cart.price_override', target: l.skuId,
        details: { name: l.name, from: fromFen, to: l.unitPriceFen, catalog: l.catalogPriceFen, qty: l.qty, givenFen },
      });
    },
  };
}

function orderDiscountNeed(cartId: string, data: CartData, priced: PricedCart): Need {
  const a = data.orderDiscountApproval;
  const discount = data.orderDiscount!;
  const fen = priced.orderDiscountFen;
  const baseFen = priced.subtotalFen + fen;
  return {
    action: ApprovalAction.discount,
    subject: { kind: 'order_discount', cartId, discount, discountFen: fen, baseFen },
    summary: `整单 ${discountText(discount, fen)}（${priced.itemCount} 件，折前 ${formatYuan(baseFen)}）`,
    message: a
      ? `整单折扣将增至 ${minusYuan(fen)}，超过店长批准的 ${minusYuan(a.discountFen)}，需要店长重新授权`
      : NEW_APPROVAL.order,
    refusal: a
      ? `整单折扣已由店长批准 ${minusYuan(a.discountFen)}，再加商品会增至 ${minusYuan(fen)}：请先取消整单折扣，加完商品后再打折`
      : `整单折扣将增至 ${minusYuan(fen)}，超过收银员权限：请先取消整单折扣，加完商品后再打折`,
    apply(g, audit) {
      data.orderDiscountApproval = { by: g.approverId, name: g.approverName, qty: priced.itemCount, discountFen: fen };
      audit({
        approverId: g.approverId, action: 'cart.order_discount',
        details: { discount, discountFen: fen, baseFen, itemCount: priced.itemCount, ...(a ? { previouslyApprovedFen: a.discountFen } : {}) },
      });
    },
  };
}

/**
 * What the changed cart needs a manager for: a discount over the cashier's limit that no approval
 * covers (none, or it now takes off more than approved), a price off the catalog that no approval
 * covers (another price, or more given away than approved).
 */
function approvalNeeds(till: Till, cartId: string, before: CartData, data: CartData, priced: PricedCart): Need[] {
  const needs: Need[] = [];
  data.lines.forEach((l, i) => {
    const p = priced.lines[i];
    if (l.scale !== 'price' && l.unitPriceFen !== l.catalogPriceFen) {
      const a = l.priceOverriddenBy;
      const givenFen = Math.max(0, p.originalGrossFen - p.grossFen);
      if (!a || a.unitPriceFen !== l.unitPriceFen || givenFen > a.givenFen) {
        const from = before.lines.find((b) => b.id === l.id)?.unitPriceFen ?? l.catalogPriceFen;
        needs.push(overrideNeed(l, p, from));
      }
    }
    if (l.lineDiscount && p.lineDiscountFen > 0 && overLimit(till, p.lineDiscountFen, p.grossFen)) {
      if (!l.discountApproval || p.lineDiscountFen > l.discountApproval.discountFen) needs.push(lineDiscountNeed(l, p));
    }
  });
  if (data.orderDiscount && priced.orderDiscountFen > 0) {
    const a = data.orderDiscountApproval;
    if (overLimit(till, priced.orderDiscountFen, priced.subtotalFen + priced.orderDiscountFen) && (!a || priced.orderDiscountFen > a.discountFen)) {
      needs.push(orderDiscountNeed(cartId, data, priced));
    }
  }
  return needs;
}

/** Several needs of one change are approved together: one ask, one PIN. */
function specOf(needs: readonly Need[]): ApprovalSpec {
  if (needs.length === 1) return needs[0];
  return {
    action: needs[0].action,
    subject: { kind: 'several', items: needs.map((n): ApprovalSubject => ({ action: n.action, ...n.subject })) },
    summary: needs.map((n) => n.summary).join('；'),
    message: needs[0].message,
  };
}

// ---------------------------------------------------------------------------------------------
// Changing the cart

interface ChangeContext {
  userId: string;
  /** This change needs a manager for `need` (beyond what the cart check finds by itself). */
  need(need: Need): void;
  audit(e: Omit<AuditEntry, 'userId'>): void;
}

/**
 * Applies `change` to a copy of the active cart inside one transaction, then checks the result
 * against the manager approvals it holds: the approval it uses, the audit rows it writes and the new
 * cart commit together, or nothing does; the token is spent only once it committed. `call` carries
 * the call's token; a call without (a scan) cannot be approved and is refused instead.
 */
function changeCart(till: Till, change: (data: CartData, ctx: ChangeContext) => void, call?: { approval: string | undefined }): CartView {
  const session = till.auth.requireSession();
  const at = till.now();
  const used: { grant: Grant | null } = { grant: null };
  const view = lightTx(till, () => {
    const cart = activeCart(till);
    refuseCartChange(till, cart.id); // a payment in progress or received for it: the cart stays as charged
    const data = structuredClone(cart.data);
    data.version = (cart.data.version ?? 0) + 1;
    const audits: AuditEntry[] = [];
    const needs: Need[] = [];
    const auditAs = (e: Omit<AuditEntry, 'userId'>) => audits.push({ ...e, userId: session.userId });
    change(data, { userId: session.userId, need: (n) => needs.push(n), audit: auditAs });
    const priced = priceData(till, data);
    needs.push(...approvalNeeds(till, cart.id, cart.data, data, priced));
    if (needs.length) {
      if (!call) {
        throw new TillError(needs[0].action === ApprovalAction.discount ? 'DISCOUNT_LIMIT' : 'APPROVAL_EXCEEDED', needs[0].refusal, { action: needs[0].action });
      }
      const grant = till.auth.approvals.check(call.approval, specOf(needs));
      for (const n of needs) n.apply(grant, auditAs);
      used.grant = grant;
    }
    for (const e of audits) audit(till.sqlite, e, at);
    const next = { ...cart, data, raw: JSON.stringify(data) };
    saveCart(till, next);
    const out = cartView(till, next, priced);
    madeFrom.set(out, cart.data);
    return out;
  });
  if (used.grant) till.auth.approvals.spend(used.grant);
  return view;
}

/** The cart each changed view was made from, for the reply to the call that made it (`reply`). */
const madeFrom = new WeakMap<CartView, CartData>();

/**
 * What a change answers: a patch (shared/cart-patch.ts) when the caller's `known` cart is the one
 * this change was made from, else the whole view (a caller that missed a change, another cart).
 */
export function reply(till: Till, view: CartView, known: { id: string; version: number } | undefined): CartReply {
  const from = madeFrom.get(view);
  if (!known || !from || known.id !== view.id || known.version !== (from.version ?? 0)) return view;
  return cartPatch({ lines: from.lines.map(lineView), priced: priceData(till, from) }, view, known.version);
}

function lineOf(data: CartData, lineId: string): StoredLine {
  const line = data.lines.find((l) => l.id === lineId);
  if (!line) throw new TillError('UNKNOWN_LINE', '该商品行不存在（可能已删除），请刷新');
  return line;
}

function checkQty(line: Pick<StoredLine, 'weighed' | 'name'>, qty: number): void {
  if (!Number.isSafeInteger(qty) || qty <= 0) throw new TillError('BAD_QTY', '数量须大于 0');
  if (qty > MAX_LINE_QTY) throw new TillError('QTY_TOO_LARGE', `数量过大（单行最多 9999）：${line.name}`, { name: line.name });
  if (!line.weighed && qty % 1000 !== 0) throw new TillError('QTY_NOT_WHOLE', `${line.name} 按件销售，数量须为整数`, { name: line.name });
}

function addLine(data: CartData, line: StoredLine): void {
  if (data.lines.length >= MAX_LINES) throw new TillError('CART_FULL', `购物车最多 ${MAX_LINES} 行，请先结算`, { max: MAX_LINES });
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
      warnReserved(data, sku);
      return;
    }
    if (sku.weighed) throw new TillError('QTY_REQUIRED', `${sku.name} 是称重商品，请称重后输入重量`, { name: sku.name });
    putPieces(till, data, base, multiplier * 1000);
    warnReserved(data, sku);
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
    discountApproval: null,
    priceOverriddenBy: null,
    note: null,
    scannedCode,
  };
}

/**
 * Adds pieces: to the SKU's plain line when repeat scans merge, else a new line. A line with a
 * discount or another price never grows by a scan: what was granted on it stays with what it was
 * granted for.
 */
function putPieces(till: Till, data: CartData, base: LineBase, qty: number): void {
  const same = till.settings.get('checkout.mergeRepeatScans')
    ? data.lines.find(
        (l) => l.skuId === base.skuId && !l.scale && !l.lineDiscount && !l.priceOverriddenBy && l.unitPriceFen === l.catalogPriceFen,
      )
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
  if (!q(till.db).skuActive.get({ id: skuId })?.active) {
    throw new TillError('SKU_DISCONTINUED', `${sku.name} 已停售，不能销售`, { name: sku.name });
  }
  return changeCart(till, (data) => {
    const base = lineBase(sku, null);
    if (sku.weighed) {
      if (qty === undefined) throw new TillError('QTY_REQUIRED', `${sku.name} 是称重商品，请输入重量`, { name: sku.name });
      checkQty(sku, qty);
      addLine(data, { ...base, id: newId(), unitPriceFen: sku.priceFen, qty, scale: null });
      warnReserved(data, sku);
      return;
    }
    putPieces(till, data, base, qty ?? 1000);
    warnReserved(data, sku);
  });
}

export function setQty(till: Till, lineId: string, qty: number, approval?: string): CartView {
  return changeCart(
    till,
    (data, ctx) => {
      const line = lineOf(data, lineId);
      if (line.scale) throw new TillError('SCALE_LINE', '条码秤商品的数量来自标签，不能修改；请删除后重新扫码');
      checkQty(line, qty);
      if (qty < line.qty && data.subtotaled) {
        const from = line.qty;
        ctx.need({
          action: ApprovalAction.removeLine,
          subject: { kind: 'reduce_qty', lineId: line.id, skuId: line.skuId, fromQty: from, toQty: qty },
          summary: `${line.name} 数量 ${qtyText(from, line.unit, line.weighed)} → ${qtyText(qty, line.unit, line.weighed)}`,
          message: NEW_APPROVAL.remove,
          refusal: NEW_APPROVAL.remove,
          apply: (g, audit) =>
            audit({ approverId: g.approverId, action: 'cart.reduce_qty', target: line.skuId, details: { name: line.name, from, to: qty } }),
        });
      }
      line.qty = qty;
      data.focusLineId = line.id;
    },
    { approval },
  );
}

export function removeLine(till: Till, lineId: string, approval?: string): CartView {
  return changeCart(
    till,
    (data, ctx) => {
      const line = lineOf(data, lineId);
      if (data.subtotaled) {
        ctx.need({
          action: ApprovalAction.removeLine,
          subject: { kind: 'remove_line', lineId: line.id, skuId: line.skuId, qty: line.qty },
          summary: `删除 ${lineLabel(line)}`,
          message: NEW_APPROVAL.remove,
          refusal: NEW_APPROVAL.remove,
          apply: (g, audit) =>
            audit({ approverId: g.approverId, action: 'cart.remove_line', target: line.skuId, details: { name: line.name, qty: line.qty } }),
        });
      }
      data.lines = data.lines.filter((l) => l.id !== lineId);
      if (data.focusLineId === lineId) data.focusLineId = data.lines.at(-1)?.id ?? null;
    },
    { approval },
  );
}

/** A discount above the cashier's limit is approved (by the cart check) for its amount at this quantity. */
export function setLineDiscount(till: Till, lineId: string, discount: Discount | null, approval?: string): CartView {
  return changeCart(
    till,
    (data) => {
      const line = lineOf(data, lineId);
      line.lineDiscount = discount;
      line.discountApproval = null;
      data.focusLineId = line.id;
    },
    { approval },
  );
}

export function setOrderDiscount(till: Till, discount: Discount | null, approval?: string): CartView {
  return changeCart(
    till,
    (data) => {
      data.orderDiscount = discount;
      data.orderDiscountApproval = null;
    },
    { approval },
  );
}

/** A price off the catalog's is approved (by the cart check) for this price at this quantity; back to the catalog price needs no one. */
export function overridePrice(till: Till, lineId: string, unitPriceFen: number, approval?: string): CartView {
  return changeCart(
    till,
    (data) => {
      const line = lineOf(data, lineId);
      if (line.scale === 'price') throw new TillError('SCALE_LINE', '价签商品按标签金额收款，不能改价');
      if (!Number.isSafeInteger(unitPriceFen) || unitPriceFen < 0) throw new TillError('BAD_PRICE', '价格不能为负');
      line.unitPriceFen = unitPriceFen;
      line.priceOverriddenBy = null;
      data.focusLineId = line.id;
    },
    { approval },
  );
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
  if (phone && !member) throw new TillError('MEMBER_NOT_FOUND', `未找到会员：${phone}`, { phone });
  return changeCart(till, (data) => {
    data.memberId = member?.id ?? null;
  });
}

/** Voids the unpaid cart (after the subtotal a manager approves). Always audited. */
export function voidCart(till: Till, approval?: string): CartView {
  const session = till.auth.requireSession();
  const used: { grant: Grant | null } = { grant: null };
  till.tx(() => {
    const cart = activeCart(till);
    if (!cart.data.lines.length) return;
    refuseCartChange(till, cart.id);
    const priced = priceData(till, cart.data);
    let approverId: string | null = null;
    if (cart.data.subtotaled) {
      const grant = till.auth.approvals.check(approval, {
        action: ApprovalAction.void,
        subject: { kind: 'void', cartId: cart.id, lines: cart.data.lines.length, totalFen: priced.totalFen },
        summary: `整单作废：${cart.data.lines.length} 行 ${priced.itemCount} 件，${formatYuan(priced.totalFen)}`,
        message: NEW_APPROVAL.void,
      });
      approverId = grant.approverId;
      used.grant = grant;
    }
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
  if (used.grant) till.auth.approvals.spend(used.grant);
  return getCart(till);
}

export function hold(till: Till, note?: string): CartView {
  till.auth.requireSession();
  till.tx(() => {
    const cart = activeCart(till);
    if (!cart.data.lines.length) throw new TillError('CART_EMPTY', '购物车为空，无需挂单');
    refuseWhilePending(till, cart.id);
    const max = till.settings.get('checkout.maxHeldCarts');
    if (heldCount(till) >= max) throw new TillError('TOO_MANY_HELD', `挂单已达 ${max} 单，请先取单结算`, { max });
    q(till.db).hold.run({ at: till.now(), note: note?.trim() || null, id: cart.id });
  });
  return getCart(till);
}

/** The held carts the user may recall: their own, or every one for a manager (cart-owner.ts says why). */
export function heldCarts(till: Till): HeldCartView[] {
  const s = till.auth.requireSession();
  const rows = q(till.db).held.all({ all: seesAllHeld(s) ? 1 : 0, userId: s.userId });
  return rows.map((r) => {
    const data = r.data as CartData; // the JSON column, parsed by drizzle
    const priced = priceData(till, data);
    return {
      id: r.id,
      heldAt: r.heldAt ?? 0, // always set on a held cart
      userName: r.userName,
      note: r.note,
      itemCount: priced.itemCount,
      totalFen: priced.totalFen,
      firstItems: data.lines.slice(0, 3).map((l) => l.name).join('、') + (data.lines.length > 3 ? '…' : ''),
    };
  });
}

/**
 * 取单: the held cart becomes the active one. A cart with items is held in the same transaction (as
 * commercial tills swap carts in one step); an empty one is dropped. The recalled cart is the
 * recaller's from now on (a manager taking over a cashier's cart: audited with its owner).
 */
export function recall(till: Till, heldId: string): CartView {
  const session = till.auth.requireSession();
  till.tx(() => {
    const owner = checkRecall(till, session, heldId);
    refuseWhilePending(till, heldId); // a remote payment request waits for this cart: it is paid where it is
    const cart = activeCart(till);
    const at = till.now();
    if (cart.data.lines.length) {
      q(till.db).putBack.run({ at, id: cart.id });
    } else {
      deleteCart(till, cart.id);
    }
    q(till.db).recall.run({ userId: session.userId, at, id: heldId });
    if (owner.userId !== session.userId) {
      audit(till.sqlite, { userId: session.userId, action: 'cart.recall', target: heldId, details: { owner: owner.userId, ownerName: owner.userName } }, at);
    }
  });
  return getCart(till);
}
