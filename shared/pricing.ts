// The one pricing pipeline: a cart in, a priced cart out. The renderer shows what this
// returns and the main side recomputes it when the sale is committed, so both must run
// the same code. Pure: integers only (fen, basis points, thousandths of a unit).

import { allocate, assertFen, mulDivRound, percentOf, roundTotal, type RoundingMode } from './money';

/**
 * A discount the cashier or a member level grants. `percent` is the share taken OFF, in
 * basis points: 9折 (pay 90%) is { kind: 'percent', bp: 1000 }. Out-of-range values are
 * clamped (a discount never goes below 0 nor above what is left to pay).
 */
export type Discount = { kind: 'percent'; bp: number } | { kind: 'amount'; fen: number };

export interface CartLine {
  id: string;
  skuId: string;
  name: string;
  /** Price per sell unit after a price override (改价), if any. */
  unitPriceFen: number;
  /** Catalog price per sell unit, before any override. */
  originalUnitPriceFen: number;
  /** Thousandths of the sell unit: 1000 = 1 piece; 1.234 kg sold per kg = 1234, per 斤 = 2468. */
  qty: number;
  /** Sold by weight: counts as one item whatever its quantity. */
  weighed?: boolean;
  lineDiscount?: Discount;
}

export interface Cart {
  lines: CartLine[];
  orderDiscount?: Discount;
  rounding: RoundingMode;
}

/**
 * A promotion (满减, 第N件折扣, 特价…). The rule kinds come in a later issue; the pipeline
 * already has their stage (see `applyPromotions`), which yields no discount until then.
 */
export interface PromotionRule {
  id: string;
  name: string;
}

export interface PricedLine extends CartLine {
  /** round(originalUnitPrice × qty), for 原价 on screen and receipt. */
  originalGrossFen: number;
  /** round-half-up(unitPrice × qty / 1000). */
  grossFen: number;
  lineDiscountFen: number;
  promoDiscountFen: number;
  /** This line's part of the order discount (largest remainder over the lines' net so far). */
  orderDiscountShareFen: number;
  /** gross − line discount − promotion − order discount share; never negative. */
  netFen: number;
  /** This line's part of the 抹零 adjustment (largest remainder over netFen). */
  roundingShareFen: number;
  /** netFen + roundingShareFen: what the customer actually paid for the line; the refund basis. */
  payableFen: number;
}

export interface PricedCart {
  lines: PricedLine[];
  /** 件数: qty/1000 for piece items (rounded up), 1 per weighed line. */
  itemCount: number;
  originalGrossFen: number;
  grossFen: number;
  lineDiscountFen: number;
  promoDiscountFen: number;
  orderDiscountFen: number;
  /** All discounts: line + promotion + order (not rounding). */
  discountFen: number;
  /** grossFen − discountFen = Σ line netFen. */
  subtotalFen: number;
  /** 抹零: ≤ 0 for 'jiao'/'yuan', within ±5 for 'jiao_half'. */
  roundingFen: number;
  /** 应收: subtotalFen + roundingFen = Σ line payableFen. */
  totalFen: number;
}

function checkNonNegative(n: number, what: string): void {
  assertFen(n, what);
  if (n < 0) throw new RangeError(`${what} must not be negative, got ${n}`);
}

/** The discount in fen on `base`, clamped to [0, base]. */
function discountOn(base: number, d: Discount | undefined): number {
  if (!d) return 0;
  const value = d.kind === 'percent' ? d.bp : d.fen;
  assertFen(value, 'discount');
  const raw = d.kind === 'percent' ? percentOf(base, Math.min(Math.max(value, 0), 10_000)) : value;
  return Math.min(Math.max(raw, 0), base);
}

/** What the promotion stage sees of a line: after line discounts, before the order discount. */
export interface PromotionInput {
  line: CartLine;
  grossFen: number;
  /** gross − line discount: the most a promotion may take off this line. */
  netFen: number;
}

/**
 * PROMOTIONS STAGE. Returns the promotion discount per line (same order). Rules will be
 * evaluated here once their kinds exist; whatever this returns is clamped to each line's
 * remaining net by the caller, so a promotion can never make a line negative.
 */
export function applyPromotions(lines: readonly PromotionInput[], rules: readonly PromotionRule[]): number[] {
  void rules;
  return lines.map(() => 0);
}

/**
 * Prices a cart. Stages, in order (each works on what the previous one left):
 *   1. gross          unitPrice × qty per line, rounded half up to the fen
 *   2. line discounts the cashier's 单品折扣, clamped to the line's gross
 *   3. promotions     `applyPromotions`, clamped to each line's remaining net
 *   4. order discount 整单折扣 on the sum of the lines, clamped to it, then spread over
 *                     the lines by largest remainder (partial returns need each line's share)
 *   5. rounding       抹零 on the subtotal, also spread over the lines (the refund basis)
 * Throws RangeError on malformed input (non-integers, negative price or quantity).
 */
