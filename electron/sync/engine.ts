// The sync engine: one agent per shop (a lease row), fanning the outbox out to the platforms, relaying
// deliveries per platform within its rate limit, and polling each platform's orders on a schedule.
// Everything runs on an injected clock and a seeded random generator, so a test replays a run
// exactly; `tick()` does one round and says when the next is due, `start()` runs rounds on timers.
// The engine owns its SQLite connection (the worker thread opens one of its own: ./worker.ts).
import type { TillDb } from '../till/db';
import { backoffDelay, RateLimiter, seededRandom, type BackoffPolicy } from './backoff';
import type { PlatformId, ShopConnector } from './connector';
import { SyncError } from './connector';
import { recordActivity } from './activity';
import { acquireLease, releaseLease } from './lease';
import { pollOrders, type PollPolicy, type PollResult } from './orders';
import { memberConnectorOf } from './members-connector';
import { membersRound } from './members-sync';
import { relayPass, type RelayPass, type RelayPolicy } from './relay';
import {
  dismissDeadLetter,
  enqueueAbsoluteAll,
  fanOut,
  initRelay,
  nextDueAt,
  openDeadLetters,
  pendingCount,
  retryDeadLetter,
  type DeadLetterView,
} from './relay-store';

export interface SyncPolicy extends RelayPolicy, PollPolicy {
  leaseMs: number;
  pollEveryMs: number;
  /** Before relaying to a platform, poll it first when its last poll is older than this (fresh figures). */
  pollBeforePushMs: number;
  /** The longest an idle engine sleeps before looking for new outbox rows (a cheap read). */
  idleCheckMs: number;
  /** Calls a second allowed per platform (the platform's limit, with a margin). */
  callsPerSecond: Partial<Record<PlatformId, number>>;
  defaultCallsPerSecond: number;
  /**
   * The rate limiter's burst, in seconds of its rate (default 1). A platform counting calls per
   * calendar second sees at most rate × (1 + burstSeconds) in one: a small burst lets the rate sit
   * close to the platform's limit (with waitForTokenMs, so the relay still keeps up).
   */
  burstSeconds?: number;
}

export const DEFAULT_POLICY: SyncPolicy = {
  backoff: { baseMs: 2_000, capMs: 10 * 60_000 } satisfies BackoffPolicy,
  maxAttempts: 10,
  rateLimitPauseMs: 5_000,
  overlapMs: 10 * 60_000,
  firstLookbackMs: 24 * 3600_000,
  leaseMs: 60_000,
  pollEveryMs: 60_000,
  pollBeforePushMs: 15_000,
  idleCheckMs: 2_000,
  callsPerSecond: {},
  defaultCallsPerSecond: 5,
};

export interface SyncEngineOptions {
  db: TillDb;
  connectors: ShopConnector[];
  /** Who this agent is (till id + process): the lease holder. */
  holder: string;
  now?: () => number;
  seed?: number;
  policy?: Partial<SyncPolicy>;
}

export interface PlatformStatus {
  platform: PlatformId;
  backlog: number;
  lastSuccessAt: number | null;
  lastError: { code: string; message: string; at: number } | null;
  lastPollAt: number | null;
}

export interface TickResult {
  leased: boolean;
  fannedOut: number;
  relayed: Partial<Record<PlatformId, RelayPass>>;
  polled: Partial<Record<PlatformId, PollResult>>;
  /** When something next falls due (a delivery's retry, a token, a poll); null: nothing pending but polls. */
  nextWakeAt: number;
}

interface PlatformState {
  connector: ShopConnector;
  limiter: RateLimiter;
  nextPollAt: number;
  lastSuccessAt: number | null;
  lastPollAt: number | null;
  lastError: PlatformStatus['lastError'];
  /** Failed passes in a row, and until when the platform rests after the last (backoff over the whole platform). */
  failures: number;
  restUntil: number;
  /** Its own jitter sequence: platforms run side by side, so one shared generator would not replay. */
  random: () => number;
}

export class SyncEngine {
  readonly policy: SyncPolicy;
  private readonly now: () => number;
  private readonly platforms: Map<PlatformId, PlatformState>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickResult> | null = null;
  private stopped = true;
  /** Until when this agent is known to hold the lease (renewed in SQLite once a third of it has passed). */
  private leaseUntil = 0;

