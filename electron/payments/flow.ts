// The no-double-charge state machine (PLATFORMS.md section 7), for a code payment (被扫) and a shown QR
// (主扫). The attempt is stored before this runs (attempts.ts); every step here is a transition().
//
//   code:  PENDING ─codePay→ SUCCESS | USERPAYING (query every pollMs) | FAILED (refused, nothing taken)
//          timeout / 5xx / rate limit / bad signature → UNKNOWN → query (unknownQueryDelayMs, backing off)
//          … until final or giveUpMs after the charge; then one last query, and a reverse no earlier than
//          reverseMinMs (WeChat: 15 s) after the charge, retried while it fails transiently: CLOSED → REVOKED,
//          a trade that had been paid → REFUNDED (the cashier is told 已撤销并退款, not 已收款).
//   qr:    PENDING ─qrCreate→ USERPAYING (query every pollMs) → SUCCESS, or at expiry / cancel: close → CLOSED.
//
// An outcome the till did not learn is never a failure: only a platform's definite answer ends an
// attempt. A reverse that cannot get an answer leaves the attempt UNKNOWN (not final): it keeps
// blocking its cart and is settled by the next start-up's recovery, a manager's query, or reconciliation.
import { OutcomeUnknown, ProviderRefused, type PaymentProvider, type TradeResult } from './provider';
import type { AttemptState, PaymentProviderName } from '../../shared/api/payments';
import { TillError } from '../../shared/errors';
import { formatYuan } from '../../shared/money';
import { log } from '../api/log';
import type { Till } from '../till/till';
import { getAttempt, transition, type Attempt, type Change } from './attempts';

export interface FlowOptions {
  /** Query interval while the customer enters a password or has not scanned the QR (WeChat: ~10 s). */
  pollMs: number;
  /** Query interval of a remote payment request (远程收款, open for up to hours: polled more slowly). */
  remotePollMs: number;
  /** First query after a timeout or 5xx (WeChat: 5 s); doubles on each failed query up to maxBackoffMs. */
  unknownQueryDelayMs: number;
  maxBackoffMs: number;
  /** A code payment is given up (reversed) this long after the charge (WeChat: 30–45 s). */
  giveUpMs: number;
  /** No reverse earlier than this after the charge (WeChat refuses one within 15 s). */
  reverseMinMs: number;
  /** Keep retrying a reverse (or a QR close) this long after giving up; then leave it UNKNOWN for reconciliation. */
  reverseGiveUpMs: number;
  /** Waiting (tests pass one that moves the till's and the simulator's clocks instead of real time). */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_FLOW: FlowOptions = {
  pollMs: 5_000,
  remotePollMs: 10_000,
  unknownQueryDelayMs: 5_000,
  maxBackoffMs: 30_000,
  giveUpMs: 45_000,
  reverseMinMs: 15_000,
  reverseGiveUpMs: 120_000,
};

/** The till is closing: an answer that arrives now is not written; the next start-up's recovery learns it again. */
class Stopped extends TillError {
  constructor() {
    super('PAYMENTS_STOPPED', '收银机正在关闭：这笔收款的结果将在重新启动后自动核对');
  }
}

type QueryOutcome = { result: TradeResult } | { unknown: string };

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/** The cashier's words for a call whose outcome the till did not learn. */
const UNKNOWN_WORDS: Record<string, string> = {
  timeout: '平台应答超时',
  network: '网络不通',
  server_error: '平台暂时故障',
  rate_limited: '平台繁忙（限流）',
  bad_signature: '平台应答签名无效，已忽略',
  stale_response: '平台应答时间戳过期，已忽略',
};
const unknownWords = (e: OutcomeUnknown) => UNKNOWN_WORDS[e.reason] ?? '结果未知';

export class PaymentFlow {
  private readonly running = new Map<string, Promise<Attempt>>();
  private readonly lastKnown = new Map<string, Attempt>();
  private stopped = false;
  private readonly sleepFn: (ms: number) => Promise<void>;

  constructor(
    private readonly till: Till,
    private readonly providerOf: (name: PaymentProviderName) => PaymentProvider,
    readonly opts: FlowOptions,
    private readonly onChange: (a: Attempt) => void,
  ) {
    this.sleepFn = opts.sleep ?? realSleep;
  }

