// Voucher redemptions: the till's record of every verify/consume, written BEFORE the first call to the
// platform with the exact call (its idempotency key and params) and moved only through move(), which
// writes the redemption and one voucher_redemption_events row (when, who, why) in one transaction.
//
// Rules the store keeps: a final state never changes, except REDEEMED → UNDONE (a manager's undo); the
// exact call (`pending_params`, which may hold the code itself for Meituan) is erased when the redemption
// becomes final; the undo references are erased once the platform's undo window has passed
// (forgetExpiredRefs), so no full code outlives what it is needed for.
import { and, asc, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { RedemptionDetail, RedemptionState, RedemptionView, VoucherLogFilter, VoucherPlatformName } from '../../shared/api/vouchers';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Till } from '../till/till';
import { sales, users, voucherRedemptionEvents, voucherRedemptions } from '../till/schema';
import { PLATFORM_LABEL } from './connector';

export type Redemption = typeof voucherRedemptions.$inferSelect;

export const FINAL: ReadonlySet<RedemptionState> = new Set(['REDEEMED', 'FAILED', 'UNDONE']);
export const isFinal = (s: string) => FINAL.has(s as RedemptionState);

export function stateWords(s: RedemptionState): string {
  switch (s) {
    case 'CREATED':
      return '准备核销';
    case 'PENDING':
      return '正在核销…';
    case 'UNKNOWN':
      return '核销结果未知，正在以相同参数重试（请勿重复核销）';
    case 'REDEEMED':
      return '已核销';
    case 'FAILED':
      return '核销失败，券未使用';
    case 'UNDONE':
      return '已撤销核销';
  }
}

/** A keyed hash of the code (the till's id as key): finds the same code again, never gives it back. */
export function codeHash(till: Till, platform: VoucherPlatformName, code: string): string {
  return createHash('sha256').update(`${till.tillId}\n${platform}\n${code}`).digest('hex');
}

/** A few characters at each end (3 of a long code, 2 of a short link id), the middle starred. */
export function maskVoucher(code: string): string {
  const keep = code.length >= 12 ? 3 : code.length >= 8 ? 2 : 0;
  if (!keep) return '*'.repeat(code.length);
  return `${code.slice(0, keep)}${'*'.repeat(Math.min(code.length - 2 * keep, 12))}${code.slice(-keep)}`;
}

export interface NewRedemption {
  platform: VoucherPlatformName;
  codeMask: string;
  codeHash: string;
  idemKey: string;
  params: Record<string, unknown>;
  uses: number;
  unitValueFen: number;
  title: string;
  platformOrderId: string | null;
  cartId: string | null;
  requestId: string;
  requestHash: string;
  createdBy: string;
}

export function createRedemption(till: Till, n: NewRedemption): Redemption {
  const at = till.now();
  const id = newId();
  return till.tx(() => {
    till.db
      .insert(voucherRedemptions)
      .values({
        id, platform: n.platform, codeMask: n.codeMask, codeHash: n.codeHash, idemKey: n.idemKey, pendingParams: JSON.stringify(n.params),
        uses: n.uses, unitValueFen: n.unitValueFen, valueFen: n.uses * n.unitValueFen, title: n.title, platformOrderId: n.platformOrderId,
        state: 'CREATED', cartId: n.cartId, requestId: n.requestId, requestHash: n.requestHash, createdBy: n.createdBy,
        createdAt: at, updatedAt: at, final: 0,
      })
      .run();
    till.db.insert(voucherRedemptionEvents).values({ redemptionId: id, seq: 1, at, fromState: null, toState: 'CREATED', by: n.createdBy, detail: null }).run();
    return getRedemption(till, id);
  });
}

export function findRedemption(till: Till, id: string): Redemption | undefined {
  return till.db.select().from(voucherRedemptions).where(eq(voucherRedemptions.id, id)).get();
}

export function getRedemption(till: Till, id: string): Redemption {
  const r = findRedemption(till, id);
  if (!r) throw new TillError('UNKNOWN_REDEMPTION', '找不到这条核销记录');
  return r;
}

export function redemptionByRequest(till: Till, requestId: string): Redemption | undefined {
  return till.db.select().from(voucherRedemptions).where(eq(voucherRedemptions.requestId, requestId)).get();
}

/** Redemptions of the same code still being settled (a second scan must not start another). */
export function openOfCode(till: Till, hash: string): Redemption | undefined {
  return till.db.select().from(voucherRedemptions).where(and(eq(voucherRedemptions.codeHash, hash), eq(voucherRedemptions.final, 0))).get();
}

export interface Change {
  by?: string | null;
  detail?: string | null;
  redeemedUses?: number;
  platformOrderId?: string | null;
  refs?: unknown;
}

