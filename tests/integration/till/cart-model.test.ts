// Model-based test of the cart and returns API (issue 7): fast-check generates random sequences of
// scans, quantity changes, line and order discounts, price overrides, removals, subtotal, hold/recall,
// voids, payments (cash, card terminal with its reference, split) and returns (partial, full, without
// receipt), with and without a manager standing by, and runs them through the handler map against a
// real till. After every step it checks what must always hold:
//   - no line discount, order discount or price override beyond the cashier's limit or what a manager
//     approved (the approved values are learnt from the audit rows the approving calls wrote), and an
//     approval is only asked for what needs one;
//   - every approval used is audited with the manager and the value that was actually applied, which
//     is the value the manager was shown (the ask);
//   - totals ≥ 0; a refused call changes nothing;
//   - refunds per tender ≤ what the tender took (cash net of change), per line ≤ what was paid for it;
//   - stock = ledger for every SKU, and = the model's expectation for the SKUs the run touched.
// One till (a SQLite file in a temp dir) serves every run: each run starts from an empty cart and a
// fresh login. On failure fast-check prints the seed and the path; replay with
//   CART_MODEL_SEED=<seed> CART_MODEL_PATH=<path> CART_MODEL_REPLAY=<replayPath> npx vitest run --project integration tests/integration/till/cart-model.test.ts
// (the failure message prints this line in full). CART_MODEL_RUNS / CART_MODEL_STEPS make a longer
// local run; a replay needs the same values as the failing run.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { api } from '../../../shared/api';
import type { CartView } from '../../../shared/api/cart';
import type { LookupResult } from '../../../shared/api/catalog';
import type { SaleResult, SaleView } from '../../../shared/api/sales';
import { askOf, type ApprovalAsk, type ApprovalSubject } from '../../../shared/approvals';
import { mulDivRound } from '../../../shared/money';
import type { Discount, PricedLine } from '../../../shared/pricing';
import { verifyAuditChain } from '../../../electron/till/audit';
import { tempTill, type TempTill } from '../../support/temp-till';
import { stockDrift, type Refusal } from '../../support/till-asserts';

// Thousands of refusals are the point of this test: only errors go to the log.
vi.hoisted(() => {
  process.env.TILL_LOG_LEVEL = 'error';
});

// 60 runs of up to 100 steps: about 2,000–2,500 steps, ~20 s of CPU (a third of it the managers' PIN hashing).
const RUNS = Number(process.env.CART_MODEL_RUNS ?? 60);
const MAX_STEPS = Number(process.env.CART_MODEL_STEPS ?? 100);
const SEED = process.env.CART_MODEL_SEED ? Number(process.env.CART_MODEL_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);
const PATH = process.env.CART_MODEL_PATH;
/** The commands' own replay path (fast-check prints it as replayPath="…" in the counterexample). */
const REPLAY = process.env.CART_MODEL_REPLAY;
const MANAGER_PIN = '2222';
/** Approvals bound to an ask (auth.approve takes an askId); before that, a token approved an action. */
const ASKS = 'askId' in (api['auth.approve'].input as unknown as { shape: object }).shape;
const LIMIT_BP = 1000; // the cashier's limits: the settings' defaults
const LIMIT_FEN = 5000;

// ---------------------------------------------------------------------------------------------
// The till shared by every run

interface Item {
  code: string;
  skuId: string;
  priceFen: number;
}

let tt: TempTill;
let items: Item[] = [];
let weighed: { skuId: string; priceFen: number };
let managerId: string;
let totalSteps = 0;
let totalRuns = 0;
/** What the runs did, by call: made, made with a manager's token, refused (printed at the end). */
const stats = new Map<string, { ok: number; approved: number; refused: number }>();
function tally(name: string, o: { ok: boolean; usedToken?: boolean }): void {
  const s = stats.get(name) ?? { ok: 0, approved: 0, refused: 0 };
  if (!o.ok) s.refused++;
  else if (o.usedToken) s.approved++;
  else s.ok++;
  stats.set(name, s);
}