  constructor(private readonly opts: SyncEngineOptions) {
    this.policy = { ...DEFAULT_POLICY, ...opts.policy };
    this.now = opts.now ?? Date.now;
    this.platforms = new Map(
      opts.connectors.map((c, i) => {
        const rate = this.policy.callsPerSecond[c.platform] ?? this.policy.defaultCallsPerSecond;
        const state: PlatformState = {
          connector: c,
          limiter: new RateLimiter(rate, Math.max(1, Math.ceil(rate * (this.policy.burstSeconds ?? 1))), this.now),
          nextPollAt: 0,
          lastSuccessAt: null,
          lastPollAt: null,
          lastError: null,
          failures: 0,
          restUntil: 0,
          random: seededRandom((opts.seed ?? 1) * 31 + i),
        };
        return [c.platform, state];
      }),
    );
  }

  private get ids(): PlatformId[] {
    return [...this.platforms.keys()];
  }

  /** One round: lease, fan-out, a relay pass per platform (in parallel), due polls. Never throws for a platform's failure. */
  async tick(): Promise<TickResult> {
    if (this.running) return this.running; // one round at a time
    this.running = this.round().finally(() => (this.running = null));
    return this.running;
  }

  /**
   * "立即同步": a round that also polls every platform's orders now, not only when the poll is due (a
   * person pressing it expects a new online order at once). A platform resting after failures still
   * rests: its backoff is what keeps a failing platform from being hammered.
   */
  async syncNow(): Promise<TickResult> {
    await this.running?.catch(() => undefined); // a round in flight may have polled before the press
    for (const p of this.platforms.values()) p.nextPollAt = 0;
    return this.tick();
  }

  private async round(): Promise<TickResult> {
    const { db } = this.opts;
    const now = this.now();
    const result: TickResult = { leased: false, fannedOut: 0, relayed: {}, polled: {}, nextWakeAt: now + Math.min(this.policy.idleCheckMs, this.policy.leaseMs / 3) };
    if (this.leaseUntil - now < (this.policy.leaseMs * 2) / 3) {
      if (!acquireLease(db, this.opts.holder, now, this.policy.leaseMs)) {
        this.leaseUntil = 0;
        return result;
      }
      this.leaseUntil = now + this.policy.leaseMs;
    }
    result.leased = true;
    initRelay(db, this.ids, now);
    for (let n; (n = fanOut(db, this.ids, now)) > 0; ) result.fannedOut += n;

    await Promise.all(
      [...this.platforms.values()].map(async (p) => {
        const platform = p.connector.platform;
        // Pushes read the figure the platform may sell, which online orders lower (./sellable.ts): a
        // platform with pushes waiting is polled first when its last poll is stale, so the figure is
        // computed right after pulling recent orders.
        if (
          p.connector.capabilities.pullOrders &&
          this.now() >= p.restUntil &&
          this.now() - (p.lastPollAt ?? -Infinity) >= this.policy.pollBeforePushMs &&
          (nextDueAt(db, platform) ?? Infinity) <= this.now()
        ) {
          await this.poll(p, result);
        }
        if (this.now() >= p.restUntil) {
          const pass = await relayPass({ db, connector: p.connector, platforms: this.ids, limiter: p.limiter, policy: this.policy, now: this.now, random: p.random });
          result.relayed[platform] = pass;
          if (pass.sent > 0) p.lastSuccessAt = this.now();
          if (pass.sent > 0 && !pass.lastError) p.lastError = null;
          if (pass.lastError && pass.lastError.kind !== 'refused') {
            // The platform failed (down, unreachable, limiting, token refused): rest it, longer each time.
            p.failures++;
            p.restUntil = this.now() + backoffDelay(p.failures, this.policy.backoff, p.random);
          } else {
            p.failures = 0;
            p.restUntil = 0;
          }
          if (pass.lastError) p.lastError = { code: pass.lastError.code, message: pass.lastError.message, at: this.now() };
        }
        if (p.connector.capabilities.pullOrders && this.now() >= p.nextPollAt && this.now() >= p.restUntil) await this.poll(p, result);
      }),
    );
    result.nextWakeAt = this.nextWakeAt(result.nextWakeAt);
    return result;
  }

