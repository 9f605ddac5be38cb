// The payments service: what the payments.* endpoints and the wechat/alipay tenders call. Built once at
// boot (Services.payments) with the providers the merchant settings allow; it owns the flow (flow.ts),
// start-up recovery (recovery.ts) and the refund tracker (refunds.ts).
import { createHash, randomBytes } from 'node:crypto';
import type {
  AttemptState,
  CartPaymentsView,
  OrderRef,
  PaymentAttemptDetail,
  PaymentAttemptView,
  PaymentProviderName,
  ReconcileIssue,
  ReconcileView,
  RecoveryReport,
} from '../../shared/api/payments';
import { ApprovalAction } from '../../shared/approvals';
import { TillError } from '../../shared/errors';
import { formatYuan } from '../../shared/money';
import { maskCode, paymentCodeKind } from '../../shared/payment-code';
import { log } from '../api/log';
import { audit } from '../till/audit';
import { activeCart, priceData } from '../till/cart';
import { idempotencyMismatch, requestKey } from '../till/idempotency';
import type { Till } from '../till/till';
import {
  attemptByRequest,
  attemptsSince,
  blockingAttempt,
  createAttempt,
  eventsOf,
  getAttempt,
  inSale,
  markAbandoned,
  PROVIDER_LABEL,
  receivedUnlinked,
  stateWords,
  transition,
  viewOf,
  type Attempt,
} from './attempts';
import { refuseWhilePending } from './cart-guard';
import { DEFAULT_FLOW, PaymentFlow, type FlowOptions } from './flow';
import type { PaymentProvider } from './provider';
import { recoverAttempts } from './recovery';
import { PaymentRequests, type RemotePaidListener } from './requests';
import { refundsOfAttempt, refundToRoute, trackRefunds } from './refunds';

export interface PaymentServiceOptions {
  flow?: Partial<FlowOptions>;
  /** How often open refunds are re-sent / queried (ms; 0: only at start-up and when asked). */
  refundTrackMs?: number;
}

/** Which platform a scanned code belongs to, or the cashier's refusal. */
export function routeCode(code: string): PaymentProviderName {
  const kind = paymentCodeKind(code);
  if (kind) return kind;
  if (/^62\d{17}$/.test(code)) throw new TillError('UNIONPAY_NOT_CONFIGURED', '这是云闪付（银联）付款码：本店未开通银联收单，请顾客改用微信或支付宝');
  throw new TillError('NOT_A_PAYMENT_CODE', '不是有效的微信或支付宝付款码，请让顾客刷新付款码后重新扫描');
}

const services = new WeakMap<Till, PaymentService>();

/** The till's payments service (the tenders reach it through the till they are given). */
export function paymentsOf(till: Till): PaymentService {
  const s = services.get(till);
  if (!s) throw new TillError('PAYMENTS_OFF', '电子支付未启动');
  return s;
}

