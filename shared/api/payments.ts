// Electronic payments (WeChat Pay, Alipay): the customer's payment code (付款码), a shown QR (主扫),
// the attempt's state in words for polling, the cart's received payments, reconciliation (对账) and the
// manager's query / reverse / abandon. The rules live in electron/payments (flow.ts, service.ts).
import { z } from 'zod';
import { approvalToken } from './cart';
import { endpoint } from './endpoint';
import { amountFen } from './sales';

export const PAYMENT_PROVIDERS = ['wechat', 'alipay'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/**
 * An attempt's state. Not final: CREATED (stored, nothing sent), PENDING (call in flight), USERPAYING
 * (the customer is entering a password / has not scanned the QR yet), UNKNOWN (the outcome was not
 * learned: being queried; never a failure). Final: SUCCESS, FAILED (nothing charged), REVOKED / CLOSED
 * (cancelled, nothing charged), REFUNDED (it had been paid and was reversed or refunded).
 */
export const ATTEMPT_STATES = ['CREATED', 'PENDING', 'USERPAYING', 'UNKNOWN', 'SUCCESS', 'FAILED', 'REVOKED', 'CLOSED', 'REFUNDED'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

export interface PaymentAttemptView {
  id: string;
  outTradeNo: string;
  provider: PaymentProviderName;
  kind: 'code' | 'qr' | 'remote';
  state: AttemptState;
  /** The state in the cashier's words: 等待顾客在手机上输入密码 / 已收款 / 已撤销并退款 … */
  words: string;
  final: boolean;
  amountFen: number;
  cartId: string | null;
  /** The sale this payment paid; null while it is received but the sale is not committed yet. */
  saleId: string | null;
  transactionId: string | null;
  /** The payment code masked (first and last 4 digits); the code itself is never stored. */
  codeMask: string | null;
  /** The platform's or the till's words on the last change (失败原因 …). */
  detail: string | null;
  /** A shown QR's content (kind 'qr'): the customer display renders it. */
  codeUrl: string | null;
  expiresAt: number | null;
  /** A manager stopped waiting for it (it stays in the reconciliation list until it is final). */
  abandoned: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface AttemptEventView {
  at: number;
  from: AttemptState | null;
  to: AttemptState;
  detail: string | null;
}

export interface PaymentAttemptDetail extends PaymentAttemptView {
  events: AttemptEventView[];
  refunds: { outRefundNo: string; amountFen: number; state: string; returnId: string | null; detail: string | null }[];
}

/** The active cart's electronic payments: received ones go into sales.pay; a pending one blocks other tenders. */
export interface CartPaymentsView {
  cartId: string;
  dueFen: number;
  /** SUCCESS attempts of this cart not yet in a sale (till restarted between): already received, pay them with sales.pay. */
  receivedFen: number;
  received: PaymentAttemptView[];
  /** An attempt not final: nothing else may be paid on this cart until it is (or a manager abandons it). */
  pending: PaymentAttemptView | null;
  /** What sales.pay's `payments` must include for the received attempts ({ method, amountFen, attemptId }). */
  toInclude: { method: PaymentProviderName; amountFen: number; attemptId: string }[];
}

/** What start-up recovery found and did, for the cashier's notice (payments.recovered). */
export interface RecoveryReport {
  running: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  items: { attemptId: string; provider: PaymentProviderName; amountFen: number; from: AttemptState; to: AttemptState; words: string; cartId: string | null }[];
}

export type ReconcileIssue = 'unknown' | 'not_final' | 'received_no_sale' | 'sale_not_success' | 'amount_mismatch' | 'abandoned' | 'refund_open' | 'refund_failed';

export interface ReconcileView {
  businessDay: string;
  /** Per provider and state: count and amount. */
  totals: { provider: PaymentProviderName; state: AttemptState; count: number; amountFen: number }[];
  /** UNKNOWN and mismatched first, then the rest newest first. */
  rows: (PaymentAttemptView & { issues: ReconcileIssue[]; receiptNo: string | null; refundedFen: number })[];
}

/** An online order, as the order side names it (opaque here: the order side resolves it). */
export interface OrderRef {
  platform: string;
  platformOrderId: string;
}

/** A remote payment request (远程收款): a QR sent as a poster, tied to a held cart, an online order, or nothing. */
export interface PaymentRequestView {
  attempt: PaymentAttemptView;
  heldCartId: string | null;
  /** The held cart's first items, while it is still held. */
  cartText: string | null;
  orderRef: OrderRef | null;
  note: string | null;
  /** What was done when it was paid: the held cart became a sale / the payment waits for the cashier / the order side took it. */
  outcome: 'sale' | 'received' | 'order' | null;
  saleId: string | null;
  receiptNo: string | null;
  /** Not final yet: being polled by the till. */
  open: boolean;
  /** The request's state in the cashier's words (等待顾客扫码付款 / 已收款，挂单已结账 / 已过期，已在平台关闭…). */
  words: string;
  createdAt: number;
}

const attemptId = z.string().min(1, '缺少收款编号').max(64);

export const paymentsApi = {
  'payments.codePay': endpoint<PaymentAttemptView>()({
    input: z
      .object({
        /** Generated once per scan: a retried call returns the same attempt, never charges twice. */
        requestId: z.string().uuid({ error: '请求编号无效' }),
        /** The customer's payment code as scanned (WeChat 18 digits 10–15…, Alipay 25–30…). */
        code: z.string().trim().min(1, '请扫描顾客的付款码').max(64, '付款码过长'),
        amountFen: amountFen(),
      })
      .strict(),
    role: 'cashier',
    summary: '扫顾客付款码收款（被扫）：返回收款状态，未完成时用 payments.attempt 轮询',
  }),
  'payments.attempt': endpoint<PaymentAttemptDetail>()({
    input: z.object({ id: attemptId }).strict(),
    role: 'cashier',
    summary: '一笔电子收款的状态（文字）及其每次状态变化',
  }),
  'payments.forCart': endpoint<CartPaymentsView>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '当前购物车已收到的电子支付（未入账的成功收款）及进行中的收款',
  }),
  'payments.qrCreate': endpoint<PaymentAttemptView>()({
    input: z
      .object({
        requestId: z.string().uuid({ error: '请求编号无效' }),
        provider: z.enum(PAYMENT_PROVIDERS, { error: '请选择微信或支付宝' }),
        amountFen: amountFen(),
        /** How long the QR may be paid, in seconds (default 120). */
        ttlSeconds: z.number().int().min(30, '有效期至少 30 秒').max(1800, '有效期最多 30 分钟').optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '生成收款二维码（主扫），在顾客显示屏上显示，轮询至支付完成',
  }),
  'payments.qrCancel': endpoint<PaymentAttemptView>()({
    input: z.object({ id: attemptId }).strict(),
    role: 'cashier',
    summary: '取消收款二维码（在平台关闭订单；若顾客已支付则为已收款）',
  }),
  'payments.recovered': endpoint<RecoveryReport>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '启动时核对未完成电子收款的结果（告知收银员）',
  }),
  'payments.reconcile': endpoint<ReconcileView>()({
    input: z.object({ businessDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional() }).strict(),
    role: 'manager',
    summary: '电子支付对账：当日按支付平台和状态汇总，结果未知和不一致的排在前面',
  }),
  'payments.query': endpoint<PaymentAttemptView>()({
    input: z.object({ id: attemptId }).strict(),
    role: 'manager',
    summary: '向支付平台查询一笔收款的结果（店长，记审计）',
  }),
  'payments.reverse': endpoint<PaymentAttemptView>()({
    input: z.object({ id: attemptId }).strict(),
    role: 'manager',
    summary: '撤销一笔未入账的收款（已支付则退款；店长，记审计）',
  }),
  'payments.requestCreate': endpoint<PaymentRequestView>()({
    input: z
      .object({
        requestId: z.string().uuid({ error: '请求编号无效' }),
        provider: z.enum(PAYMENT_PROVIDERS, { error: '请选择微信或支付宝' }),
        /** Required unless a held cart is given (then it is the cart's amount due). */
        amountFen: amountFen().optional(),
        heldCartId: z.string().min(1).max(64).optional(),
        orderRef: z
          .object({ platform: z.string().trim().min(1, '缺少订单平台').max(32), platformOrderId: z.string().trim().min(1, '缺少订单号').max(64) })
          .strict()
          .optional(),
        note: z.string().max(60, '备注最多 60 字').optional(),
        /** How long the customer may pay, in minutes (default 30). */
        ttlMinutes: z.number().int().min(5, '有效期至少 5 分钟').max(1440, '有效期最多 24 小时').optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '远程收款：为挂单、网店订单尾款或任意金额生成收款码（可做成海报），收银机在后台轮询，付款后挂单自动结账，过期在平台关闭',
  }),
  'payments.requests': endpoint<PaymentRequestView[]>()({
    input: z.object({ openOnly: z.boolean().optional() }).strict(),
    role: 'cashier',
    summary: '远程收款列表：未完成的及近 24 小时的，含状态文字',
  }),
  'payments.requestCancel': endpoint<PaymentRequestView>()({
    input: z.object({ id: attemptId }).strict(),
    role: 'cashier',
    summary: '取消远程收款（先查询，已付款则为已收款；否则在平台关闭）',
  }),
  'payments.abandon': endpoint<PaymentAttemptView>()({
    input: z.object({ id: attemptId, approval: approvalToken }).strict(),
    role: 'cashier',
    summary: '店长决定不再等待一笔未完成的收款（不算失败，留在对账列表），购物车可改用其他方式收款',
  }),
};