beforeAll(async () => {
  // tmpfs when there is one: thousands of fsyncs are not what this test measures.
  const base = process.platform === 'linux' ? '/dev/shm' : undefined;
  tt = tempTill(base ? { dataDir: mkdtempSync(join(base, 'till-model-')) } : {});
  await tt.loginAs('cashier');
  await tt.call('shift.open', { openingCashFen: 100_000 });
  managerId = tt.userId('manager');
  // Piece items of the demo shop (barcoded), cheap and dear: the first 30 and every 7th after.
  const rows = tt.till.sqlite
    .prepare(`SELECT b.code, s.id AS skuId, s.price_fen AS priceFen FROM barcodes b JOIN skus s ON s.id = b.sku_id WHERE s.active = 1 ORDER BY s.code`)
    .all() as Item[];
  items = rows.filter((_r, i) => i < 30 || i % 7 === 0).slice(0, 60);
  for (const it of items.slice(0, 3)) expect((await tt.call('catalog.lookup', { code: it.code })).sku.skuId).toBe(it.skuId);
  weighed = tt.till.sqlite
    .prepare(`SELECT s.id AS skuId, s.price_fen AS priceFen FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 1 AND s.active = 1 LIMIT 1`)
    .get() as { skuId: string; priceFen: number };
});

afterAll(() => {
  console.log(`cart model: ${totalRuns} runs, ${totalSteps} steps (seed ${SEED})`);
  console.table(Object.fromEntries([...stats].sort()));
  tt?.cleanup();
});

// ---------------------------------------------------------------------------------------------
// Model and real system

interface RunSale {
  id: string;
  paidFen: number;
  changeFen: number;
}

interface Model {
  /** The active cart as last read from the till (the shape the commands choose from). */
  view: CartView;
  /** Approved line discount (fen) per line, from the audit rows of approving calls. */
  lineDiscounts: Map<string, number>;
  /** Approved override per line: the price and how much below the catalog it may give. */
  overrides: Map<string, { unitPriceFen: number; givenFen: number }>;
  /** Approved order discount (fen) per cart. */
  orderDiscounts: Map<string, number>;
  held: string[];
  sales: RunSale[];
  /** Expected stock change per SKU during this run, from its stock when the run began. */
  stock: Map<string, number>;
  stockBase: Map<string, number>;
  refs: number;
}

interface Real {
  tt: TempTill;
}

type Cmd = fc.AsyncCommand<Model, Real>;

/** What a cashier may give off `baseFen`: the limit's share in whole fen, rounded half up as pricing rounds a 折. */
const allowance = (baseFen: number) => Math.min(LIMIT_FEN, Math.floor((baseFen * LIMIT_BP + 5_000) / 10_000));

const auditSeq = () => (tt.till.sqlite.prepare('SELECT coalesce(max(seq), 0) AS s FROM audit_log').get() as { s: number }).s;

interface AuditRow {
  action: string;
  target: string | null;
  approver_id: string | null;
  user_id: string | null;
  details: string | null;
}
const auditSince = (seq: number): AuditRow[] =>
  tt.till.sqlite.prepare('SELECT action, target, approver_id, user_id, details FROM audit_log WHERE seq > ? ORDER BY seq').all(seq) as AuditRow[];

/** Everything a refused call must leave as it was. */
function fingerprint(): string {
  const db = tt.till.sqlite;
  const carts = db.prepare('SELECT id, status, data FROM carts ORDER BY id').all();
  const counts = db
    .prepare(
      `SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM payments) AS payments,
         (SELECT count(*) FROM stock_moves) AS moves, (SELECT count(*) FROM outbox) AS outbox,
         (SELECT count(*) FROM audit_log WHERE action NOT LIKE 'auth.%') AS audits`,
    )
    .get();
  return JSON.stringify({ carts, counts });
}

/** The flat list of what an ask's subject approves (one item, or the items of a combined ask). */
const subjectItems = (s: ApprovalSubject): ApprovalSubject[] =>
  s.kind === 'several' ? (s.items as ApprovalSubject[]) : [s];

type Outcome<T> = { ok: true; result: T; asks: ApprovalAsk[]; usedToken: boolean } | { ok: false; error: Refusal; asks: ApprovalAsk[] };

/**
 * Makes a call as the checkout does: without a token first; when it needs a manager and one stands
 * by, the manager approves the ask (PIN 2222) and the call is made again with the token, which must
 * then be accepted (it was asked for exactly this).
 */
async function attempt<T>(name: string, input: Record<string, unknown>, withManager: boolean): Promise<Outcome<T>> {
  const asks: ApprovalAsk[] = [];
  const o = await attemptOnce<T>(name, input, withManager, asks);
  tally(name, o);
  return o;
}