export class PaymentService {
  readonly flow: PaymentFlow;
  /** Remote payment requests (远程收款): held carts and online orders paid by a poster's QR. */
  readonly requests: PaymentRequests;
  private recovery: RecoveryReport = { running: false, startedAt: null, finishedAt: null, items: [] };
  private recovering: Promise<RecoveryReport> | null = null;
  /** Digests of codes scanned in this run (salted per run, never stored): the same code twice is refused. */
  private readonly codes = new Map<string, string>();
  private readonly salt = randomBytes(16);
  private refundTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly till: Till,
    private readonly providers: (name: PaymentProviderName) => PaymentProvider | null,
    opts: PaymentServiceOptions = {},
  ) {
    this.flow = new PaymentFlow(till, (name) => this.provider(name), { ...DEFAULT_FLOW, ...opts.flow }, (a) => this.changed(a));
    this.requests = new PaymentRequests({
      till, flow: this.flow, provider: (n) => this.provider(n), changed: (a) => this.changed(a), refuseWhileRecovering: () => this.refuseWhileRecovering(),
    });
    services.set(till, this);
    till.onClose(() => this.stop());
    if (opts.refundTrackMs) {
      this.refundTimer = setInterval(() => void this.trackRefunds().catch(() => undefined), opts.refundTrackMs);
      this.refundTimer.unref();
    }
  }

  stop(): void {
    this.flow.stop();
    if (this.refundTimer) clearInterval(this.refundTimer);
    if (services.get(this.till) === this) services.delete(this.till);
  }

  provider(name: PaymentProviderName): PaymentProvider {
    const p = this.providers(name);
    if (!p) throw new TillError('PROVIDER_NOT_CONFIGURED', `未配置${PROVIDER_LABEL[name]}商户参数，请店主在设置中填写`);
    return p;
  }

  private changed(a: Attempt): void {
    const v = viewOf(a);
    log.info('payment', { id: a.id, outTradeNo: a.outTradeNo, provider: a.provider, state: a.state, amountFen: a.amountFen, code: a.authCodeMask });
    this.till.events.emit('payment', v);
    // A held cart becomes a sale, an order is told (a remote request, or an order balance's code payment: no cart).
    if (a.state === 'SUCCESS' && (a.kind === 'remote' || a.cartId === null)) void this.requests.paid(a.id);
  }

  /** The order side's hook: an online order's remote payment request was paid (at least once per request). */
  onRemotePaid(listener: RemotePaidListener): () => void {
    return this.requests.onRemotePaid(listener);
  }

  private digest(code: string): string {
    return createHash('sha256').update(this.salt).update(code).digest('hex');
  }

  refuseWhileRecovering(): void {
    if (this.recovery.running) throw new TillError('PAYMENTS_RECOVERING', '正在核对上次未完成的电子收款，请稍候再收款');
  }

  // -------------------------------------------------------------------------------------------
  // payments.codePay

  async codePay(input: { requestId: string; code: string; amountFen: number }): Promise<PaymentAttemptView> {
    const session = this.till.auth.requireSession();
    const code = input.code.trim();
    const codeMask = maskCode(code);
    const key = requestKey('payments.codePay', { requestId: input.requestId, amountFen: input.amountFen, code: codeMask });
    const earlier = attemptByRequest(this.till, input.requestId);
    if (earlier) {
      if (earlier.requestHash !== key.hash) throw idempotencyMismatch();
      return viewOf(earlier); // a retried call: the same attempt, never a second charge
    }
    const providerName = routeCode(code);
    this.provider(providerName); // an unconfigured platform is refused before anything is stored
    this.refuseWhileRecovering();
    const digest = this.digest(code);
    const attempt = this.till.tx(() => {
      const cart = activeCart(this.till);
      if (!cart.data.lines.length) throw new TillError('CART_EMPTY', '购物车为空');
      const seen = this.codes.get(digest);
      const same = seen ? getAttempt(this.till, seen) : undefined;
      if (same && (!same.final || same.state === 'SUCCESS')) {
        throw new TillError('DUPLICATE_CODE', `该付款码刚刚已扫过（${PROVIDER_LABEL[same.provider]} ${formatYuan(same.amountFen)}，${stateWords(same.state as AttemptState, same.kind)}），请勿重复扫码`);
      }
      refuseWhilePending(this.till, cart.id);
      const left = this.leftToPay(cart.id, priceData(this.till, cart.data).totalFen);
      if (input.amountFen > left) {
        throw new TillError('AMOUNT_OVER_DUE', `收款金额 ${formatYuan(input.amountFen)} 超过待收 ${formatYuan(left)}`, { leftFen: left });
      }
      return createAttempt(this.till, {
        provider: providerName, kind: 'code', cartId: cart.id, amountFen: input.amountFen, authCodeMask: codeMask,
        createdBy: session.userId, requestId: input.requestId, requestHash: key.hash,
      });
    });
    this.codes.set(digest, attempt.id);
    this.changed(attempt);
    const items = priceData(this.till, activeCart(this.till).data).itemCount;
    return viewOf(await this.flow.startCode(attempt, code, `小店收银 · ${items} 件商品`));
  }

  /**
   * An online order's balance (尾款 / 货到付款) paid by the customer's payment code: the same attempt and
   * flow as a cart's code payment, with no cart; the attempt is tied to the order by a payment_requests
   * row (orderRef, as a poster's is), written with it. `guard` (the order side's rules: the amount is the
   * balance, nothing paid or being paid yet) runs inside that transaction. When it succeeds, the order
   * side's onRemotePaid listeners are told, as for a poster.
   */
  async codePayForOrder(input: { requestId: string; code: string; amountFen: number; orderRef: OrderRef; guard: () => void }): Promise<PaymentAttemptView> {
    const session = this.till.auth.requireSession();
    const code = input.code.trim();
    const codeMask = maskCode(code);
    const key = requestKey('orders.balanceCodePay', { requestId: input.requestId, amountFen: input.amountFen, code: codeMask, orderRef: input.orderRef });
    const earlier = attemptByRequest(this.till, input.requestId);
    if (earlier) {
      if (earlier.requestHash !== key.hash) throw idempotencyMismatch();
      return viewOf(earlier);
    }
    const providerName = routeCode(code);
    this.provider(providerName);
    this.refuseWhileRecovering();
    const digest = this.digest(code);
    const attempt = this.till.tx(() => {
      const seen = this.codes.get(digest);
      const same = seen ? getAttempt(this.till, seen) : undefined;
      if (same && (!same.final || same.state === 'SUCCESS')) {
        throw new TillError('DUPLICATE_CODE', `该付款码刚刚已扫过（${PROVIDER_LABEL[same.provider]} ${formatYuan(same.amountFen)}，${stateWords(same.state as AttemptState, same.kind)}），请勿重复扫码`);
      }
      input.guard();
      const a = createAttempt(this.till, {
        provider: providerName, kind: 'code', cartId: null, amountFen: input.amountFen, authCodeMask: codeMask,
        createdBy: session.userId, requestId: input.requestId, requestHash: key.hash,
      });
      this.requests.linkOrder(a.id, input.orderRef, '尾款（扫付款码）');
      return a;
    });
    this.codes.set(digest, attempt.id);
    this.changed(attempt);
    return viewOf(await this.flow.startCode(attempt, code, '小店收银 · 网店订单尾款'));
  }

  /** What is left to pay on the cart: its total less the payments already received for it. */
  private leftToPay(cartId: string, dueFen: number): number {
    return dueFen - receivedUnlinked(this.till, cartId).reduce((s, a) => s + a.amountFen, 0);
  }

  // -------------------------------------------------------------------------------------------
  // Shown QR

  async qrCreate(input: { requestId: string; provider: PaymentProviderName; amountFen: number; ttlSeconds?: number }): Promise<PaymentAttemptView> {
    const session = this.till.auth.requireSession();
    const key = requestKey('payments.qrCreate', input);
    const earlier = attemptByRequest(this.till, input.requestId);
    if (earlier) {
      if (earlier.requestHash !== key.hash) throw idempotencyMismatch();
      return viewOf(earlier);
    }
    this.provider(input.provider);
    this.refuseWhileRecovering();
    const attempt = this.till.tx(() => {
      const cart = activeCart(this.till);
      if (!cart.data.lines.length) throw new TillError('CART_EMPTY', '购物车为空');
      refuseWhilePending(this.till, cart.id);
      const left = this.leftToPay(cart.id, priceData(this.till, cart.data).totalFen);
      if (input.amountFen > left) throw new TillError('AMOUNT_OVER_DUE', `收款金额 ${formatYuan(input.amountFen)} 超过待收 ${formatYuan(left)}`, { leftFen: left });
      return createAttempt(this.till, {
        provider: input.provider, kind: 'qr', cartId: cart.id, amountFen: input.amountFen, createdBy: session.userId,
        requestId: input.requestId, requestHash: key.hash, expiresAt: this.till.now() + (input.ttlSeconds ?? 120) * 1000,
      });
    });
    this.changed(attempt);
    return viewOf(await this.flow.startQr(attempt, '小店收银'));
  }

  async qrCancel(id: string): Promise<PaymentAttemptView> {
    this.till.auth.requireSession();
    const a = getAttempt(this.till, id);
    if (a.kind === 'code') throw new TillError('NOT_A_QR', '这笔不是收款码收款');
    return viewOf(await this.flow.cancelQr(id));
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  attempt(id: string): PaymentAttemptDetail {
    this.till.auth.requireSession();
    const a = getAttempt(this.till, id);
    return {
      ...viewOf(a),
      events: eventsOf(this.till, id),
      refunds: refundsOfAttempt(this.till, id).map((r) => ({ outRefundNo: r.outRefundNo, amountFen: r.amountFen, state: r.state, returnId: r.returnId, detail: r.detail })),
    };
  }

  forCart(): CartPaymentsView {
    this.till.auth.requireSession();
    const cart = activeCart(this.till);
    const received = receivedUnlinked(this.till, cart.id);
    const pending = blockingAttempt(this.till, cart.id);
    return {
      cartId: cart.id,
      dueFen: cart.data.lines.length ? priceData(this.till, cart.data).totalFen : 0,
      receivedFen: received.reduce((s, a) => s + a.amountFen, 0),
      received: received.map(viewOf),
      pending: pending ? viewOf(pending) : null,
      toInclude: received.map((a) => ({ method: a.provider, amountFen: a.amountFen, attemptId: a.id })),
    };
  }

  /** Waits until the attempt is final or its settling stopped (tests; the UI polls payments.attempt). */
  async settled(id: string): Promise<PaymentAttemptView> {
    const a = getAttempt(this.till, id);
    return viewOf(a.final ? a : await this.flow.settle(id));
  }

  // -------------------------------------------------------------------------------------------
  // Manager

  async query(id: string): Promise<PaymentAttemptView> {
    const session = this.till.auth.requireSession();
    const before = getAttempt(this.till, id);
    const { attempt, answer } = await this.flow.queryNow(id);
    this.till.tx(() =>
      audit(this.till.db, { userId: session.userId, action: 'payment.query', target: id, details: { from: before.state, to: attempt.state, answer } }, this.till.now()),
    );
    return viewOf(attempt);
  }

  /**
   * Reverses an attempt no sale took: one not final is reversed (no earlier than the platform allows);
   * a received one is refunded whole to the customer (原路退回), after which its cart is free again.
   */
  async reverse(id: string): Promise<PaymentAttemptView> {
    const session = this.till.auth.requireSession();
    const a = getAttempt(this.till, id);
    if (inSale(this.till, a)) throw new TillError('PAYMENT_IN_SALE', '这笔收款已入账，请通过退货原路退款');
    let after: Attempt;
    if (!a.final) {
      after = a.kind === 'code' ? await this.flow.giveUp(a) : await this.flow.cancelQr(id);
    } else if (a.state === 'SUCCESS') {
      const row = await refundToRoute(this.till, this.provider(a.provider), { attempt: a, original: null, amountFen: a.amountFen, requestId: null, returnId: null });
      after = transition(this.till, id, 'REFUNDED', { detail: row.state === 'SUCCESS' ? '店长已原路退款' : `店长已发起原路退款（${row.state}）` }).attempt;
      this.changed(after);
    } else {
      throw new TillError('PAYMENT_FINAL', `这笔收款${stateWords(a.state as AttemptState, a.kind)}，无需撤销`);
    }
    this.till.tx(() =>
      audit(this.till.db, { userId: session.userId, action: 'payment.reverse', target: id, details: { from: a.state, to: after.state, amountFen: a.amountFen } }, this.till.now()),
    );
    return viewOf(after);
  }

  /** A manager stops waiting for a payment whose outcome is unknown: never marked failed, it stays in reconciliation. */
  abandon(id: string, approval: string | undefined): PaymentAttemptView {
    const session = this.till.auth.requireSession();
    const a = getAttempt(this.till, id);
    if (a.final) throw new TillError('PAYMENT_FINAL', `这笔收款已有结果（${stateWords(a.state as AttemptState, a.kind)}），无需放弃等待`);
    const label = PROVIDER_LABEL[a.provider];
    const grant = this.till.auth.approvals.check(approval, {
      action: ApprovalAction.paymentAbandon,
      subject: { kind: 'payment_abandon', attemptId: a.id, amountFen: a.amountFen },
      summary: `不再等待${label}收款 ${formatYuan(a.amountFen)}（${stateWords(a.state as AttemptState, a.kind)}），改用其他方式收款；该笔留待对账`,
      message: `不再等待这笔${label}收款需要店长授权（输入店长 PIN）`,
    });
    this.till.tx(() => {
      markAbandoned(this.till, id, grant.approverId);
      audit(this.till.db, {
        userId: session.userId, approverId: grant.approverId, action: 'payment.abandon', target: id,
        details: { provider: a.provider, amountFen: a.amountFen, state: a.state, outTradeNo: a.outTradeNo },
      }, this.till.now());
    });
    this.till.auth.approvals.spend(grant);
    return viewOf(getAttempt(this.till, id));
  }

  reconcile(input: { businessDay?: string }): ReconcileView {
    this.till.auth.requireSession();
    const day = input.businessDay ?? this.till.businessDay();
    const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
    const rows = attemptsSince(this.till, from).filter((a) => this.till.calendarDay(a.createdAt) === day);
    const totals = new Map<string, ReconcileView['totals'][number]>();
    const out: ReconcileView['rows'] = rows.map((a) => {
      const k = `${a.provider}|${a.state}`;
      const t = totals.get(k) ?? { provider: a.provider, state: a.state as AttemptState, count: 0, amountFen: 0 };
      t.count++;
      t.amountFen += a.amountFen;
      totals.set(k, t);
      const sale = a.saleId && inSale(this.till, a)
        ? (this.till.sqlite
            .prepare(`SELECT s.receipt_no AS receiptNo, (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p WHERE p.sale_id = s.id AND p.reference = ?) AS paidFen FROM sales s WHERE s.id = ?`)
            .get(a.outTradeNo, a.saleId) as { receiptNo: string; paidFen: number } | undefined)
        : undefined;
      const refunds = refundsOfAttempt(this.till, a.id);
      const issues: ReconcileIssue[] = [];
      if (a.state === 'UNKNOWN') issues.push('unknown');
      else if (!a.final) issues.push('not_final');
      // A remote request's money for an online order or for no cart is not meant for a sale of this till.
      if (a.state === 'SUCCESS' && !sale && a.cartId !== null) issues.push('received_no_sale');
      if (sale && a.state !== 'SUCCESS') issues.push('sale_not_success');
      if ((sale && sale.paidFen !== a.amountFen) || (a.detail ?? '').includes('不一致')) issues.push('amount_mismatch');
      if (a.abandonedBy) issues.push('abandoned');
      if (refunds.some((r) => !r.final)) issues.push('refund_open');
      if (refunds.some((r) => r.state === 'ABNORMAL' || r.state === 'CLOSED')) issues.push('refund_failed');
      return {
        ...viewOf(a), issues, receiptNo: sale?.receiptNo ?? null,
        refundedFen: refunds.filter((r) => r.state === 'SUCCESS' || r.state === 'PROCESSING').reduce((s, r) => s + r.amountFen, 0),
      };
    });
    const rank = (r: (typeof out)[number]) => (r.issues.includes('unknown') ? 0 : r.issues.some((i) => i !== 'abandoned') ? 1 : r.issues.length ? 2 : 3);
    out.sort((x, y) => rank(x) - rank(y) || y.createdAt - x.createdAt);
    return { businessDay: day, totals: [...totals.values()], rows: out };
  }

  // -------------------------------------------------------------------------------------------
  // Start-up

  /** Settles every attempt that is not final (and re-sends open refunds); payments are refused meanwhile. */
  recover(): Promise<RecoveryReport> {
    if (this.recovering) return this.recovering;
    this.recovery = { running: true, startedAt: this.till.now(), finishedAt: null, items: [] };
    this.requests.resume(); // remote requests are polled in the background until paid or expired (they do not hold up recovery)
    this.recovering = recoverAttempts(this.till, this.flow)
      .then((items) => {
        this.recovery = { running: false, startedAt: this.recovery.startedAt, finishedAt: this.till.now(), items };
        return this.trackRefunds().catch(() => 0);
      })
      .catch((e) => {
        log.error('payments recovery failed', { error: e instanceof Error ? e.message : String(e) });
        this.recovery = { ...this.recovery, running: false, finishedAt: this.till.now() };
        return 0;
      })
      .then(() => this.recovery)
      .finally(() => (this.recovering = null));
    return this.recovering;
  }

  recovered(): RecoveryReport {
    return this.recovery;
  }

  /** One pass over open refunds (re-send unanswered, query processing). Returns how many are still open. */
  trackRefunds(): Promise<number> {
    return trackRefunds(
      this.till,
      (a) => this.providers(a.provider),
      (id) => getAttempt(this.till, id),
    );
  }
}
