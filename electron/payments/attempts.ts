// Payment attempts: the till's record of every electronic charge, written BEFORE the first call to the
// platform (so a killed till always knows what it may have charged) and moved only through
// transition(), which writes the attempt and one payment_attempt_events row in one transaction.
//
// The rules the store itself keeps: a final state never changes, except SUCCESS → REFUNDED (a paid
// trade reversed or refunded); nothing moves an attempt to FAILED on a timeout (the flow decides that
// only from a platform's definite answer).
import { and, asc, desc, eq, gte, isNull, or, sql } from 'drizzle-orm';
import type { AttemptEventView, AttemptState, PaymentAttemptView, PaymentProviderName } from '../../shared/api/payments';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import { newId } from '../../shared/ids';
import type { Till } from '../till/till';
import { paymentAttemptEvents, paymentAttempts, sales } from '../till/schema';

export type Attempt = typeof paymentAttempts.$inferSelect;
export type AttemptKind = Attempt['kind'];

export const FINAL_STATES: ReadonlySet<AttemptState> = new Set(['SUCCESS', 'FAILED', 'REVOKED', 'CLOSED', 'REFUNDED']);
export const isFinal = (s: string): boolean => FINAL_STATES.has(s as AttemptState);

export const PROVIDER_LABEL: Record<PaymentProviderName, string> = { wechat: '微信', alipay: '支付宝' };

/** The state in the cashier's words (a shown QR waits for a scan, a code for a password). */
export function stateWords(state: AttemptState, kind: AttemptKind = 'code'): string {
  switch (state) {
    case 'CREATED':
      return '准备收款';
    case 'PENDING':
      return kind === 'code' ? '正在收款…' : '正在生成收款码…';
    case 'USERPAYING':
      return kind === 'code' ? '请在手机上输入密码' : '请顾客扫码支付';
    case 'UNKNOWN':
      return '收款结果未知，正在向平台查询（请勿重复收款）';
    case 'SUCCESS':
      return '已收款';
    case 'FAILED':
      return '收款失败，未扣款';
    case 'REVOKED':
      return '已撤销，未扣款';
    case 'CLOSED':
      return '已关闭，未扣款';
    case 'REFUNDED':
      return '已撤销并退款';
  }
}

export function viewOf(a: Attempt): PaymentAttemptView {
  const state = a.state as AttemptState;
  return {
    id: a.id,
    outTradeNo: a.outTradeNo,
    provider: a.provider,
    kind: a.kind,
    state,
    words: stateWords(state, a.kind),
    final: a.final === 1,
    amountFen: a.amountFen,
    cartId: a.cartId,
    saleId: a.saleId,
    transactionId: a.transactionId,
    codeMask: a.authCodeMask,
    detail: a.detail,
    codeUrl: a.kind === 'code' || a.final ? null : a.codeUrl,
    expiresAt: a.expiresAt,
    abandoned: a.abandonedBy !== null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** 32 characters [0-9a-f]: within WeChat's 6–32 and Alipay's 64, unique across tills (a UUIDv7). */
export const newOutTradeNo = (): string => newId().replace(/-/g, '');

export interface NewAttempt {
  provider: PaymentProviderName;
  kind: AttemptKind;
  cartId: string | null;
  amountFen: number;
  authCodeMask?: string | null;
  createdBy: string | null;
  requestId?: string | null;
  requestHash?: string | null;
  expiresAt?: number | null;
}

/** Stores a new attempt (CREATED) and its first event. Call inside the caller's checks' transaction when it has one. */
export function createAttempt(till: Till, n: NewAttempt): Attempt {
  if (!Number.isSafeInteger(n.amountFen) || n.amountFen <= 0) throw new TillError('BAD_AMOUNT', '收款金额须大于 0');
  const at = till.now();
  const row: typeof paymentAttempts.$inferInsert = {
    id: newId(),
    outTradeNo: newOutTradeNo(),
    provider: n.provider,
    kind: n.kind,
    cartId: n.cartId,
    saleId: null,
    amountFen: n.amountFen,
    state: 'CREATED',
    authCodeMask: n.authCodeMask ?? null,
    requestId: n.requestId ?? null,
    requestHash: n.requestHash ?? null,
    createdBy: n.createdBy,
    createdAt: at,
    updatedAt: at,
    expiresAt: n.expiresAt ?? null,
    final: 0,
  };
  return till.tx(() => {
    till.db.insert(paymentAttempts).values(row).run();
    till.db.insert(paymentAttemptEvents).values({ attemptId: row.id, seq: 1, at, fromState: null, toState: 'CREATED', detail: null }).run();
    return getAttempt(till, row.id);
  });
}

export function findAttempt(till: Till, id: string): Attempt | undefined {
  return till.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)).get();
}