  /** Stops every loop at its next wait (the till is closing). */
  stop(): void {
    this.stopped = true;
  }

  /** Attempts being settled in the background right now. */
  busy(): string[] {
    return [...this.running.keys()];
  }

  private async wait(ms: number): Promise<void> {
    if (this.stopped) throw new Stopped();
    await this.sleepFn(Math.max(0, ms));
    if (this.stopped) throw new Stopped();
  }

  private move(id: string, to: AttemptState, change?: Change): Attempt {
    if (this.stopped) throw new Stopped(); // an answer that arrives while the till closes is learned again by recovery
    const { attempt, changed } = transition(this.till, id, to, change);
    this.lastKnown.set(id, attempt);
    if (changed) this.onChange(attempt);
    return attempt;
  }

  /** A trade state from the platform, applied to the attempt. */
  private apply(a: Attempt, r: TradeResult): Attempt {
    const tx = { transactionId: r.transactionId ?? null };
    switch (r.state) {
      case 'SUCCESS': {
        const off = r.amountFen !== undefined && r.amountFen !== a.amountFen;
        const detail = off ? `平台收款金额 ${formatYuan(r.amountFen!)} 与本次收款 ${formatYuan(a.amountFen)} 不一致，请对账` : null;
        return this.move(a.id, 'SUCCESS', { ...tx, detail });
      }
      case 'USERPAYING':
      case 'NOTPAY':
        return this.move(a.id, 'USERPAYING', { ...tx, detail: r.detail ?? null });
      case 'CLOSED':
        return this.move(a.id, 'CLOSED', { ...tx, detail: r.detail ?? null });
      case 'REVOKED':
        return this.move(a.id, 'REVOKED', { ...tx, detail: r.detail ?? null });
      case 'REFUND':
        return this.move(a.id, 'REFUNDED', { ...tx, detail: r.detail ?? '平台显示该笔已退款' });
      case 'PAYERROR':
        return this.move(a.id, 'FAILED', { ...tx, detail: r.detail ?? '支付失败' });
      case 'NOT_FOUND':
        return a; // the caller decides (see settleLoop)
    }
  }

  private async query(a: Attempt): Promise<QueryOutcome> {
    try {
      return { result: await this.providerOf(a.provider).query(a.outTradeNo) };
    } catch (e) {
      if (e instanceof ProviderRefused) return { unknown: e.message };
      if (e instanceof OutcomeUnknown) return { unknown: unknownWords(e) };
      return { unknown: e instanceof Error ? e.message : String(e) };
    }
  }

  // -------------------------------------------------------------------------------------------
  // Code payment

  /**
   * Sends the one codePay call of this attempt (never repeated: a retry is a query) and returns the
   * attempt after its answer; a result that is not final goes on settling in the background.
   */
  async startCode(attempt: Attempt, authCode: string, description: string): Promise<Attempt> {
    let a = this.move(attempt.id, 'PENDING', { chargedAt: this.till.now() });
    try {
      const r = await this.providerOf(a.provider).codePay({ outTradeNo: a.outTradeNo, authCode, amountFen: a.amountFen, description });
      a = r.state === 'NOT_FOUND' ? this.move(a.id, 'UNKNOWN', { detail: '平台应答无订单，正在查询' }) : this.apply(a, r);
    } catch (e) {
      if (e instanceof ProviderRefused && !e.retryable) a = this.move(a.id, 'FAILED', { detail: e.message });
      else if (e instanceof ProviderRefused) a = this.move(a.id, 'UNKNOWN', { detail: `${e.message}，正在查询` });
      else if (e instanceof OutcomeUnknown) a = this.move(a.id, 'UNKNOWN', { detail: `${unknownWords(e)}，正在查询结果` });
      else a = this.move(a.id, 'UNKNOWN', { detail: '收款结果未知，正在查询' });
    }
    if (!a.final) this.background(a.id);
    return a;
  }

  // -------------------------------------------------------------------------------------------
  // Shown QR

