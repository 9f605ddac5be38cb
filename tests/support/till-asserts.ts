// Small checks shared by the integration tests of the till: refusals, row counts, stock vs ledger.
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

/** A single-use approval token from the demo manager's PIN (2222). */
export const approve = (tt: TempTill, action: string): Promise<string> =>
  tt.call<{ token: string }>('auth.approve', { pin: '2222', action }).then((a) => a.token);