  /** Pulls the platform's recent orders (stored and applied to reservations by ./orders.ts); a failure rests the platform. */
  private async poll(p: PlatformState, result: TickResult): Promise<void> {
    try {
      const polled = (result.polled[p.connector.platform] = await pollOrders(this.opts.db, p.connector, this.policy, this.now()));
      if (polled.inserted + polled.updated > 0) {
        const summary = `拉取订单 ${polled.fetched} 笔（新 ${polled.inserted}，更新 ${polled.updated}）`;
        recordActivity(this.opts.db, { platform: p.connector.platform, kind: 'poll', ok: true, summary, detail: polled.window }, this.now());
      }
      // Members ride on the order poll (./members-sync.ts): counter points out, customers and points log in.
      const members = memberConnectorOf(p.connector);
      if (members) await membersRound(this.opts.db, members, this.policy, this.now);
      p.lastPollAt = p.lastSuccessAt = this.now();
      p.nextPollAt = this.now() + this.policy.pollEveryMs;
    } catch (e) {
      const err = e instanceof SyncError ? e : new SyncError('retry', 'INTERNAL', (e as Error).message);
      p.lastError = { code: err.code, message: err.message, at: this.now() };
      p.failures++;
      p.restUntil = p.nextPollAt = this.now() + backoffDelay(p.failures, this.policy.backoff, p.random);
    }
  }

  /** The earliest of: a pending delivery falling due (or the rate limit letting it go), a poll, the lease renewal. */
  private nextWakeAt(leaseRenewal: number): number {
    let t = leaseRenewal;
    for (const p of this.platforms.values()) {
      if (p.connector.capabilities.pullOrders) t = Math.min(t, Math.max(p.nextPollAt, p.restUntil));
      const due = nextDueAt(this.opts.db, p.connector.platform);
      if (due !== null) t = Math.min(t, Math.max(due, p.restUntil, this.now() + p.limiter.waitMs()));
    }
    return t;
  }

  /** Queues an absolute push of every mapped SKU (the periodic full reconcile, or "sync now"). */
  reconcile(platform?: PlatformId): number {
    const { db } = this.opts;
    return db.$client.transaction(() => (platform ? [platform] : this.ids).reduce((n, p) => n + enqueueAbsoluteAll(db, p, this.now()), 0)).immediate();
  }

  status(): PlatformStatus[] {
    return [...this.platforms.values()].map((p) => ({
      platform: p.connector.platform,
      backlog: pendingCount(this.opts.db, p.connector.platform),
      lastSuccessAt: p.lastSuccessAt,
      lastError: p.lastError,
      lastPollAt: p.lastPollAt,
    }));
  }

  deadLetters(): DeadLetterView[] {
    return openDeadLetters(this.opts.db);
  }

  retryDeadLetter(id: string, by: string | null): boolean {
    return retryDeadLetter(this.opts.db, id, by, this.now());
  }

  dismissDeadLetter(id: string, by: string | null): boolean {
    return dismissDeadLetter(this.opts.db, id, by, this.now());
  }

  /** Runs rounds on real timers until stop(): each round sleeps until the next thing falls due (0.2 s–30 s). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      let wake = this.now() + 1000;
      let busy = false;
      try {
        const r = await this.tick();
        wake = r.nextWakeAt;
        // A round that sent something and ended with work due (its pass's time was up) goes on at once;
        // otherwise at least 0.2 s between rounds.
        busy = Object.values(r.relayed).some((p) => (p?.sent ?? 0) > 0);
      } catch {
        // a database error: try again in a while (the round logs nothing here; status shows it)
      }
      if (this.stopped) return;
      this.timer = setTimeout(loop, Math.min(30_000, Math.max(busy ? 0 : 200, wake - this.now())));
    };
    void loop();
  }

  /** Stops the timers, waits for the round in flight, gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    releaseLease(this.opts.db, this.opts.holder);
    this.leaseUntil = 0;
  }
}
