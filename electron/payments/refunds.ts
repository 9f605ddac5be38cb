// Refunds to the original route (原路退回): a return of a sale paid by WeChat / Alipay gives the money
// back through the platform. The refund row (its out_refund_no) is written, with the money check, in a
// transaction BEFORE the platform is called; a retried return (same requestId) reuses it, so a refund
// is never sent twice under two numbers. A refund whose answer was not learned is re-sent with the same
// out_refund_no (the platform deduplicates it) and one that is processing is queried, until final
// (trackRefunds): the return itself commits meanwhile, its receipt saying where the money goes.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { PaymentProviderName } from '../../shared/api/payments';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import type { Till } from '../till/till';
import { paymentRefunds, payments } from '../till/schema';
import { PROVIDER_LABEL, type Attempt } from './attempts';
import { OutcomeUnknown, ProviderRefused, type PaymentProvider, type RefundResult } from './provider';

export type RefundRow = typeof paymentRefunds.$inferSelect;

const FINAL_REFUND = new Set(['SUCCESS', 'CLOSED', 'ABNORMAL', 'FAILED']);
/** Refunds that hold money (sent or about to be): all but a definite refusal or a closed one. */
const LIVE = ['CREATED', 'UNKNOWN', 'PROCESSING', 'SUCCESS', 'ABNORMAL'];

const newOutRefundNo = (): string => `R${newId().replace(/-/g, '').slice(0, 31)}`;

/** What a payment row of a sale can still give back: its amount less committed refunds and refunds in flight for other returns. */
function roomOf(till: Till, original: { id: string; amountFen: number }, exceptRequest: string | null): number {
  const committed = till.db
    .select({ fen: sql<number>`coalesce(-sum(${payments.amountFen}), 0)` })
    .from(payments)
    .where(eq(payments.originalPaymentId, original.id))
    .get()!.fen;
  // Refund rows not yet in a committed return (their return's transaction has not run, or failed after the platform refunded).
  const inFlight = till.db
    .select({ fen: sql<number>`coalesce(sum(${paymentRefunds.amountFen}), 0)` })
    .from(paymentRefunds)
    .where(
      and(
        eq(paymentRefunds.originalPaymentId, original.id),
        inArray(paymentRefunds.state, LIVE),
        exceptRequest ? ne(paymentRefunds.requestId, exceptRequest) : undefined,
        sql`NOT EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = ${paymentRefunds.returnId} AND p.original_payment_id = ${paymentRefunds.originalPaymentId})`,
      ),
    )
    .get()!.fen;
  return original.amountFen - committed - inFlight;
}

function setRefund(till: Till, id: string, state: string, r: Partial<RefundResult> & { detail?: string | null } = {}): RefundRow {
  till.db
    .update(paymentRefunds)
    .set({ state, refundId: r.refundId ?? undefined, detail: r.detail ?? null, updatedAt: till.now(), final: FINAL_REFUND.has(state) ? 1 : 0 })
    .where(eq(paymentRefunds.id, id))
    .run();
  return till.db.select().from(paymentRefunds).where(eq(paymentRefunds.id, id)).get()!;
}

export interface RefundAsk {
  attempt: Attempt;
  /** The sale's payment row being refunded (null: a received payment no sale took, refunded whole by a manager). */
  original: { id: string; amountFen: number } | null;
  amountFen: number;
  /** The return's idempotency key: a retried return finds and reuses its refund. */
  requestId: string | null;
  /** The return sale this refund will belong to (its transaction sets it again, see linkRefund). */
  returnId: string | null;
}

/**
 * Refunds through the platform: the row first (checked against what the payment can still give back,
 * in one transaction), then the call. Returns the row; throws only when the platform refused for good
 * (nothing refunded). An unanswered call leaves it UNKNOWN, to be re-sent by trackRefunds.
 */