async function attemptOnce<T>(name: string, input: Record<string, unknown>, withManager: boolean, asks: ApprovalAsk[]): Promise<Outcome<T>> {
  try {
    return { ok: true, result: await tt.callRaw(name, input), asks, usedToken: false };
  } catch (e) {
    const err = e as Refusal;
    if (err.code !== 'APPROVAL_REQUIRED') return { ok: false, error: err, asks };
    const ask = askOf(err.details);
    if (ASKS) expect(ask, `${name}: APPROVAL_REQUIRED without an ask`).not.toBeNull();
    if (ask) asks.push(ask);
    if (!withManager) return { ok: false, error: err, asks };
    // An approval is bound to its ask (the old form that approved a bare action is gone).
    if (!ask) return { ok: false, error: err, asks };
    const approval = await tt.call('auth.approve', { pin: MANAGER_PIN, askId: ask.id });
    try {
      return { ok: true, result: await tt.callRaw(name, { ...input, approval: approval.token }), asks, usedToken: true };
    } catch (e2) {
      const err2 = e2 as Refusal;
      expect(err2.code, `${name} refused the token its own ask got: ${err2.message}`).not.toMatch(/^APPROVAL_/);
      return { ok: false, error: err2, asks };
    }
  }
}

/** A refusal must be one of `codes`, and must leave everything as it was. */
function refused(o: { ok: false; error: Refusal }, before: string, codes: readonly string[]): void {
  expect(codes, `unexpected refusal ${o.error.code}: ${o.error.message}`).toContain(o.error.code);
  expect(o.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(fingerprint(), `${o.error.code} changed something`).toBe(before);
}

const APPROVAL_REFUSALS = ['APPROVAL_REQUIRED', 'DISCOUNT_LIMIT', 'APPROVAL_EXCEEDED'];

/**
 * An ask is made only for what needs a manager: more than the cashier's limit, and more than was
 * approved unless the call replaces the approved discount (`replacing`: setting a line's discount
 * again drops its approval).
 */
function checkAsk(m: Model, ask: ApprovalAsk, cartId: string, replacing: string | null): void {
  for (const s of subjectItems(ask.subject)) {
    if (s.kind === 'line_discount') {
      const gross = mulDivRound(s.unitPriceFen as number, s.qty as number, 1000);
      const fen = s.discountFen as number;
      expect(fen, `asked to approve a line discount within the cashier's limit: ${ask.summary}`).toBeGreaterThan(allowance(gross));
      const approved = m.lineDiscounts.get(s.lineId as string);
      if (approved !== undefined && s.lineId !== replacing) expect(fen, `asked again for an approved discount: ${ask.summary}`).toBeGreaterThan(approved);
    } else if (s.kind === 'order_discount') {
      expect(s.cartId).toBe(cartId);
      expect(s.discountFen as number).toBeGreaterThan(allowance(s.baseFen as number));
    } else if (s.kind === 'price_override') {
      expect(s.unitPriceFen).not.toBe(s.catalogPriceFen);
    }
  }
}

/**
 * Learns the approvals a successful cart call used from the audit rows it wrote, and checks each is
 * audited with the manager and the value now in the cart, which is the value the manager was shown.
 */
function learnApprovals(m: Model, o: Extract<Outcome<CartView>, { ok: true }>, rows: AuditRow[], lineId: string | null): void {
  const view = o.result;
  const approvals = rows.filter((r) => ['cart.line_discount', 'cart.price_override', 'cart.order_discount'].includes(r.action));
  if (!o.usedToken) {
    expect(approvals, 'an approval was recorded without a manager').toEqual([]);
    return;
  }
  expect(rows.some((r) => r.approver_id === managerId), 'a manager approval was used but not audited').toBe(true);
  const asked = o.asks.flatMap((a) => subjectItems(a.subject));
  /** The value applied is the one the manager was shown (when the till shows one). */
  const saw = (pred: (s: ApprovalSubject) => boolean) => !ASKS || asked.some(pred);
  for (const r of approvals) {
    expect(r.approver_id).toBe(managerId);
    expect(r.user_id).toBe(tt.userId('cashier'));
    const d = JSON.parse(r.details ?? '{}');
    if (r.action === 'cart.order_discount') {
      expect(d.discountFen, 'order discount audited with another value than applied').toBe(view.priced.orderDiscountFen);
      expect(saw((s) => s.kind === 'order_discount' && s.discountFen === d.discountFen), 'order discount not what the manager saw').toBe(true);
      m.orderDiscounts.set(view.id, d.discountFen);
      continue;
    }
    const p = view.priced.lines.find((l) => l.id === lineId);
    expect(p, `${r.action} audited for a line the call did not touch`).toBeDefined();
    expect(r.target).toBe(p!.skuId);
    if (r.action === 'cart.line_discount') {
      expect(d.discountFen, 'line discount audited with another value than applied').toBe(p!.lineDiscountFen);
      expect(saw((s) => s.kind === 'line_discount' && s.lineId === lineId && s.discountFen === d.discountFen), 'line discount not what the manager saw').toBe(true);
      m.lineDiscounts.set(lineId!, d.discountFen);
    } else {
      expect(d.to, 'override audited with another price than applied').toBe(p!.unitPriceFen);
      expect(d.givenFen).toBe(Math.max(0, p!.originalGrossFen - p!.grossFen));
      expect(saw((s) => s.kind === 'price_override' && s.lineId === lineId && s.unitPriceFen === d.to), 'price not what the manager saw').toBe(true);
      m.overrides.set(lineId!, { unitPriceFen: d.to, givenFen: d.givenFen });
    }
  }
}

/** What must hold after every step. */
async function checkInvariants(m: Model): Promise<void> {
  const view = await tt.call('cart.get');
  m.view = view;
  const pc = view.priced;
  expect(pc.totalFen).toBeGreaterThanOrEqual(0);
  for (const p of pc.lines as PricedLine[]) {
    expect(p.netFen).toBeGreaterThanOrEqual(0);
    if (p.lineDiscountFen > allowance(p.grossFen)) {
      const approved = m.lineDiscounts.get(p.id);
      expect(approved, `${p.name}: discount ${p.lineDiscountFen} over the cashier's limit, never approved`).toBeDefined();
      expect(p.lineDiscountFen, `${p.name}: discount beyond what was approved`).toBeLessThanOrEqual(approved!);
    }
    if (p.unitPriceFen !== p.originalUnitPriceFen) {
      const o = m.overrides.get(p.id);
      expect(o, `${p.name}: price ${p.unitPriceFen} (catalog ${p.originalUnitPriceFen}) never approved`).toBeDefined();
      expect(p.unitPriceFen).toBe(o!.unitPriceFen);
      expect(Math.max(0, p.originalGrossFen - p.grossFen), `${p.name}: override gives more than approved`).toBeLessThanOrEqual(o!.givenFen);
    }
  }
  if (pc.orderDiscountFen > allowance(pc.subtotalFen + pc.orderDiscountFen)) {
    const approved = m.orderDiscounts.get(view.id);
    expect(approved, `order discount ${pc.orderDiscountFen} over the cashier's limit, never approved`).toBeDefined();
    expect(pc.orderDiscountFen, 'order discount beyond what was approved').toBeLessThanOrEqual(approved!);
  }

  expect(stockDrift(tt), 'stock cache differs from the ledger').toBe(0);
  if (m.stock.size) {
    const ids = [...m.stock.keys()];
    const rows = tt.till.sqlite
      .prepare(`SELECT id, stock_qty AS q FROM skus WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as { id: string; q: number }[];
    for (const r of rows) expect(r.q, 'stock differs from the model').toBe(m.stockBase.get(r.id)! + m.stock.get(r.id)!);
  }

  if (m.sales.length) {
    const payments = tt.till.sqlite
      .prepare(
        `SELECT p.id, p.sale_id AS saleId, p.method, p.amount_fen AS amountFen,
           coalesce((SELECT -sum(r.amount_fen) FROM payments r WHERE r.original_payment_id = p.id), 0) AS refundedFen
         FROM payments p WHERE p.sale_id IN (SELECT value FROM json_each(?)) ORDER BY p.rowid`,
      )
      .all(JSON.stringify(m.sales.map((s) => s.id))) as { id: string; saleId: string; method: string; amountFen: number; refundedFen: number }[];
    for (const s of m.sales) {
      let change = s.changeFen;
      let refunded = 0;
      for (const p of payments.filter((x) => x.saleId === s.id)) {
        let kept = p.amountFen;
        if (p.method === 'cash') {
          const c = Math.min(change, kept);
          kept -= c;
          change -= c;
        }
        expect(p.refundedFen, `${p.method} refunded more than it took`).toBeLessThanOrEqual(kept);
        refunded += p.refundedFen;
      }
      expect(refunded, 'refunded more than was paid').toBeLessThanOrEqual(s.paidFen - s.changeFen);
    }
    const lines = tt.till.sqlite
      .prepare(
        `SELECT l.qty, l.payable_fen AS payableFen, coalesce((SELECT -sum(r.qty) FROM sale_lines r WHERE r.original_line_id = l.id), 0) AS returnedQty,
           coalesce((SELECT -sum(r.payable_fen) FROM sale_lines r WHERE r.original_line_id = l.id), 0) AS refundedFen
         FROM sale_lines l WHERE l.sale_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(m.sales.map((s) => s.id))) as { qty: number; payableFen: number; returnedQty: number; refundedFen: number }[];
    for (const l of lines) {
      expect(l.returnedQty).toBeLessThanOrEqual(l.qty);
      expect(l.refundedFen).toBeLessThanOrEqual(l.payableFen);
    }
  }
}

const moveStock = (m: Model, skuId: string, delta: number) => m.stock.set(skuId, (m.stock.get(skuId) ?? 0) + delta);

// ---------------------------------------------------------------------------------------------
// Commands

const discountArb: fc.Arbitrary<Discount | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(500, 1000, 1500, 2000, 5000, 10_000).map((bp): Discount => ({ kind: 'percent', bp })),
  fc.constantFrom(10, 50, 100, 300, 1000, 6000).map((fen): Discount => ({ kind: 'amount', fen })),
);
const discountText = (d: Discount | null) => (d === null ? 'none' : d.kind === 'percent' ? `${d.bp}bp` : `${d.fen}fen`);
const mgrText = (mgr: boolean) => (mgr ? '+manager' : '');

