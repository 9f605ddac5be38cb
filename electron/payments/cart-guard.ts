// What an electronic payment in progress (or received and not yet in a sale) forbids on its cart: one
// place for the rule, called by the payment endpoints, by sales.pay (before any tender and again inside
// the sale's transaction) and by the cart's changes and void.
import type { PaymentProviderName } from '../../shared/api/payments';
import { TillError } from '../../shared/errors';
import { formatYuan } from '../../shared/money';
import { blockingAttempt, PROVIDER_LABEL, receivedUnlinked, stateWords, type Attempt } from './attempts';
import type { Till } from '../till/till';
import type { AttemptState } from '../../shared/api/payments';

const what = (a: Attempt) => `${PROVIDER_LABEL[a.provider as PaymentProviderName]}收款 ${formatYuan(a.amountFen)}`;

/** PAYMENT_PENDING: an attempt of this cart is not final and no manager abandoned it. */
export function refuseWhilePending(till: Till, cartId: string): void {
  const a = blockingAttempt(till, cartId);
  if (!a) return;
  throw new TillError(
    'PAYMENT_PENDING',
    `${what(a)}尚未完成（${stateWords(a.state as AttemptState, a.kind)}），请等待结果，不能重复收款或改用其他方式；如需放弃等待，请店长授权`,
    { attemptId: a.id, state: a.state },
  );
}

/** Inside the sale's transaction, after its tenders linked their attempts: no received payment of this cart may be left out. */
export function refuseUnusedReceived(till: Till, cartId: string): void {
  const left = receivedUnlinked(till, cartId);
  if (!left.length) return;
  throw new TillError(
    'PAYMENT_RECEIVED_UNUSED',
    `该购物车已收到${left.map(what).join('、')}，请将其计入本次收款（不要重复收款）`,
    { attempts: left.map((a) => ({ attemptId: a.id, provider: a.provider, amountFen: a.amountFen })) },
  );
}

const HAS_PAYMENT = `SELECT 1 FROM payment_attempts WHERE cart_id = ?
  AND ((final = 0 AND abandoned_by IS NULL)
    OR (state = 'SUCCESS' AND (sale_id IS NULL OR NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = sale_id)))) LIMIT 1`;

/**
 * A cart with a payment in progress, or with money received that no sale took, cannot be changed or
 * voided: the amount was charged for it as it is. A manager refunds the received payment first
 * (payments.reverse), or abandons a pending one (payments.abandon).
 */
export function refuseCartChange(till: Till, cartId: string): void {
  // Raw and prepared: this runs on every scan (a hot path), and nearly always finds nothing.
  if (!till.stmt(HAS_PAYMENT).get(cartId)) return;
  refuseWhilePending(till, cartId);
  const left = receivedUnlinked(till, cartId);
  if (!left.length) return;
  throw new TillError(
    'PAYMENT_RECEIVED',
    `该购物车已收到${left.map(what).join('、')}：请直接结账；如需修改或作废，请店长先将该笔退款`,
    { attempts: left.map((a) => ({ attemptId: a.id, provider: a.provider, amountFen: a.amountFen })) },
  );
}
