// 货到付款 / 尾款: an online order's balance (online_orders.balance_due_fen, read by the connector) taken
// at the counter, by the customer's payment code (payments.codePayForOrder) or by a payment poster
// (payments.requests with the order's reference). The money is an ordinary payment attempt tied to the
// order by its payment_requests row; the order side learns it through PaymentService.onRemotePaid for
// both. When paid, in one transaction: the order's balance becomes 0, its history says so, the audit log
// keeps the payment's record (the business day it counts in: the Z report reads it by tender), and an
// outbox row (topic order.balance_paid) asks the platform to mark it paid.
//
// No platform in PLATFORMS.md documents an API to mark a balance paid: the relay only sends
// stock.changed, so the row stays unsent and the order says 请在网店后台确认收款 until one is known.
import { randomUUID } from 'node:crypto';
import type { PaymentAttemptView, PaymentProviderName } from '../../shared/api/payments';
import type { OrderBalanceView } from '../../shared/api/order-balance';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import type { PaymentService } from '../payments/service';
import { onSuccessInTx, PROVIDER_LABEL, viewOf as attemptView } from '../payments/attempts';
import { audit } from '../till/audit';
import { enqueueOutbox } from '../till/ledger';
import type { Till } from '../till/till';

export const BALANCE_PAID_ACTION = 'order.balance_paid';
export const BALANCE_OUTBOX_TOPIC = 'order.balance_paid';
/** Said on the order while no platform API marks a balance paid (the outbox row waits for one). */
export const CONFIRM_ONLINE = '请在网店后台确认收款';

interface OrderRow {
  id: string;
  platform: string;
  platform_order_id: string;
  status: string;
  balance_due_fen: number;
}

function orderRow(till: Till, id: string): OrderRow {
  const r = till.stmt(`SELECT id, platform, platform_order_id, status, balance_due_fen FROM online_orders WHERE id = ?`).get(id) as OrderRow | undefined;
  if (!r) throw new TillError('ORDER_NOT_FOUND', '找不到该线上订单');
  return r;
}

/** The order's balance payments that are paid or may still be paid (not abandoned by a manager). */
function liveAttempts(till: Till, o: OrderRow): { id: string; state: string; final: number; amountFen: number; provider: string }[] {
  return till
    .stmt(
      `SELECT a.id, a.state, a.final, a.amount_fen AS amountFen, a.provider FROM payment_requests r JOIN payment_attempts a ON a.id = r.attempt_id
       WHERE r.order_platform = ? AND r.order_id = ? AND a.abandoned_by IS NULL AND (a.final = 0 OR a.state = 'SUCCESS')`,
    )
    .all(o.platform, o.platform_order_id) as { id: string; state: string; final: number; amountFen: number; provider: string }[];
}

/** The rules of taking a balance (run inside the payment's transaction): refused with the reason, nothing stored. */
function refuseUnlessDue(till: Till, orderId: string, amountFen: number | undefined): OrderRow {
  const o = orderRow(till, orderId);
  if (o.status === 'cancelled' || o.status === 'refunding') throw new TillError('BALANCE_ORDER_CANCELLED', '订单已取消或退款中，不能收尾款');
  const live = liveAttempts(till, o);
  if (live.some((a) => a.state === 'SUCCESS') || (o.balance_due_fen <= 0 && paidRecord(till, o.id))) {
    throw new TillError('BALANCE_ALREADY_PAID', '该订单的尾款已收，不能重复收款');
  }
  if (o.balance_due_fen <= 0) throw new TillError('NO_BALANCE_DUE', '该订单没有待付尾款');
  if (live.length) throw new TillError('BALANCE_PAYMENT_PENDING', '该订单的尾款正在收款中，请等待结果（请勿重复收款）');
  if (amountFen !== undefined && amountFen !== o.balance_due_fen) {
    throw new TillError('AMOUNT_NOT_BALANCE', `收款金额 ${formatYuan(amountFen)} 与待付尾款 ${formatYuan(o.balance_due_fen)} 不一致`, { dueFen: o.balance_due_fen });
  }
  return o;
}

function paidRecord(till: Till, orderId: string): { at: number; details: string } | undefined {
  return till.stmt(`SELECT at, details FROM audit_log WHERE action = ? AND target = ? ORDER BY seq DESC LIMIT 1`).get(BALANCE_PAID_ACTION, orderId) as
    | { at: number; details: string }
    | undefined;
}

/** The order an attempt pays the balance of (its payment_requests row), if any. */
function orderOfAttempt(till: Till, attemptId: string): string | undefined {
  return till
    .stmt(`SELECT o.id FROM payment_requests r JOIN online_orders o ON o.platform = r.order_platform AND o.platform_order_id = r.order_id WHERE r.attempt_id = ?`)
    .pluck()
    .get(attemptId) as string | undefined;
}

// The balance is cleared in the payment's own transaction (its move to SUCCESS)…
onSuccessInTx((till, a) => {
  const id = orderOfAttempt(till, a.id);
  if (id) recordBalancePaid(till, id, attemptView(a));
});

const hooked = new WeakSet<PaymentService>();

/**
 * …and, at least once, by the order side's listener (boot, and any endpoint of this file): after a
 * restart, for a payment whose hook failed, or one paid before this code ran. Idempotent by the attempt.
 */
