// Small checks shared by the integration tests of the till: refusals, row counts, stock vs ledger.
import type { ApiName, ApiOutput, CartPatch, CartReply, CartView } from '../../shared/api';
import { isCartPatch } from '../../shared/api/cart';
import type { ApprovalAsk } from '../../shared/approvals';
import type { TempTill } from './temp-till';

export interface Refusal {
  code: string;
  message: string;
  details?: any;
}

/** The {code, message} a call was refused with; fails the test when the call succeeded. */
export const refusal = (p: Promise<unknown>): Promise<Refusal> =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: Refusal) => e,
  );

export const count = (tt: TempTill, table: string, where = '1'): number =>
  (tt.till.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;

/** SKUs whose cached stock differs from the sum of their ledger rows (must be 0). */
export const stockDrift = (tt: TempTill): number =>
  count(tt, 'skus s', 's.stock_qty != (SELECT coalesce(sum(qty_delta), 0) FROM stock_moves m WHERE m.sku_id = s.id)');

export const stockOf = (tt: TempTill, skuId: string): number =>
  (tt.till.sqlite.prepare('SELECT stock_qty AS q FROM skus WHERE id = ?').get(skuId) as { q: number }).q;

/** The ask an APPROVAL_REQUIRED (or APPROVAL_MISMATCH) refusal carries; fails the test otherwise. */
export async function askOf(p: Promise<unknown>): Promise<ApprovalAsk> {
  const r = await refusal(p);
  if (!r.details?.ask) throw new Error(`expected a manager approval ask, got ${r.code}: ${r.message}`);
  return r.details.ask as ApprovalAsk;
}

/** The demo manager (PIN 2222) approves `ask`: the single-use token bound to exactly it. */
export const approveAsk = (tt: TempTill, ask: ApprovalAsk, pin = '2222'): Promise<string> =>
  tt.call('auth.approve', { pin, askId: ask.id }).then((a) => a.token);

/** A manager's token for exactly this call: made once without one (refused with an ask), then approved. */
export async function approvalFor(tt: TempTill, name: ApiName, input: object): Promise<string> {
  return approveAsk(tt, await askOf(tt.callRaw(name, input)));
}

/** The call as the checkout makes it with a manager standing by: asked, approved (2222), made again with the token. */
export async function withManager<N extends ApiName>(tt: TempTill, name: N, input: object): Promise<ApiOutput<N>> {
  return tt.callRaw<ApiOutput<N>>(name, { ...input, approval: await approvalFor(tt, name, input) });
}

/** The whole CartView a cart call answered with; fails the test when it answered with a patch. */
export function cartView(reply: CartReply): CartView {
  if (isCartPatch(reply)) throw new Error('expected a full CartView, got a CartPatch');
  return reply;
}

/** The patch a cart call answered with (it was told the version shown); fails the test on a whole view. */
export function cartPatch(reply: CartReply): CartPatch {
  if (!isCartPatch(reply)) throw new Error('expected a CartPatch, got a whole CartView');
  return reply;
}