export function getAttempt(till: Till, id: string): Attempt {
  const a = findAttempt(till, id);
  if (!a) throw new TillError('UNKNOWN_PAYMENT', '找不到这笔电子收款');
  return a;
}

export function attemptByOutTradeNo(till: Till, outTradeNo: string): Attempt | undefined {
  return till.db.select().from(paymentAttempts).where(eq(paymentAttempts.outTradeNo, outTradeNo)).get();
}

export function attemptByRequest(till: Till, requestId: string): Attempt | undefined {
  return till.db.select().from(paymentAttempts).where(eq(paymentAttempts.requestId, requestId)).get();
}

type SuccessHook = (till: Till, a: Attempt) => void;
const successHooks = new Set<SuccessHook>();

/**
 * Work that must commit together with an attempt's move to SUCCESS (an online order's balance cleared by
 * its payment): run inside transition()'s transaction. A hook that throws is rolled back alone (its
 * savepoint) and never undoes the payment's record; the at-least-once listeners (onRemotePaid) retry it.
 */
export function onSuccessInTx(hook: SuccessHook): void {
  successHooks.add(hook);
}

export interface Change {
  transactionId?: string | null;
  detail?: string | null;
  chargedAt?: number | null;
  codeUrl?: string | null;
}

/**
 * Moves an attempt to `to` (one event row, same transaction). A final attempt is left as it is
 * (returned unchanged) unless this is SUCCESS → REFUNDED; the same state again only updates the
 * fields given (no event). Returns the attempt as stored now and whether it changed state.
 */
export function transition(till: Till, id: string, to: AttemptState, change: Change = {}): { attempt: Attempt; changed: boolean } {
  return till.tx(() => {
    const a = getAttempt(till, id);
    const from = a.state as AttemptState;
    const allowed = from === to || !isFinal(from) || (from === 'SUCCESS' && to === 'REFUNDED');
    if (!allowed) return { attempt: a, changed: false };
    const at = till.now();
    const set: Partial<typeof paymentAttempts.$inferInsert> = { state: to, updatedAt: at, final: isFinal(to) ? 1 : 0 };
    if (change.transactionId !== undefined && change.transactionId !== null) set.transactionId = change.transactionId;
    if (change.detail !== undefined) set.detail = change.detail;
    if (change.chargedAt !== undefined && a.chargedAt === null) set.chargedAt = change.chargedAt;
    if (change.codeUrl !== undefined) set.codeUrl = change.codeUrl;
    till.db.update(paymentAttempts).set(set).where(eq(paymentAttempts.id, id)).run();
    if (from !== to) {
      const seq = till.db
        .select({ n: sql<number>`coalesce(max(${paymentAttemptEvents.seq}), 0) + 1` })
        .from(paymentAttemptEvents)
        .where(eq(paymentAttemptEvents.attemptId, id))
        .get()!.n;
      till.db.insert(paymentAttemptEvents).values({ attemptId: id, seq, at, fromState: from, toState: to, detail: change.detail ?? null }).run();
    }
    const after = getAttempt(till, id);
    if (to === 'SUCCESS' && from !== 'SUCCESS') {
      for (const hook of successHooks) {
        try {
          till.tx(() => hook(till, after));
        } catch (e) {
          log.error('payments: work tied to a payment failed (left to the listeners)', { id, error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
    return { attempt: after, changed: from !== to };
  });
}

export function eventsOf(till: Till, id: string): AttemptEventView[] {
  return till.db
    .select()
    .from(paymentAttemptEvents)
    .where(eq(paymentAttemptEvents.attemptId, id))
    .orderBy(asc(paymentAttemptEvents.seq))
    .all()
    .map((e) => ({ at: e.at, from: e.fromState as AttemptState | null, to: e.toState as AttemptState, detail: e.detail }));
}

/** Every attempt not final (start-up recovery settles them). */
export function openAttempts(till: Till): Attempt[] {
  return till.db.select().from(paymentAttempts).where(eq(paymentAttempts.final, 0)).orderBy(asc(paymentAttempts.createdAt)).all();
}

/** The cart's attempt that is not final and that no manager abandoned: it blocks every other payment of the cart. */
export function blockingAttempt(till: Till, cartId: string): Attempt | undefined {
  return till.db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.cartId, cartId), eq(paymentAttempts.final, 0), isNull(paymentAttempts.abandonedBy)))
    .orderBy(desc(paymentAttempts.createdAt))
    .get();
}

/**
 * Not in a committed sale: no sale_id, or one whose sale never committed (the tender reserves the
 * attempt for the sale before the sale's transaction; a crash or a refusal in between leaves it so).
 */
const notInSale = sql`(${paymentAttempts.saleId} IS NULL OR NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = ${paymentAttempts.saleId}))`;

/** Whether the attempt paid a committed sale. */
export function inSale(till: Till, a: Attempt): boolean {
  return a.saleId !== null && till.db.select({ id: sales.id }).from(sales).where(eq(sales.id, a.saleId)).get() !== undefined;
}

/** SUCCESS attempts of the cart that no sale took yet: money already received for it. */
export function receivedUnlinked(till: Till, cartId: string): Attempt[] {
  return till.db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.cartId, cartId), eq(paymentAttempts.state, 'SUCCESS'), notInSale))
    .orderBy(asc(paymentAttempts.createdAt))
    .all()
    .map((a) => ({ ...a, saleId: null }));
}