/** The line a command acts on: the focused line (the one last changed, as the cashier sees it) for -1, else by index. */
const lineAt = (view: CartView, i: number): string =>
  (i < 0 && view.lines.find((l) => l.id === view.focusLineId)?.id) || view.lines[Math.max(0, i) % view.lines.length].id;
const lineText = (i: number) => (i < 0 ? 'focus' : `line ${i}`);

/** A cart command on one line of the active cart (chosen when it runs). */
abstract class CartCmd implements Cmd {
  constructor(
    readonly mgr: boolean,
    readonly line = 0,
  ) {}
  abstract label(): string;
  abstract call(m: Model, lineId: string | null): { name: string; input: Record<string, unknown> } | null;
  /** Refusals this command may meet besides the approval ones (each must change nothing). */
  okRefusals(): readonly string[] {
    return [];
  }
  /** The model's view of the approvals this call resets before the audit rows are learnt. */
  reset(_m: Model, _lineId: string | null, _cartId: string): void {}
  needsLine(): boolean {
    return true;
  }
  check(m: Readonly<Model>): boolean {
    return !this.needsLine() || m.view.lines.length > 0;
  }
  async run(m: Model): Promise<void> {
    totalSteps++;
    const lineId = this.needsLine() ? lineAt(m.view, this.line) : null;
    const c = this.call(m, lineId);
    if (!c) return;
    const before = fingerprint();
    const seq = auditSeq();
    const cartId = m.view.id;
    const o = await attempt<CartView>(c.name, c.input, this.mgr);
    for (const a of o.asks) checkAsk(m, a, cartId, this instanceof LineDiscount ? lineId : null);
    if (!o.ok) {
      refused(o, before, [...APPROVAL_REFUSALS, ...this.okRefusals()]);
    } else {
      this.reset(m, lineId, cartId);
      learnApprovals(m, o, auditSince(seq), lineId);
    }
    await checkInvariants(m);
  }
  toString(): string {
    return `${this.label()}${mgrText(this.mgr)}`;
  }
}

