// Idempotency keys (the UI's requestId) of the calls that take or give back money. A key is bound to
// the request it was first used for, as Stripe does: the sale or return it produced stores a hash of
// the endpoint and the body (sales.request_hash). The same key with the same request returns the
// first result and writes nothing; with another body, or on another endpoint, it is refused with
// IDEMPOTENCY_MISMATCH and nothing changes. A refused call stores nothing, so its key stays free.
import { and, eq, sql } from 'drizzle-orm';
import { hash } from 'node:crypto';
import type { SaleResult } from '../../shared/api/sales';
import { TillError } from '../../shared/errors';
import { arg, prepared } from './prepared';
import { printJobs, sales } from './schema';
import type { Till } from './till';

export type IdempotentEndpoint = 'sales.pay' | 'sales.return' | 'sales.cancel' | 'sales.returnWithoutReceipt' | 'payments.codePay' | 'payments.qrCreate' | 'payments.requestCreate' | 'orders.balanceCodePay';

export interface RequestKey {
  endpoint: IdempotentEndpoint;
  requestId: string;
  /** sha256 hex of the endpoint and the canonical body. */
  hash: string;
}

/** Fields that do not say what is asked: the key itself, and a manager's approval token (single use). */
const VOLATILE = new Set(['requestId', 'approval']);

/** JSON with object keys sorted at every level, so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The key of a call: its endpoint and its validated body, less the volatile fields. */
export function requestKey(endpoint: IdempotentEndpoint, input: { requestId: string } & Record<string, unknown>): RequestKey {
  const body = Object.fromEntries(Object.entries(input).filter(([k]) => !VOLATILE.has(k)));
  // One-shot hash: a third of createHash's cost, on every pay.
  return { endpoint, requestId: input.requestId, hash: hash('sha256', `${endpoint}\n${canonical(body)}`) };
}

const mismatch = (message = '该请求编号已用于另一项不同的操作，本次未执行，请重新操作') =>
  new TillError('IDEMPOTENCY_MISMATCH', message);

const q = prepared((db) => ({
  // A miss on every pay and return (the unique index on request_id).
  byRequestId: db
    .select({
      saleId: sales.id,
      receiptNo: sales.receiptNo,
      kind: sales.kind,
      hash: sales.requestHash,
      totalFen: sales.totalFen,
      paidFen: sales.paidFen,
      changeFen: sales.changeFen,
      printJobId: sql<string | null>`(${db
        .select({ id: printJobs.id })
        .from(printJobs)
        .where(and(eq(printJobs.refId, sales.id), eq(printJobs.isCopy, false)))
        .limit(1)})`,
    })
    .from(sales)
    .where(eq(sales.requestId, arg('requestId')))
    .prepare(),
}));

const kindOf = (endpoint: IdempotentEndpoint): 'sale' | 'return' => (endpoint === 'sales.pay' ? 'sale' : 'return');

/**
 * The first result of a key, or null when it is unused. Refuses a key used for another request
 * (rows from before request_hash existed are matched on their kind only).
 */
function resultFor(till: Till, key: RequestKey): SaleResult | null {
  const row = q(till.db).byRequestId.get({ requestId: key.requestId });
  if (!row) return null;
  const { kind, hash, ...result } = row;
  if (hash === null ? kind !== kindOf(key.endpoint) : hash !== key.hash) throw mismatch();
  return result;
}

/** Keys being worked on right now, with their request's hash. */
const inFlight = new Map<string, string>();

/**
 * Runs fn once per key: a retry after it finished gets the first result (after `replayCheck`, which
 * may refuse a replay the stored hash cannot tell apart); a retry while it runs is refused.
 */
export async function once(
  till: Till,
  key: RequestKey,
  fn: () => Promise<SaleResult> | SaleResult,
  replayCheck?: () => void,
): Promise<SaleResult> {
  const done = resultFor(till, key);
  if (done) {
    replayCheck?.();
    return done;
  }
  const running = inFlight.get(key.requestId);
  if (running !== undefined) {
    if (running !== key.hash) throw mismatch();
    throw new TillError('IN_PROGRESS', '正在处理中，请稍候');
  }
  inFlight.set(key.requestId, key.hash);
  try {
    return await fn();
  } finally {
    inFlight.delete(key.requestId);
  }
}

export { mismatch as idempotencyMismatch };