export function priceCart(cart: Cart, promotions: readonly PromotionRule[] = []): PricedCart {
  const staged = cart.lines.map((line): PromotionInput & { lineDiscountFen: number; originalGrossFen: number } => {
    checkNonNegative(line.unitPriceFen, 'unitPriceFen');
    checkNonNegative(line.originalUnitPriceFen, 'originalUnitPriceFen');
    checkNonNegative(line.qty, 'qty');
    const grossFen = mulDivRound(line.unitPriceFen, line.qty, 1000);
    const lineDiscountFen = discountOn(grossFen, line.lineDiscount);
    return {
      line,
      grossFen,
      originalGrossFen: mulDivRound(line.originalUnitPriceFen, line.qty, 1000),
      lineDiscountFen,
      netFen: grossFen - lineDiscountFen,
    };
  });

  const promoRaw = applyPromotions(staged, promotions);
  const promo = staged.map((s, i) => {
    const p = promoRaw[i] ?? 0;
    assertFen(p, 'promotion discount');
    return Math.min(Math.max(p, 0), s.netFen);
  });
  const afterPromo = staged.map((s, i) => s.netFen - promo[i]);

  const beforeOrder = sum(afterPromo);
  const orderDiscountFen = discountOn(beforeOrder, cart.orderDiscount);
  // Each share ≤ its weight because the shares are proportional and the total ≤ Σ weights.
  const orderShares = allocate(orderDiscountFen, afterPromo);
  const nets = afterPromo.map((n, i) => n - orderShares[i]);

  const subtotalFen = sum(nets);
  const { rounded: totalFen, adjustment: roundingFen } = roundTotal(subtotalFen, cart.rounding);
  // A downward adjustment never exceeds the subtotal, so no line's payable goes negative.
  const roundingShares = allocate(roundingFen, nets);

  // Object.assign, not `{ ...s.line, more }`: on Node 20 that spread-then-add form measured ~40x
  // slower here, and pricing runs on every cart change and at every payment.
  const lines: PricedLine[] = staged.map((s, i) =>
    Object.assign({}, s.line, {
      originalGrossFen: s.originalGrossFen,
      grossFen: s.grossFen,
      lineDiscountFen: s.lineDiscountFen,
      promoDiscountFen: promo[i],
      orderDiscountShareFen: orderShares[i],
      netFen: nets[i],
      roundingShareFen: roundingShares[i],
      payableFen: nets[i] + roundingShares[i],
    }),
  );

  const grossFen = sum(lines.map((l) => l.grossFen));
  const lineDiscountFen = sum(lines.map((l) => l.lineDiscountFen));
  const promoDiscountFen = sum(promo);
  return {
    lines,
    itemCount: sum(lines.map(itemsOf)),
    originalGrossFen: sum(lines.map((l) => l.originalGrossFen)),
    grossFen,
    lineDiscountFen,
    promoDiscountFen,
    orderDiscountFen,
    discountFen: lineDiscountFen + promoDiscountFen + orderDiscountFen,
    subtotalFen,
    roundingFen,
    totalFen,
  };
}

function itemsOf(line: CartLine): number {
  if (line.qty === 0) return 0;
  return line.weighed ? 1 : Math.ceil(line.qty / 1000);
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * Quantity in thousandths of a sell unit from a weight: 1234 g sold per kg (1000 g) = 1234,
 * per 斤 (500 g) = 2468. Rounded half up.
 */
export function qtyFromWeight(grams: number, gramsPerUnit: number): number {
  checkNonNegative(grams, 'grams');
  assertFen(gramsPerUnit, 'gramsPerUnit');
  if (gramsPerUnit <= 0) throw new RangeError(`gramsPerUnit must be positive, got ${gramsPerUnit}`);
  return mulDivRound(grams, 1000, gramsPerUnit);
}

/** 1234, 'kg' -> "1.234kg"; 3000, '个' -> "3个"; 1500, '斤' -> "1.5斤" (trailing zeros dropped). */
export function formatQty(qty: number, unitName: string): string {
  assertFen(qty, 'qty');
  const abs = Math.abs(qty);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  const num = `${Math.floor(abs / 1000)}${frac ? `.${frac}` : ''}`;
  return `${qty < 0 ? '-' : ''}${num}${unitName}`;
}

/** One line of a past sale to refund, and what earlier returns already took from it. */
export interface ReturnRequest {
  lineId: string;
  /** Thousandths of the sell unit returned now. */
  qty: number;
  alreadyReturnedQty?: number;
  alreadyRefundedFen?: number;
}

/**
 * Refund per line for a (partial) return of a past sale, proportional to what the customer
 * paid for the line (`payableFen`: net after every discount and its share of 抹零, so a
 * rounded-down sale is never refunded the fen it did not collect).
 * Path-independent: the refund brings the line's cumulative refund to
 * round(payable × returnedSoFar / qty), so returning the whole line refunds exactly
 * payableFen, and returning it in any number of steps never refunds more in total.
 * Throws RangeError for unknown lines or returning more than was sold.
 */
export function refundableAmounts(
  lines: readonly Pick<PricedLine, 'id' | 'qty' | 'payableFen'>[],
  returns: readonly ReturnRequest[],
): { lineId: string; refundFen: number }[] {
  const byId = new Map(lines.map((l) => [l.id, l]));
  return returns.map((r) => {
    const line = byId.get(r.lineId);
    if (!line) throw new RangeError(`unknown sale line: ${r.lineId}`);
    const before = r.alreadyReturnedQty ?? 0;
    const refunded = r.alreadyRefundedFen ?? 0;
    checkNonNegative(r.qty, 'qty');
    checkNonNegative(before, 'alreadyReturnedQty');
    checkNonNegative(refunded, 'alreadyRefundedFen');
    const after = before + r.qty;
    if (after > line.qty) throw new RangeError(`退货数量超过可退数量：${r.lineId}`);
    const target = line.qty === 0 ? line.payableFen : mulDivRound(line.payableFen, after, line.qty);
    const refundFen = Math.min(Math.max(target - refunded, 0), Math.max(line.payableFen - refunded, 0));
    return { lineId: r.lineId, refundFen };
  });
}