class Scan extends CartCmd {
  constructor(
    readonly item: number,
    readonly mult: number,
  ) {
    super(false);
  }
  override needsLine(): boolean {
    return false;
  }
  label() {
    return `scan(${this.item}×${this.mult})`;
  }
  call() {
    return { name: 'cart.scan', input: { code: items[this.item % items.length].code, multiplier: this.mult } };
  }
  override okRefusals() {
    return ['QTY_TOO_LARGE', 'CART_FULL'];
  }
}

class AddWeighed extends CartCmd {
  constructor(readonly qty: number) {
    super(false);
  }
  override needsLine(): boolean {
    return false;
  }
  label() {
    return `addWeighed(${this.qty})`;
  }
  call() {
    return { name: 'cart.addSku', input: { skuId: weighed.skuId, qty: this.qty } };
  }
  override okRefusals() {
    return ['CART_FULL'];
  }
}

class SetQty extends CartCmd {
  constructor(
    mgr: boolean,
    line: number,
    readonly pieces: number,
  ) {
    super(mgr, line);
  }
  label() {
    return `setQty(${lineText(this.line)}, ${this.pieces})`;
  }
  call(m: Model, lineId: string | null) {
    const l = m.view.lines.find((x) => x.id === lineId)!;
    const qty = l.weighed ? this.pieces * 250 : this.pieces * 1000;
    return { name: 'cart.setQty', input: { lineId, qty } };
  }
  override okRefusals() {
    return ['SCALE_LINE'];
  }
}

class RemoveLine extends CartCmd {
  label() {
    return `removeLine(${lineText(this.line)})`;
  }
  call(_m: Model, lineId: string | null) {
    return { name: 'cart.removeLine', input: { lineId } };
  }
}

