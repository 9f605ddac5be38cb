// Remote payment requests (远程收款): the cashier asks for an amount by a payment QR sent as a poster (a
// community group order 社群接龙, a cash-on-delivery balance 尾款), optionally tied to a held cart (挂单)
// or to an online order (an opaque {platform, platformOrderId}: the order side resolves it).
//
// The money is an ordinary attempt of kind 'remote' (a shown QR with a long expiry), so every rule of
// the flow holds: stored before the first call, polled by the main side (never by a window that may be
// closed), closed on the platform at expiry with a query first and a query after a refused close (a
// payment that arrives at the last moment is a payment). A restart resumes the polling (resume()).
//
// When it is paid: a held cart becomes a completed sale paid by that attempt, in the sale's one
// transaction (sales.payHeldCart), which also marks the request; if the sale cannot be made (the cart
// was changed, no open shift…) the payment stays received and the cashier finishes the cart with it.
// An order's payment goes to the order side's listeners (onRemotePaid), at least once: a paid request
// nobody took yet is handed to the next listener that registers.
import { and, desc, eq, gte, isNull, or } from 'drizzle-orm';
import type { OrderRef, PaymentProviderName, PaymentRequestView } from '../../shared/api/payments';
import { TillError } from '../../shared/errors';
import { formatYuan } from '../../shared/money';
import { log } from '../api/log';
import { heldCart, priceData } from '../till/cart';
import { payHeldCart } from '../till/sales';
import { paymentAttempts, paymentRequests, sales } from '../till/schema';
import type { Till } from '../till/till';
import { idempotencyMismatch, requestKey } from '../till/idempotency';
import { attemptByRequest, createAttempt, getAttempt, inSale, PROVIDER_LABEL, receivedUnlinked, viewOf, type Attempt } from './attempts';
import { refuseWhilePending } from './cart-guard';
import type { PaymentFlow } from './flow';
import { expiryText } from './poster-template';

export type RemotePaidListener = (orderRef: OrderRef, attempt: ReturnType<typeof viewOf>) => void | Promise<void>;

type RequestRow = typeof paymentRequests.$inferSelect;

export interface RequestHost {
  till: Till;
  flow: PaymentFlow;
  /** The platform's client, or PROVIDER_NOT_CONFIGURED. */
  provider(name: PaymentProviderName): unknown;
  /** Tells the windows (the 'payment' event) that an attempt or its request changed. */
  changed(a: Attempt): void;
  refuseWhileRecovering(): void;
}

export interface CreateRequest {
  requestId: string;
  provider: PaymentProviderName;
  amountFen?: number;
  heldCartId?: string;
  orderRef?: OrderRef;
  note?: string;
  ttlMinutes?: number;
}


export class PaymentRequests {
  private readonly listeners = new Set<RemotePaidListener>();
  private readonly handling = new Map<string, Promise<void>>();

  constructor(private readonly host: RequestHost) {}

  private get till(): Till {
    return this.host.till;
  }

  // -------------------------------------------------------------------------------------------
  // Creating and cancelling

  async create(input: CreateRequest): Promise<PaymentRequestView> {
    const session = this.till.auth.requireSession();
    const key = requestKey('payments.requestCreate', { ...input });
    const earlier = attemptByRequest(this.till, input.requestId);
    if (earlier) {
      if (earlier.requestHash !== key.hash) throw idempotencyMismatch();
      return this.view(earlier.id); // a retried call: the same request, never a second QR
    }
    if (input.heldCartId && input.orderRef) throw new TillError('BAD_REQUEST_TARGET', '一笔远程收款只能对应一个挂单或一个网店订单');
    this.host.provider(input.provider);
    this.host.refuseWhileRecovering();
    const ttl = input.ttlMinutes ?? 30;
    const attempt = this.till.tx(() => {
      let amountFen = input.amountFen;
      if (input.heldCartId) {
        const cart = heldCart(this.till, input.heldCartId);
        if (!cart || !cart.data.lines.length) throw new TillError('UNKNOWN_CART', '找不到该挂单（可能已取单）');
        refuseWhilePending(this.till, cart.id);
        const due = priceData(this.till, cart.data).totalFen - receivedUnlinked(this.till, cart.id).reduce((s, a) => s + a.amountFen, 0);
        if (amountFen !== undefined && amountFen !== due) {
          throw new TillError('AMOUNT_NOT_DUE', `挂单待收 ${formatYuan(due)}，远程收款金额须与之相同`, { dueFen: due });
        }
        amountFen = due;
      }
      if (amountFen === undefined) throw new TillError('BAD_AMOUNT', '请输入收款金额');
      const a = createAttempt(this.till, {
        provider: input.provider, kind: 'remote', cartId: input.heldCartId ?? null, amountFen, createdBy: session.userId,
        requestId: input.requestId, requestHash: key.hash, expiresAt: this.till.now() + ttl * 60_000,
      });
      this.till.db
        .insert(paymentRequests)
        .values({
          attemptId: a.id, heldCartId: input.heldCartId ?? null, orderPlatform: input.orderRef?.platform ?? null,
          orderId: input.orderRef?.platformOrderId ?? null, note: input.note?.trim() || null, createdAt: this.till.now(),
        })
        .run();
      return a;
    });
    this.host.changed(attempt);
    const what = input.orderRef ? '网店订单尾款' : input.heldCartId ? '挂单' : '远程收款';
    await this.host.flow.startQr(attempt, `小店收银 · ${what}`);
    return this.view(attempt.id);
  }