export function watchOrderBalances(payments: PaymentService): void {
  if (hooked.has(payments)) return;
  hooked.add(payments);
  payments.onRemotePaid((ref, attempt) => {
    const till = payments.till;
    const id = till.stmt(`SELECT id FROM online_orders WHERE platform = ? AND platform_order_id = ?`).pluck().get(ref.platform, ref.platformOrderId) as string | undefined;
    if (id) recordBalancePaid(till, id, attempt);
  });
}

/**
 * A payment of the order's balance succeeded: balance 0, history, audit record and outbox row in one
 * transaction. Idempotent by the attempt (told at least once). Money that does not match what is due
 * (an amount not the balance, a second payment) is written to the history for the manager to refund.
 */
export function recordBalancePaid(till: Till, orderId: string, a: PaymentAttemptView): void {
  till.tx(() => {
    const done = till.stmt(`SELECT 1 FROM audit_log WHERE action = ? AND json_extract(details, '$.attemptId') = ?`).get(BALANCE_PAID_ACTION, a.id);
    if (done) return;
    const o = orderRow(till, orderId);
    const now = till.now();
    const label = PROVIDER_LABEL[a.provider];
    const event = (text: string) => till.stmt(`INSERT INTO online_order_events (id, order_id, at, text) VALUES (?, ?, ?, ?)`).run(newId(), o.id, now, text);
    if (o.balance_due_fen <= 0 || a.amountFen !== o.balance_due_fen) {
      // Never lost: the money is in payment reconciliation; a person refunds it.
      const seen = till.stmt(`SELECT 1 FROM online_order_events WHERE order_id = ? AND text LIKE ?`).get(o.id, `%${a.outTradeNo}%`);
      if (!seen) event(`${label}收款 ${formatYuan(a.amountFen)} 与待付尾款 ${formatYuan(o.balance_due_fen)} 不符（${a.outTradeNo}）：未计入订单，请店长核对并退款`);
      return;
    }
    const day = till.businessDay(now);
    const outboxId = randomUUID();
    till.stmt(`UPDATE online_orders SET balance_due_fen = 0, updated_at = ? WHERE id = ?`).run(now, o.id);
    enqueueOutbox(till.db, BALANCE_OUTBOX_TOPIC, { platform: o.platform, platformOrderId: o.platform_order_id, amountFen: a.amountFen, outTradeNo: a.outTradeNo }, now, outboxId);
    event(`尾款 ${formatYuan(a.amountFen)} 已收（${label}）；${CONFIRM_ONLINE}`);
    audit(
      till.db,
      {
        userId: till.auth.session?.userId ?? null,
        action: BALANCE_PAID_ACTION,
        target: o.id,
        details: { attemptId: a.id, method: a.provider, amountFen: a.amountFen, businessDay: day, platform: o.platform, platformOrderId: o.platform_order_id, outboxId },
      },
      now,
    );
  });
}

/** The balance of an order as the counter shows it. */
export function balanceView(till: Till, orderId: string): OrderBalanceView {
  const o = orderRow(till, orderId);
  const paid = paidRecord(till, o.id);
  const d = paid ? (JSON.parse(paid.details) as { method: PaymentProviderName; amountFen: number }) : null;
  const live = liveAttempts(till, o).find((a) => a.final === 0);
  return {
    orderId: o.id,
    balanceDueFen: o.balance_due_fen,
    paid: d ? { method: d.method, amountFen: d.amountFen, at: paid!.at } : null,
    pendingAttemptId: live?.id ?? null,
    platformNote: d ? CONFIRM_ONLINE : null,
  };
}

export async function payBalanceByCode(
  till: Till,
  payments: PaymentService,
  input: { orderId: string; requestId: string; code: string; amountFen: number },
): Promise<PaymentAttemptView> {
  watchOrderBalances(payments);
  const o = orderRow(till, input.orderId);
  return payments.codePayForOrder({
    requestId: input.requestId,
    code: input.code,
    amountFen: input.amountFen,
    orderRef: { platform: o.platform, platformOrderId: o.platform_order_id },
    guard: () => void refuseUnlessDue(till, input.orderId, input.amountFen),
  });
}

export async function payBalanceByPoster(
  till: Till,
  payments: PaymentService,
  input: { orderId: string; requestId: string; provider: PaymentProviderName; amountFen: number },
) {
  watchOrderBalances(payments);
  till.auth.requireSession();
  const earlier = till.stmt(`SELECT 1 FROM payment_attempts WHERE request_id = ?`).get(input.requestId);
  // A retried call goes to requests.create as it is (the same request answers); a new one meets the rules first.
  const o = earlier ? orderRow(till, input.orderId) : refuseUnlessDue(till, input.orderId, input.amountFen);
  return payments.requests.create({
    requestId: input.requestId,
    provider: input.provider,
    amountFen: input.amountFen,
    orderRef: { platform: o.platform, platformOrderId: o.platform_order_id },
    note: `网店订单 ${o.platform_order_id} 尾款`,
  });
}

/** The balances taken on `day`, per payment method (Z report). */
export function balancesOfDay(till: Till, day: string): { method: string; count: number; amountFen: number }[] {
  return till
    .stmt(
      `SELECT json_extract(details, '$.method') AS method, count(*) AS count, sum(json_extract(details, '$.amountFen')) AS amountFen
       FROM audit_log WHERE action = ? AND json_extract(details, '$.businessDay') = ? GROUP BY 1 ORDER BY 1`,
    )
    .all(BALANCE_PAID_ACTION, day) as { method: string; count: number; amountFen: number }[];
}