class LineDiscount extends CartCmd {
  constructor(
    mgr: boolean,
    line: number,
    readonly discount: Discount | null,
  ) {
    super(mgr, line);
  }
  label() {
    return `lineDiscount(${lineText(this.line)}, ${discountText(this.discount)})`;
  }
  call(_m: Model, lineId: string | null) {
    return { name: 'cart.setLineDiscount', input: { lineId, discount: this.discount } };
  }
  override reset(m: Model, lineId: string | null): void {
    m.lineDiscounts.delete(lineId!);
  }
}

class OrderDiscount extends CartCmd {
  constructor(
    mgr: boolean,
    readonly discount: Discount | null,
  ) {
    super(mgr);
  }
  label() {
    return `orderDiscount(${discountText(this.discount)})`;
  }
  call() {
    return { name: 'cart.setOrderDiscount', input: { discount: this.discount } };
  }
  override reset(m: Model, _l: string | null, cartId: string): void {
    m.orderDiscounts.delete(cartId);
  }
}

class Override extends CartCmd {
  constructor(
    mgr: boolean,
    line: number,
    readonly factorBp: number,
  ) {
    super(mgr, line);
  }
  label() {
    return `override(${lineText(this.line)}, ${this.factorBp}bp of catalog)`;
  }
  call(m: Model, lineId: string | null) {
    const p = m.view.priced.lines.find((x) => x.id === lineId)!;
    return { name: 'cart.overridePrice', input: { lineId, unitPriceFen: Math.floor((p.originalUnitPriceFen * this.factorBp) / 10_000) } };
  }
  override okRefusals() {
    return ['SCALE_LINE'];
  }
  override reset(m: Model, lineId: string | null): void {
    m.overrides.delete(lineId!);
  }
}

class Subtotal extends CartCmd {
  constructor() {
    super(false);
  }
  label() {
    return 'subtotal';
  }
  call() {
    return { name: 'cart.subtotal', input: {} };
  }
}

class Void implements Cmd {
  constructor(readonly mgr: boolean) {}
  check = (m: Readonly<Model>) => m.view.lines.length > 0;
  async run(m: Model): Promise<void> {
    totalSteps++;
    const before = fingerprint();
    const o = await attempt<CartView>('cart.void', {}, this.mgr);
    if (!o.ok) refused(o, before, ['APPROVAL_REQUIRED']);
    else expect(o.result.lines).toEqual([]);
    await checkInvariants(m);
  }
  toString = () => `void${mgrText(this.mgr)}`;
}

class Hold implements Cmd {
  check = (m: Readonly<Model>) => m.view.lines.length > 0 && m.held.length < 20;
  async run(m: Model): Promise<void> {
    totalSteps++;
    const id = m.view.id;
    const total = m.view.priced.totalFen;
    await tt.call('cart.hold', { note: `model ${m.held.length}` });
    tally('cart.hold', { ok: true });
    m.held.push(id);
    const held = await tt.call('cart.held');
    expect(held.find((h) => h.id === id)?.totalFen).toBe(total);
    await checkInvariants(m);
  }
  toString = () => 'hold';
}

class Recall implements Cmd {
  constructor(readonly idx: number) {}
  check = (m: Readonly<Model>) => m.held.length > 0 && m.view.lines.length === 0;
  async run(m: Model): Promise<void> {
    totalSteps++;
    const [id] = m.held.splice(this.idx % m.held.length, 1);
    const view = await tt.call('cart.recall', { heldId: id });
    tally('cart.recall', { ok: true });
    expect(view.id).toBe(id);
    await checkInvariants(m);
  }
  toString = () => `recall(${this.idx})`;
}