export async function refundToRoute(till: Till, provider: PaymentProvider, ask: RefundAsk): Promise<RefundRow> {
  const label = PROVIDER_LABEL[ask.attempt.provider as PaymentProviderName];
  const row = till.tx(() => {
    if (ask.requestId && ask.original) {
      const earlier = till.db
        .select()
        .from(paymentRefunds)
        .where(and(eq(paymentRefunds.requestId, ask.requestId), eq(paymentRefunds.originalPaymentId, ask.original.id), ne(paymentRefunds.state, 'FAILED')))
        .get();
      if (earlier) {
        if (earlier.amountFen !== ask.amountFen) throw new TillError('IDEMPOTENCY_MISMATCH', '该请求编号已用于另一笔退款，本次未执行，请重新操作');
        return earlier;
      }
    }
    const room = ask.original ? roomOf(till, ask.original, ask.requestId) : ask.attempt.amountFen;
    if (ask.amountFen > room) {
      throw new TillError('REFUND_EXCEEDS_TENDER', `${label}最多还可退 ${formatYuan(Math.max(0, room))}，本次 ${formatYuan(ask.amountFen)}`);
    }
    const at = till.now();
    const r: typeof paymentRefunds.$inferInsert = {
      id: newId(), outRefundNo: newOutRefundNo(), attemptId: ask.attempt.id, originalPaymentId: ask.original?.id ?? null,
      returnId: ask.returnId, requestId: ask.requestId, amountFen: ask.amountFen, state: 'CREATED', createdAt: at, updatedAt: at, final: 0,
    };
    till.db.insert(paymentRefunds).values(r).run();
    return till.db.select().from(paymentRefunds).where(eq(paymentRefunds.id, r.id!)).get()!;
  });
  if (row.final) return row;
  return sendRefund(till, provider, ask.attempt, row);
}

/** One refund call (or a query of one already accepted); the row as it stands after. */
async function sendRefund(till: Till, provider: PaymentProvider, attempt: Attempt, row: RefundRow): Promise<RefundRow> {
  const label = PROVIDER_LABEL[attempt.provider as PaymentProviderName];
  try {
    const r =
      row.state === 'PROCESSING'
        ? await provider.queryRefund(row.outRefundNo, attempt.outTradeNo)
        : await provider.refund({ outTradeNo: attempt.outTradeNo, outRefundNo: row.outRefundNo, refundFen: row.amountFen, totalFen: attempt.amountFen, reason: '退货' });
    return setRefund(till, row.id, r.state, r);
  } catch (e) {
    if (e instanceof ProviderRefused && !e.retryable) {
      setRefund(till, row.id, 'FAILED', { detail: e.message });
      throw new TillError('REFUND_REFUSED', `${label}拒绝退款：${e.message}`);
    }
    const detail = e instanceof OutcomeUnknown || e instanceof ProviderRefused ? e.message : '退款结果未知';
    return setRefund(till, row.id, 'UNKNOWN', { detail });
  }
}

/** Inside the return's transaction: the refund belongs to this return sale. */
export function linkRefund(till: Till, outRefundNo: string, returnId: string): void {
  till.db.update(paymentRefunds).set({ returnId, updatedAt: till.now() }).where(eq(paymentRefunds.outRefundNo, outRefundNo)).run();
}

export function refundsOfAttempt(till: Till, attemptId: string): RefundRow[] {
  return till.db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attemptId)).all();
}

export function openRefunds(till: Till): RefundRow[] {
  return till.db.select().from(paymentRefunds).where(eq(paymentRefunds.final, 0)).all();
}

/** One pass over the refunds not final: re-send an unanswered one (same out_refund_no), query a processing one. */
export async function trackRefunds(till: Till, providerOf: (a: Attempt) => PaymentProvider | null, attemptOf: (id: string) => Attempt): Promise<number> {
  let open = 0;
  for (const row of openRefunds(till)) {
    const attempt = attemptOf(row.attemptId);
    const provider = providerOf(attempt);
    if (!provider) {
      open++;
      continue;
    }
    try {
      const after = await sendRefund(till, provider, attempt, row.state === 'CREATED' ? { ...row, state: 'UNKNOWN' } : row);
      if (!after.final) open++;
    } catch {
      // refused for good: the row says FAILED, reconciliation shows it
    }
  }
  return open;
}