/**
 * The tender's capture, before the sale's transaction: reserves a SUCCESS attempt for this sale, so
 * no other sale can take it meanwhile. A reservation whose sale never commits counts as not in a sale.
 * False when another committed (or running) sale holds it.
 */
export function reserveForSale(till: Till, attemptId: string, saleId: string): boolean {
  return till.tx(
    () =>
      till.db
        .update(paymentAttempts)
        .set({ saleId, updatedAt: till.now() })
        .where(and(eq(paymentAttempts.id, attemptId), eq(paymentAttempts.state, 'SUCCESS'), or(notInSale, eq(paymentAttempts.saleId, saleId))))
        .run().changes === 1,
  );
}

/** Attempts created since `since` (reconciliation reads a day's). */
export function attemptsSince(till: Till, since: number): Attempt[] {
  return till.db.select().from(paymentAttempts).where(gte(paymentAttempts.createdAt, since)).orderBy(desc(paymentAttempts.createdAt)).all();
}

export function markAbandoned(till: Till, id: string, by: string): void {
  till.db.update(paymentAttempts).set({ abandonedBy: by, updatedAt: till.now() }).where(eq(paymentAttempts.id, id)).run();
}

/**
 * Links a SUCCESS attempt to the sale it pays, inside the sale's transaction: refuses an attempt that
 * is not SUCCESS, belongs to another cart, has another amount or is already in a sale.
 */
export function linkToSale(till: Till, p: { outTradeNo: string; provider: string; amountFen: number; cartId: string; saleId: string }): Attempt {
  const a = attemptByOutTradeNo(till, p.outTradeNo);
  const label = PROVIDER_LABEL[p.provider as PaymentProviderName] ?? p.provider;
  if (!a || a.provider !== p.provider) throw new TillError('UNKNOWN_PAYMENT', `找不到这笔${label}收款`);
  if (a.state !== 'SUCCESS') throw new TillError('PAYMENT_NOT_RECEIVED', `这笔${label}收款${stateWords(a.state as AttemptState, a.kind)}，不能用于结账`);
  if (a.cartId !== p.cartId) throw new TillError('PAYMENT_OTHER_CART', `这笔${label}收款属于另一个购物车`);
  if (a.amountFen !== p.amountFen) throw new TillError('PAYMENT_AMOUNT_MISMATCH', `这笔${label}收款金额与结账金额不一致`);
  const r = till.db
    .update(paymentAttempts)
    .set({ saleId: p.saleId, updatedAt: till.now() })
    .where(and(eq(paymentAttempts.id, a.id), eq(paymentAttempts.state, 'SUCCESS'), or(notInSale, eq(paymentAttempts.saleId, p.saleId))))
    .run();
  if (r.changes !== 1) throw new TillError('PAYMENT_ALREADY_USED', `这笔${label}收款已用于另一笔交易`);
  return a;
}