/** Moves a redemption to `to` with one event row (same transaction); a final one is left as it is, except REDEEMED → UNDONE; the same state again updates its detail only. */
export function move(till: Till, id: string, to: RedemptionState, c: Change = {}): { r: Redemption; changed: boolean } {
  return till.tx(() => {
    const r = getRedemption(till, id);
    const from = r.state as RedemptionState;
    if (isFinal(from) && !(from === 'REDEEMED' && to === 'UNDONE')) return { r, changed: false };
    if (from === to) {
      // The same state again (another retry without an answer): only its words change, no event.
      if (c.detail !== undefined && c.detail !== r.detail) {
        till.db.update(voucherRedemptions).set({ detail: c.detail, updatedAt: till.now() }).where(eq(voucherRedemptions.id, id)).run();
        return { r: getRedemption(till, id), changed: false };
      }
      return { r, changed: false };
    }
    const at = till.now();
    const set: Partial<typeof voucherRedemptions.$inferInsert> = { state: to, updatedAt: at, final: isFinal(to) ? 1 : 0 };
    if (c.detail !== undefined) set.detail = c.detail;
    if (isFinal(to)) set.pendingParams = null; // the exact call is kept only while a retry may need it
    if (to === 'REDEEMED') {
      set.redeemedAt = at;
      if (c.redeemedUses !== undefined && c.redeemedUses !== r.uses) {
        set.uses = c.redeemedUses;
        set.valueFen = c.redeemedUses * r.unitValueFen;
      }
      if (c.platformOrderId) set.platformOrderId = c.platformOrderId;
      if (c.refs !== undefined) set.platformRefs = JSON.stringify(c.refs);
    }
    if (to === 'UNDONE') {
      set.undoneBy = c.by ?? null;
      set.undoneAt = at;
      set.platformRefs = null;
    }
    till.db.update(voucherRedemptions).set(set).where(eq(voucherRedemptions.id, id)).run();
    const seq = till.db
      .select({ n: sql<number>`coalesce(max(${voucherRedemptionEvents.seq}), 0) + 1` })
      .from(voucherRedemptionEvents)
      .where(eq(voucherRedemptionEvents.redemptionId, id))
      .get()!.n;
    till.db.insert(voucherRedemptionEvents).values({ redemptionId: id, seq, at, fromState: from, toState: to, by: c.by ?? null, detail: c.detail ?? null }).run();
    return { r: getRedemption(till, id), changed: true };
  });
}

export function openRedemptions(till: Till): Redemption[] {
  return till.db.select().from(voucherRedemptions).where(eq(voucherRedemptions.final, 0)).orderBy(asc(voucherRedemptions.createdAt)).all();
}

/** Undo references of redemptions whose window has passed are of no more use: erased. */
export function forgetExpiredRefs(till: Till, windowMs: (p: VoucherPlatformName) => number): void {
  for (const p of ['douyin', 'meituan'] as const) {
    till.db
      .update(voucherRedemptions)
      .set({ platformRefs: null })
      .where(and(eq(voucherRedemptions.platform, p), sql`${voucherRedemptions.platformRefs} IS NOT NULL`, lt(voucherRedemptions.redeemedAt, till.now() - windowMs(p))))
      .run();
  }
}

// ---- the voucher tender: a REDEEMED redemption pays (part of) a sale once ----

const notInSale = sql`(${voucherRedemptions.saleId} IS NULL OR NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = ${voucherRedemptions.saleId}))`;

export function inSale(till: Till, r: Redemption): boolean {
  return r.saleId !== null && till.db.select({ id: sales.id }).from(sales).where(eq(sales.id, r.saleId)).get() !== undefined;
}

/** Redeemed vouchers of the cart not in a committed sale. */
export function redeemedForCart(till: Till, cartId: string): Redemption[] {
  return till.db
    .select()
    .from(voucherRedemptions)
    .where(and(eq(voucherRedemptions.cartId, cartId), eq(voucherRedemptions.state, 'REDEEMED'), notInSale))
    .orderBy(asc(voucherRedemptions.createdAt))
    .all();
}

/** Before the sale's transaction: holds a REDEEMED redemption for this sale (a sale that never commits leaves it free). */
export function reserveForSale(till: Till, id: string, saleId: string): boolean {
  return till.tx(
    () =>
      till.db
        .update(voucherRedemptions)
        .set({ saleId, updatedAt: till.now() })
        .where(and(eq(voucherRedemptions.id, id), eq(voucherRedemptions.state, 'REDEEMED'), or(notInSale, eq(voucherRedemptions.saleId, saleId))))
        .run().changes === 1,
  );
}

/** Inside the sale's transaction: the redemption is this sale's for good (refuses one undone or taken meanwhile). */
export function linkToSale(till: Till, id: string, saleId: string, cartId: string): void {
  const row = findRedemption(till, id);
  if (row && row.cartId !== cartId) throw new TillError('VOUCHER_OTHER_CART', '这张团购券是在另一个购物车核销的，不能用于本单');
  const r = till.db
    .update(voucherRedemptions)
    .set({ saleId, updatedAt: till.now() })
    .where(and(eq(voucherRedemptions.id, id), eq(voucherRedemptions.state, 'REDEEMED'), or(notInSale, eq(voucherRedemptions.saleId, saleId))))
    .run();
  if (r.changes !== 1) throw new TillError('VOUCHER_ALREADY_USED', '这张团购券已用于另一笔交易或已撤销核销');
}

