// The outbox relay for one platform: takes its due deliveries oldest first and pushes them, at least
// once, with the outbox row's id as the idempotency key. Where the platform takes idempotent
// increments (Doudian) a stock move is sent as its delta; otherwise (Youzan), and for queued
// reconciles, the SKU's figure is sent outright and covers every pending move it includes. A failure
// waits (exponential backoff with seeded jitter); a business refusal, or too many tries, becomes a
// dead letter a person sees. Deliveries to one platform are sent one at a time, in order.
import type { TillDb } from '../till/db';
import { backoffDelay, type BackoffPolicy, type RateLimiter } from './backoff';
import { SyncError, type ShopConnector } from './connector';
import { mappingOf } from './mapping';
import { incrementSafe, platformSellable } from './sellable';
import { deadLetter, nextDue, reschedule, settleDone, settleDoneMany, snapshotAbsolute, supersede, type DueDelivery } from './relay-store';

export interface RelayPolicy {
  backoff: BackoffPolicy;
  /** Tries before a delivery becomes a dead letter. */
  maxAttempts: number;
  /** Pause after the platform's rate-limit answer. */
  rateLimitPauseMs: number;
  /**
   * Real-time agents only (0 or absent under a simulated clock): when the rate limit's next token is
   * at most this far off, the pass waits for it instead of ending, so a large backlog drains at the
   * platform's rate rather than at the engine's wake-up rate.
   */
  waitForTokenMs?: number;
  /** With waitForTokenMs: a pass ends after this long so new sales are fanned out and polls run meanwhile. */
  passMs?: number;
}

export interface RelayContext {
  db: TillDb;
  connector: ShopConnector;
  /** Every platform with a connector (fan-out targets). */
  platforms: readonly string[];
  limiter: RateLimiter;
  policy: RelayPolicy;
  now: () => number;
  random: () => number;
}

export interface RelayPass {
  sent: number;
  /** Why the pass stopped: nothing due, rate limit, or a failure (the platform rests until the next tick). */
  stoppedBy: 'idle' | 'rate_limit' | 'failure' | 'budget';
  lastError?: SyncError;
}

/** Whole pieces of a ledger stock figure (thousandths). What a platform may sell is ./sellable.ts (platformSellable). */
export function sellable(stockQty: number): number {
  return Math.max(0, Math.floor(stockQty / 1000));
}

/** Pushes due deliveries until none is due, the rate limit is reached, a push fails, or `budget` are sent. */
export async function relayPass(ctx: RelayContext, budget = Infinity): Promise<RelayPass> {
  const { db, connector } = ctx;
  const platform = connector.platform;
  let sent = 0;
  const waitMax = ctx.policy.waitForTokenMs ?? 0;
  const endAt = ctx.now() + (ctx.policy.passMs ?? 2_000);
  // Applied increments are settled a few at a time, in one write transaction: the relay then takes
  // the write lock a sale may need a tenth as often. A crash before settling sends them again with
  // the same idempotency keys (answered "already applied"). The next delivery is looked up after the
  // last one held, since those are still pending in SQLite.
  const held: { outboxId: string; platform: string; outcome: string }[] = [];
  let after: { seq: number; outboxId: string } | null = null;
  const flush = () => {
    settleDoneMany(db, held.splice(0), ctx.now());
    after = null;
  };
  try {
    for (;;) {
      if (sent >= budget) return { sent, stoppedBy: 'budget' };
      if (held.length >= HOLD_MAX) flush();
      const d = nextDue(db, platform, ctx.now(), after);
      if (!d) return { sent, stoppedBy: 'idle' };
      if (!ctx.limiter.tryTake()) {
        const wait = ctx.limiter.waitMs();
        if (wait > waitMax || ctx.now() + wait > endAt) return { sent, stoppedBy: 'rate_limit' };
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      try {
        const outcome = await deliver(ctx, d, flush);
        if (outcome) {
          held.push({ outboxId: d.outboxId, platform, outcome });
          after = { seq: d.outboxSeq, outboxId: d.outboxId };
        }
        sent++;
      } catch (e) {
        flush();
        const err = e instanceof SyncError ? e : new SyncError('retry', 'INTERNAL', `同步出错：${(e as Error).message}`);
        fail(ctx, d, err);
        return { sent, stoppedBy: 'failure', lastError: err };
      }
    }
  } finally {
    flush();
  }
}

/** Increments applied but not yet written as settled, at most. */
const HOLD_MAX = 25;

/** Sends one delivery. An applied increment is returned for the caller to settle; anything else is settled here (after `flush`). */
async function deliver(ctx: RelayContext, d: DueDelivery, flush: () => void): Promise<string | null> {
  const { db, connector } = ctx;
  const ref = mappingOf(db, connector.platform, d.skuId);
  if (!ref) {
    flush();
    settleDone(db, d, 'unmapped', ctx.now()); // unlinked since: nothing to tell
    return null;
  }
  if (d.qtyDelta !== null && connector.capabilities.stockIncrement && incrementSafe(db, connector.platform, d.skuId)) {
    if (d.qtyDelta % 1000 !== 0) throw new SyncError('refused', 'FRACTION', `库存变动 ${d.qtyDelta / 1000} 不是整件，平台只收整数库存`);
    return connector.pushStock({ mode: 'increment', ref, delta: d.qtyDelta / 1000, idempotencyKey: d.outboxId });
  }
  // An absolute figure covers (supersedes) pending moves of the SKU: the held ones are settled first.
  flush();
  // The figure (reservations, safety stock, share: ./sellable.ts) read with the snapshot, in one transaction.
  const { snap, quantity } = db.$client
    .transaction(() => ({ snap: snapshotAbsolute(db, ctx.platforms, d.skuId, ctx.now()), quantity: platformSellable(db, connector.platform, d.skuId) }))
    .immediate();
  await connector.pushStock({ mode: 'absolute', ref, quantity });
  supersede(db, connector.platform, d.skuId, snap.seq, ctx.now());
  settleDone(db, d, 'applied', ctx.now()); // a queued absolute push (its own row) when supersede did not cover it
  return null;
}

function fail(ctx: RelayContext, d: DueDelivery, e: SyncError): void {
  const now = ctx.now();
  const message = e.message;
  // A refused token that could not be renewed is the shop's state, not this delivery's: nothing is
  // dead-lettered for it, the backlog waits (the platform's status shows the error) until a person reconnects.
  if (e.kind === 'auth') return reschedule(ctx.db, d, d.attempts, now + ctx.policy.backoff.capMs, `${e.code}: ${message}`);
  // Likewise an unreachable platform (the shop's network down for a day): the try is not counted
  // against the delivery; the engine rests the whole platform with backoff meanwhile.
  const unreachable = e.code === 'NETWORK' || e.code === 'TIMEOUT';
  const attempts = unreachable ? d.attempts : d.attempts + 1;
  if (e.kind === 'refused' || attempts >= ctx.policy.maxAttempts) {
    const reason = e.kind === 'refused' ? message : `重试 ${attempts} 次仍失败：${message}`;
    return deadLetter(ctx.db, d, attempts, reason, e.code, now);
  }
  if (e.kind === 'rate_limited') ctx.limiter.pause(ctx.policy.rateLimitPauseMs);
  reschedule(ctx.db, d, attempts, now + backoffDelay(Math.max(1, attempts), ctx.policy.backoff, ctx.random), `${e.code}: ${message}`);
}