  /** Ties an attempt that is not a poster (an order balance's code payment) to its order, inside the caller's transaction. */
  linkOrder(attemptId: string, ref: OrderRef, note: string): void {
    this.till.db
      .insert(paymentRequests)
      .values({ attemptId, heldCartId: null, orderPlatform: ref.platform, orderId: ref.platformOrderId, note, createdAt: this.till.now() })
      .run();
  }

  async cancel(id: string): Promise<PaymentRequestView> {
    this.till.auth.requireSession();
    this.row(id);
    if (getAttempt(this.till, id).kind !== 'remote') throw new TillError('NOT_A_QR', '这笔不是收款码收款');
    await this.host.flow.cancelQr(id);
    return this.view(id);
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  private row(id: string): RequestRow {
    const r = this.till.db.select().from(paymentRequests).where(eq(paymentRequests.attemptId, id)).get();
    if (!r) throw new TillError('UNKNOWN_PAYMENT', '找不到这笔远程收款');
    return r;
  }

  /** Open requests and those of the last 24 hours, newest first. */
  list(input: { openOnly?: boolean } = {}): PaymentRequestView[] {
    this.till.auth.requireSession();
    const since = this.till.now() - 86_400_000;
    const rows = this.till.db
      .select({ id: paymentRequests.attemptId })
      .from(paymentRequests)
      .innerJoin(paymentAttempts, eq(paymentAttempts.id, paymentRequests.attemptId))
      .where(
        and(
          eq(paymentAttempts.kind, 'remote'), // an order balance's code payment is not a poster
          input.openOnly ? eq(paymentAttempts.final, 0) : or(eq(paymentAttempts.final, 0), gte(paymentRequests.createdAt, since)),
        ),
      )
      .orderBy(desc(paymentRequests.createdAt))
      .all();
    return rows.map((r) => this.view(r.id));
  }

  view(id: string): PaymentRequestView {
    const r = this.row(id);
    const a = getAttempt(this.till, id);
    const attempt = viewOf(a);
    const receiptNo = r.saleId
      ? (this.till.db.select({ n: sales.receiptNo }).from(sales).where(eq(sales.id, r.saleId)).get()?.n ?? null)
      : null;
    const cart = r.heldCartId ? heldCart(this.till, r.heldCartId) : undefined;
    const cartText = cart
      ? `挂单${cart.data.lines.length ? `：${cart.data.lines.slice(0, 2).map((l) => l.name).join('、')}${cart.data.lines.length > 2 ? '…' : ''}` : ''}`
      : null;
    return {
      attempt,
      heldCartId: r.heldCartId,
      cartText,
      orderRef: r.orderPlatform && r.orderId ? { platform: r.orderPlatform, platformOrderId: r.orderId } : null,
      note: r.note,
      outcome: (r.outcome as PaymentRequestView['outcome']) ?? null,
      saleId: r.saleId,
      receiptNo,
      open: !a.final,
      words: this.words(a, r, receiptNo),
      createdAt: r.createdAt,
    };
  }

  private words(a: Attempt, r: RequestRow, receiptNo: string | null): string {
    const label = PROVIDER_LABEL[a.provider];
    if (a.state === 'SUCCESS') {
      if (r.outcome === 'sale') return `已收款（${label}），挂单已结账，小票 ${receiptNo ?? ''}`.trim();
      if (r.heldCartId && r.outcome === 'received' && !inSale(this.till, a)) return `已收款（${label}），未能自动结账：请取单结账（已收款会自动计入）`;
      if (r.heldCartId) return `已收款（${label}），已结账`;
      if (r.orderPlatform) return r.outcome === 'order' ? `已收款（${label}），订单已标记付款` : `已收款（${label}），等待订单处理`;
      return `已收款（${label}）`;
    }
    if (a.state === 'CLOSED') return a.expiresAt !== null && a.updatedAt >= a.expiresAt ? '已过期，已在平台关闭，未扣款' : '已取消，未扣款';
    if (a.state === 'REFUNDED') return '已退款';
    if (a.state === 'FAILED' || a.state === 'REVOKED') return a.detail ?? '未扣款';
    if (a.state === 'UNKNOWN') return '结果未知，正在向平台查询';
    return `等待顾客扫码付款（${expiryText(a.expiresAt ?? a.createdAt)} 前有效）`;
  }

  // -------------------------------------------------------------------------------------------
  // Paid

  /** Registers the order side's hook; paid order requests nobody took yet are handed to it now. Returns the unsubscribe. */
  onRemotePaid(listener: RemotePaidListener): () => void {
    this.listeners.add(listener);
    for (const r of this.unhandledPaid()) void this.paid(r.attemptId);
    return () => this.listeners.delete(listener);
  }

  private unhandledPaid(): RequestRow[] {
    return this.till.db
      .select({ r: paymentRequests })
      .from(paymentRequests)
      .innerJoin(paymentAttempts, eq(paymentAttempts.id, paymentRequests.attemptId))
      .where(and(eq(paymentAttempts.state, 'SUCCESS'), isNull(paymentRequests.outcome)))
      .all()
      .map((x) => x.r);
  }

  /** A request's attempt became SUCCESS (or was found so after a restart): do what it was for, once. */
  paid(id: string): Promise<void> {
    const running = this.handling.get(id);
    if (running) return running;
    const p = this.handle(id)
      .catch((e) => log.error('payments: remote payment not handled', { id, error: e instanceof Error ? e.message : String(e) }))
      .finally(() => this.handling.delete(id));
    this.handling.set(id, p);
    return p;
  }

  private async handle(id: string): Promise<void> {
    const r = this.till.db.select().from(paymentRequests).where(eq(paymentRequests.attemptId, id)).get();
    const a = getAttempt(this.till, id);
    if (!r || r.outcome !== null || a.state !== 'SUCCESS') return;
    const mark = (outcome: 'sale' | 'received' | 'order', saleId: string | null = null) =>
      this.till.db
        .update(paymentRequests)
        .set({ outcome, saleId, handledAt: this.till.now() })
        .where(and(eq(paymentRequests.attemptId, id), isNull(paymentRequests.outcome)))
        .run();
    if (r.heldCartId) {
      try {
        await payHeldCart(this.till, {
          cartId: r.heldCartId,
          payment: { method: a.provider, amountFen: a.amountFen, attemptId: a.id } as never,
          inTx: (saleId) => mark('sale', saleId),
        });
      } catch (e) {
        // The money is received for this cart: the cashier recalls it and the payment screen includes it.
        const why = e instanceof TillError ? e.message : '结账失败';
        log.warn('payments: held cart paid remotely, sale left to the cashier', { id, error: why });
        this.till.tx(() => mark('received'));
      }
    } else if (r.orderPlatform && r.orderId) {
      if (!this.listeners.size) return; // kept for the order side's listener (onRemotePaid)
      const ref = { platform: r.orderPlatform, platformOrderId: r.orderId };
      for (const l of this.listeners) await l(ref, viewOf(a));
      this.till.tx(() => mark('order'));
    } else {
      this.till.tx(() => mark('received'));
    }
    this.host.changed(getAttempt(this.till, id));
  }

  /** Start-up: resumes polling every open request (in the background) and finishes paid ones not handled. */
  resume(): void {
    const open = this.till.db
      .select({ id: paymentAttempts.id })
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.kind, 'remote'), eq(paymentAttempts.final, 0)))
      .all();
    for (const { id } of open) {
      this.host.flow.settle(id).catch((e) => log.error('payments: remote request polling failed', { id, error: e instanceof Error ? e.message : String(e) }));
    }
    for (const r of this.unhandledPaid()) void this.paid(r.attemptId);
  }
}