// ---- views ----

export function viewOf(till: Till, r: Redemption, windowMs: number | null): RedemptionView {
  const state = r.state as RedemptionState;
  const name = till.db.select({ name: users.name }).from(users).where(eq(users.id, r.createdBy)).get()?.name ?? null;
  const receiptNo = r.saleId ? (till.db.select({ no: sales.receiptNo }).from(sales).where(eq(sales.id, r.saleId)).get()?.no ?? null) : null;
  return {
    id: r.id,
    platform: r.platform as VoucherPlatformName,
    platformLabel: PLATFORM_LABEL[r.platform as VoucherPlatformName] ?? r.platform,
    codeMask: r.codeMask,
    title: r.title,
    uses: r.uses,
    unitValueFen: r.unitValueFen,
    valueFen: r.valueFen,
    state,
    words: stateWords(state),
    final: r.final === 1,
    detail: r.detail,
    cartId: r.cartId,
    saleId: receiptNo ? r.saleId : null,
    receiptNo,
    createdBy: r.createdBy,
    createdByName: name,
    createdAt: r.createdAt,
    redeemedAt: r.redeemedAt,
    undoneBy: r.undoneBy,
    undoneAt: r.undoneAt,
    undoUntil: state === 'REDEEMED' && r.redeemedAt !== null && windowMs !== null ? r.redeemedAt + windowMs : null,
  };
}

export function eventsOf(till: Till, id: string): RedemptionDetail['events'] {
  return till.db
    .select()
    .from(voucherRedemptionEvents)
    .where(eq(voucherRedemptionEvents.redemptionId, id))
    .orderBy(asc(voucherRedemptionEvents.seq))
    .all()
    .map((e) => ({ at: e.at, from: e.fromState as RedemptionState | null, to: e.toState as RedemptionState, by: e.by, detail: e.detail }));
}

/** Local midnight-plus-cutoff of a business day (the day runs to the next one's). */
function dayStart(day: string, cutoffHour: number): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, cutoffHour).getTime();
}

function where(till: Till, f: VoucherLogFilter): SQL | undefined {
  const cutoff = Number(till.settings.get('day.cutoffHour') ?? 4);
  const parts: (SQL | undefined)[] = [];
  if (f.platform) parts.push(eq(voucherRedemptions.platform, f.platform));
  if (f.result === 'redeemed') parts.push(eq(voucherRedemptions.state, 'REDEEMED'));
  if (f.result === 'undone') parts.push(eq(voucherRedemptions.state, 'UNDONE'));
  if (f.result === 'failed') parts.push(eq(voucherRedemptions.state, 'FAILED'));
  if (f.result === 'open') parts.push(eq(voucherRedemptions.final, 0));
  if (f.from) parts.push(gte(voucherRedemptions.createdAt, dayStart(f.from, cutoff)));
  if (f.to) parts.push(lt(voucherRedemptions.createdAt, dayStart(f.to, cutoff) + 86_400_000));
  if (f.by) parts.push(eq(voucherRedemptions.createdBy, f.by));
  return parts.length ? and(...parts) : undefined;
}

export function logPage(till: Till, f: VoucherLogFilter, page: number, pageSize: number): { rows: Redemption[]; total: number } {
  const w = where(till, f);
  const total = till.db.select({ n: sql<number>`count(*)` }).from(voucherRedemptions).where(w).get()!.n;
  const rows = till.db
    .select()
    .from(voucherRedemptions)
    .where(w)
    .orderBy(desc(voucherRedemptions.createdAt), desc(voucherRedemptions.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { rows, total };
}

export function logTotals(till: Till, f: VoucherLogFilter) {
  const w = where(till, f);
  return till.db
    .select({
      platform: voucherRedemptions.platform,
      redemptions: sql<number>`count(*)`,
      uses: sql<number>`coalesce(sum(${voucherRedemptions.uses}), 0)`,
      valueFen: sql<number>`coalesce(sum(${voucherRedemptions.valueFen}), 0)`,
    })
    .from(voucherRedemptions)
    .where(and(w, eq(voucherRedemptions.state, 'REDEEMED')))
    .groupBy(voucherRedemptions.platform)
    .all()
    .map((t) => ({ ...t, platform: t.platform as VoucherPlatformName }));
}

export function allForExport(till: Till, f: VoucherLogFilter): Redemption[] {
  return till.db.select().from(voucherRedemptions).where(where(till, f)).orderBy(asc(voucherRedemptions.createdAt)).all();
}