  /** Creates the platform's QR for this attempt; then polls it in the background until paid or expired. */
  async startQr(attempt: Attempt, description: string): Promise<Attempt> {
    let a = this.move(attempt.id, 'PENDING', { chargedAt: this.till.now() });
    try {
      const { codeUrl } = await this.providerOf(a.provider).qrCreate({
        outTradeNo: a.outTradeNo, amountFen: a.amountFen, description, expiresAt: a.expiresAt ?? this.till.now() + 120_000,
      });
      a = this.move(a.id, 'USERPAYING', { codeUrl, detail: null });
    } catch (e) {
      if (e instanceof ProviderRefused && !e.retryable) a = this.move(a.id, 'FAILED', { detail: e.message });
      else a = this.move(a.id, 'UNKNOWN', { detail: e instanceof OutcomeUnknown ? `${unknownWords(e)}，正在查询` : '生成收款码结果未知' });
    }
    if (!a.final) this.background(a.id);
    return a;
  }

  /** The cashier cancels a shown QR: close it on the platform (or find it paid). */
  async cancelQr(id: string): Promise<Attempt> {
    const a = getAttempt(this.till, id);
    if (a.final) return a;
    return this.close(a, Number.POSITIVE_INFINITY);
  }

  // -------------------------------------------------------------------------------------------
  // Settling

  private background(id: string): void {
    this.settle(id).catch((e) => log.error('payments: settling failed', { id, error: e instanceof Error ? e.message : String(e) }));
  }