class Pay implements Cmd {
  constructor(
    readonly kind: 'cash' | 'card' | 'split',
    readonly extra: number,
  ) {}
  check = (m: Readonly<Model>) => m.view.lines.length > 0;
  async run(m: Model): Promise<void> {
    totalSteps++;
    const total = m.view.priced.totalFen;
    const ref = `AUTH${String(++m.refs).padStart(4, '0')}`;
    const kind = total < 2 ? 'cash' : this.kind;
    const payments =
      kind === 'card'
        ? [{ method: 'card_terminal' as const, amountFen: total, reference: ref }]
        : kind === 'split'
          ? [
              { method: 'card_terminal' as const, amountFen: Math.floor(total / 2), reference: ref },
              { method: 'cash' as const, amountFen: total - Math.floor(total / 2) + this.extra },
            ]
          : [{ method: 'cash' as const, amountFen: Math.max(1, total + this.extra) }];
    const lines = m.view.priced.lines;
    const r = await tt.call('sales.pay', { requestId: randomUUID(), payments });
    tally(`sales.pay ${kind}`, { ok: true });
    expect(r.totalFen).toBe(total);
    expect(r.totalFen).toBeGreaterThanOrEqual(0);
    expect(r.paidFen - r.changeFen).toBe(total);
    const sale = await tt.call('sales.get', { saleId: r.saleId });
    expect(sale.lines.map((l) => [l.skuId, l.qty, l.payableFen])).toEqual(lines.map((l) => [l.skuId, l.qty, l.payableFen]));
    for (const l of lines) moveStock(m, l.skuId, -l.qty);
    m.sales.push({ id: r.saleId, paidFen: r.paidFen, changeFen: r.changeFen });
    await checkInvariants(m);
    expect(m.view.lines).toEqual([]);
  }
  toString = () => `pay(${this.kind}${this.extra ? ` +${this.extra}` : ''})`;
}

/** A receipt return: one line (part or all of what is left), or every line left (full). */
class Return implements Cmd {
  constructor(
    readonly mgr: boolean,
    readonly sale: number,
    readonly line: number,
    readonly shareBp: number,
    readonly full: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.sales.length > 0;
  async run(m: Model): Promise<void> {
    totalSteps++;
    const s = m.sales[this.sale % m.sales.length];
    const sale = await tt.call('sales.get', { saleId: s.id });
    const open = sale.lines.filter((l) => l.returnableQty > 0);
    if (!open.length) return;
    const chosen = this.full ? open : [open[this.line % open.length]];
    const wanted = chosen.map((l) => {
      if (this.full) return { line: l, qty: l.returnableQty };
      const part = Math.max(1, Math.ceil((l.returnableQty * this.shareBp) / 10_000));
      return { line: l, qty: l.weighed ? part : Math.max(1000, Math.floor(part / 1000) * 1000) };
    });
    const before = fingerprint();
    const seq = auditSeq();
    const o = await attempt<SaleResult>(
      'sales.return',
      {
        requestId: randomUUID(),
        saleId: s.id,
        lines: wanted.map((w) => ({ lineId: w.line.id, qty: w.qty })),
        reason: '模型测试',
        refundReferences: { card_terminal: `RF${String(++m.refs).padStart(4, '0')}` },
      },
      this.mgr,
    );
    if (!o.ok) {
      refused(o, before, ['APPROVAL_REQUIRED']);
    } else {
      // The refund of each line is never more than what is left of what was paid for it.
      const left = wanted.reduce((a, w) => a + (w.line.payableFen - w.line.refundedFen), 0);
      expect(-o.result.totalFen).toBeLessThanOrEqual(left);
      expect(o.result.totalFen).toBeLessThanOrEqual(0);
      const ask = o.asks[0];
      if (o.usedToken && ask) expect(ask.subject.refundFen, 'refund differs from what the manager approved').toBe(-o.result.totalFen);
      const row = auditSince(seq).find((r) => r.action === 'sale.return');
      expect(row?.approver_id, 'return not audited with the manager').toBe(managerId);
      expect(JSON.parse(row!.details!).refundFen).toBe(-o.result.totalFen);
      for (const w of wanted) moveStock(m, w.line.skuId, w.qty);
    }
    await checkInvariants(m);
  }
  toString = () => `return(sale ${this.sale}, ${this.full ? 'all' : `line ${this.line} ${this.shareBp}bp`})${mgrText(this.mgr)}`;
}

class ReturnNoReceipt implements Cmd {
  constructor(
    readonly mgr: boolean,
    readonly item: number,
    readonly pieces: number,
    readonly factorBp: number,
  ) {}
  check = () => true;
  async run(m: Model): Promise<void> {
    totalSteps++;
    const it = items[this.item % items.length];
    const unitPriceFen = Math.floor((it.priceFen * this.factorBp) / 10_000);
    const before = fingerprint();
    const seq = auditSeq();
    const o = await attempt<SaleResult>(
      'sales.returnWithoutReceipt',
      { requestId: randomUUID(), items: [{ skuId: it.skuId, qty: this.pieces * 1000, unitPriceFen }], reason: '模型测试' },
      this.mgr,
    );
    if (!o.ok) {
      refused(o, before, ['APPROVAL_REQUIRED']);
    } else {
      expect(o.result.totalFen).toBe(-unitPriceFen * this.pieces);
      const row = auditSince(seq).find((r) => r.action === 'sale.return_no_receipt');
      expect(row?.approver_id, 'no-receipt return not audited with the manager').toBe(managerId);
      expect(JSON.parse(row!.details!).refundFen).toBe(unitPriceFen * this.pieces);
      moveStock(m, it.skuId, this.pieces * 1000);
    }
    await checkInvariants(m);
  }
  toString = () => `returnNoReceipt(item ${this.item} ×${this.pieces} @${this.factorBp}bp)${mgrText(this.mgr)}`;
}

// Half the time the focused line: a discount, an override and then a quantity change on one line.
const line = fc.oneof(fc.constant(-1), fc.nat(20));
const mgr = fc.boolean();
const commands = fc.commands(
  [
    // Scans weigh most: most other commands need lines in the cart.
    ...Array.from({ length: 5 }, () => fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4 })).map(([i, k]) => new Scan(i, k))),
    fc.integer({ min: 1, max: 4000 }).map((q) => new AddWeighed(q)),
    fc.tuple(mgr, line, fc.integer({ min: 1, max: 30 })).map(([g, l, q]) => new SetQty(g, l, q)),
    fc.tuple(mgr, line).map(([g, l]) => new RemoveLine(g, l)),
    fc.tuple(mgr, line, discountArb).map(([g, l, d]) => new LineDiscount(g, l, d)),
    fc.tuple(mgr, discountArb).map(([g, d]) => new OrderDiscount(g, d)),
    fc.tuple(mgr, line, fc.constantFrom(0, 5000, 9000, 10_000, 12_000)).map(([g, l, f]) => new Override(g, l, f)),
    fc.constant(null).map(() => new Subtotal()),
    mgr.map((g) => new Void(g)),
    fc.constant(null).map(() => new Hold()),
    fc.nat().map((i) => new Recall(i)),
    fc.tuple(fc.constantFrom('cash', 'card', 'split') as fc.Arbitrary<'cash' | 'card' | 'split'>, fc.constantFrom(0, 0, 50, 1000)).map(
      ([k, e]) => new Pay(k, e),
    ),
    fc.tuple(mgr, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 10_000 }), fc.boolean()).map(([g, s, l, b, f]) => new Return(g, s, l, b, f)),
    fc.tuple(mgr, fc.nat(), fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 5000, 10_000)).map(([g, i, p, f]) => new ReturnNoReceipt(g, i, p, f)),
  ],
  { maxCommands: MAX_STEPS, size: 'max', replayPath: REPLAY },
);

it(`keeps every money rule through random cart and return sequences (${RUNS} runs, up to ${MAX_STEPS} steps each)`, async () => {
  console.log(`cart model: seed ${SEED}${PATH ? ` path ${PATH}` : ''}`);
  const report = await fc.check(
    fc.asyncProperty(fc.constantFrom('none', 'jiao', 'jiao_half') as fc.Arbitrary<'none' | 'jiao' | 'jiao_half'>, commands, async (rounding, cmds) => {
      totalRuns++;
      tt.till.sqlite.prepare('DELETE FROM carts').run();
      tt.till.settings.set('checkout.rounding', rounding);
      await tt.loginAs('cashier'); // a new session: no asks or tokens carried over
      const model: Model = {
        view: await tt.call('cart.get'),
        lineDiscounts: new Map(),
        overrides: new Map(),
        orderDiscounts: new Map(),
        held: [],
        sales: [],
        stock: new Map(),
        stockBase: new Map(
          (tt.till.sqlite.prepare('SELECT id, stock_qty AS q FROM skus').all() as { id: string; q: number }[]).map((r) => [r.id, r.q]),
        ),
        refs: 0,
      };
      await fc.asyncModelRun(() => ({ model, real: { tt } }), cmds);
    }),
    { numRuns: RUNS, seed: SEED, path: PATH, verbose: 1 },
  );
  if (report.failed) {
    const replay = /replayPath="([^"]*)"/.exec(String(report.counterexample?.[1] ?? ''))?.[1] ?? '';
    throw new Error(
      `${fc.defaultReportMessage(report)}\n\nReplay: CART_MODEL_SEED=${report.seed} CART_MODEL_PATH=${report.counterexamplePath} ` +
        `CART_MODEL_REPLAY='${replay}' CART_MODEL_RUNS=${RUNS} CART_MODEL_STEPS=${MAX_STEPS} ` +
        'npx vitest run --project integration tests/integration/till/cart-model.test.ts',
      { cause: report.errorInstance },
    );
  }
  expect(verifyAuditChain(tt.till.sqlite)).toBeNull();
  expect(totalSteps).toBeGreaterThan(0);
}, Math.max(600_000, RUNS * MAX_STEPS * 60));