  /** Settles a non-final attempt (once: a second call while it runs gets the same promise). */
  settle(id: string): Promise<Attempt> {
    const running = this.running.get(id);
    if (running) return running;
    const p = this.settleLoop(id)
      .catch((e) => {
        // Stopped (the till is closing): the attempt stays as stored; the next start-up's recovery goes on.
        if (e instanceof Stopped || this.stopped) return this.lastKnown.get(id) ?? ({ id, state: 'UNKNOWN', final: 0 } as Attempt);
        throw e;
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, p);
    return p;
  }

  private deadline(a: Attempt): number {
    if (a.kind === 'code') return (a.chargedAt ?? a.createdAt) + this.opts.giveUpMs;
    return a.expiresAt ?? a.createdAt + this.opts.giveUpMs;
  }

  private async settleLoop(id: string): Promise<Attempt> {
    let a = getAttempt(this.till, id);
    // A recovered attempt that never got a call out (CREATED): the platform cannot have it.
    if (a.state === 'CREATED') return this.move(a.id, 'FAILED', { detail: '收款请求未发出，未扣款' });
    const pollMs = a.kind === 'remote' ? this.opts.remotePollMs : this.opts.pollMs;
    let delay = a.state === 'USERPAYING' ? pollMs : this.opts.unknownQueryDelayMs;
    let notFound = 0;
    while (!a.final) {
      const left = this.deadline(a) - this.till.now();
      if (left <= 0) return a.kind === 'code' ? this.giveUp(a) : this.close(a, this.till.now() + this.opts.reverseGiveUpMs);
      await this.wait(Math.min(delay, left));
      a = getAttempt(this.till, id);
      if (a.final) break;
      const q = await this.query(a);
      if ('unknown' in q) {
        delay = Math.min(delay * 2, this.opts.maxBackoffMs); // rate limits and 5xx: keep polling, slower
        continue;
      }
      if (q.result.state === 'NOT_FOUND') {
        // A shown Alipay QR has no trade until the customer scans it: waiting, not failed.
        if (a.kind !== 'code' && a.codeUrl) {
          delay = pollMs;
          continue;
        }
        // The pay call may have been lost on the way: twice "no such order", a query interval apart, ends it.
        if (++notFound >= 2) return this.move(a.id, 'FAILED', { detail: '平台无此订单，未扣款' });
        delay = this.opts.unknownQueryDelayMs;
        continue;
      }
      notFound = 0;
      a = this.apply(a, q.result);
      delay = a.state === 'USERPAYING' ? pollMs : this.opts.unknownQueryDelayMs;
    }
    return a;
  }

  /**
   * Gives up waiting for a code payment: one last query (a password typed just now is a payment), then
   * reverse no earlier than reverseMinMs after the charge, retried with backoff while it fails
   * transiently. Without an answer before reverseGiveUpMs the attempt is left UNKNOWN.
   */
  async giveUp(start: Attempt, untilAt = this.till.now() + this.opts.reverseGiveUpMs): Promise<Attempt> {
    let a = start;
    let backoff = this.opts.unknownQueryDelayMs;
    const provider = this.providerOf(a.provider);
    while (!a.final) {
      const q = await this.query(a);
      if ('result' in q && q.result.state !== 'NOT_FOUND') {
        a = this.apply(a, q.result);
        if (a.final) return a;
      }
      // A second more than the platform's rule: the charge was stamped before the call went out.
      const earliest = (a.chargedAt ?? a.createdAt) + this.opts.reverseMinMs + 1_000;
      if (this.till.now() < earliest) await this.wait(earliest - this.till.now());
      try {
        const r = await provider.reverse(a.outTradeNo);
        return this.move(a.id, r.outcome === 'REFUNDED' ? 'REFUNDED' : 'REVOKED', {
          detail: r.outcome === 'REFUNDED' ? '顾客已付款，已撤销并原路退款' : '已撤销，未扣款',
        });
      } catch (e) {
        if (e instanceof ProviderRefused && !e.retryable) {
          // Refused for good (no such order, already closed…): the query says what it is.
          const q2 = await this.query(a);
          if ('result' in q2) {
            if (q2.result.state === 'NOT_FOUND') return this.move(a.id, 'FAILED', { detail: '平台无此订单，未扣款' });
            a = this.apply(a, q2.result);
            if (a.final) return a;
          }
        }
        if (!(e instanceof ProviderRefused) && !(e instanceof OutcomeUnknown)) throw e;
      }
      if (this.till.now() >= untilAt) {
        return this.move(a.id, 'UNKNOWN', { detail: '撤销未得到平台应答，结果待查询对账（请勿重复收款）' });
      }
      await this.wait(backoff);
      backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
    }
    return a;
  }

  /**
   * Closes a shown QR (expired or cancelled); a QR paid meanwhile ends SUCCESS: a query goes first (a
   * payment that arrived at the last moment is a payment), and a close the platform refuses is followed
   * by a query (refused because paid → SUCCESS).
   */
  private async close(start: Attempt, untilAt: number): Promise<Attempt> {
    let a = start;
    let backoff = this.opts.unknownQueryDelayMs;
    const provider = this.providerOf(a.provider);
    while (!a.final) {
      const before = await this.query(a);
      if ('result' in before && before.result.state !== 'NOT_FOUND') {
        a = this.apply(a, before.result);
        if (a.final) return a;
      }
      try {
        await provider.close(a.outTradeNo);
        const q = await this.query(a);
        if ('result' in q && q.result.state !== 'NOT_FOUND') {
          a = this.apply(a, q.result);
          if (a.final) return a;
          // Closed but the query still says waiting: query again after the backoff.
        } else if ('result' in q) {
          return this.move(a.id, 'CLOSED', { detail: '收款码已关闭，未扣款' });
        }
      } catch (e) {
        if (!(e instanceof ProviderRefused) && !(e instanceof OutcomeUnknown)) throw e;
        const q = await this.query(a); // refused (already paid, no such order): the query says what it is
        if ('result' in q) {
          if (q.result.state === 'NOT_FOUND') return this.move(a.id, 'CLOSED', { detail: '收款码已关闭，未扣款' });
          a = this.apply(a, q.result);
          if (a.final) return a;
        }
      }
      if (this.till.now() >= untilAt) return this.move(a.id, 'UNKNOWN', { detail: '关闭收款码未得到平台应答，结果待查询对账' });
      await this.wait(backoff);
      backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
    }
    return a;
  }

  /** One query now (a manager's 查询): applies a definite answer. */
  async queryNow(id: string): Promise<{ attempt: Attempt; answer: string }> {
    const a = getAttempt(this.till, id);
    const q = await this.query(a);
    if ('unknown' in q) return { attempt: a, answer: q.unknown };
    if (q.result.state === 'NOT_FOUND') {
      if (!a.final && this.till.now() >= this.deadline(a) && a.kind === 'code') {
        return { attempt: this.move(a.id, 'FAILED', { detail: '平台无此订单，未扣款' }), answer: '平台无此订单' };
      }
      return { attempt: a, answer: '平台无此订单' };
    }
    // transition() leaves a final attempt as it is, except SUCCESS → REFUNDED.
    return { attempt: this.apply(a, q.result), answer: q.result.state };
  }
}
