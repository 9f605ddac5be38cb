// One interface for every payment platform the till talks to (WeChat Pay v3, Alipay). Each platform's
// wire format (signing, endpoints, its error codes) lives in its own folder behind this interface;
// the attempt state machine (attempts.ts) only sees these normalized answers.
//
// The one rule that keeps a customer from being charged twice: a call whose outcome the till did not
// learn (timeout, network error, 5xx, rate limit, a response whose signature or timestamp fails) throws
// OutcomeUnknown and is NEVER read as a failure. Only a definite answer from the platform — a trade
// state, or ProviderRefused for a request the platform refused without charging — ends anything.

export type ProviderName = 'wechat' | 'alipay';

/**
 * A trade's state, in WeChat's words (Alipay's are mapped: WAIT_BUYER_PAY → USERPAYING for a code
 * payment or NOTPAY for a shown QR, TRADE_SUCCESS/TRADE_FINISHED → SUCCESS, TRADE_CLOSED → CLOSED).
 * NOT_FOUND: the platform says it has no such trade (WeChat ORDER_NOT_EXIST, Alipay ACQ.TRADE_NOT_EXIST).
 */
export type TradeState = 'SUCCESS' | 'USERPAYING' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'REFUND' | 'PAYERROR' | 'NOT_FOUND';

/** States after which the trade can never take money again (REFUND: it took money, then gave some back). */
export const FINAL_TRADE_STATES: ReadonlySet<TradeState> = new Set(['SUCCESS', 'CLOSED', 'REVOKED', 'REFUND', 'PAYERROR', 'NOT_FOUND']);

export interface TradeResult {
  state: TradeState;
  /** The platform's own id (WeChat transaction_id, Alipay trade_no), once it has one. */
  transactionId?: string;
  /** What the platform says was charged, in fen (checked against the attempt's amount on SUCCESS). */
  amountFen?: number;
  /** The platform's words for a failure or a wait (trade_state_desc, sub_msg), for the log and the cashier. */
  detail?: string;
}

export type UnknownReason = 'timeout' | 'network' | 'server_error' | 'rate_limited' | 'bad_signature' | 'stale_response';

/** The call may or may not have reached the platform: query again later, never treat as failed. */
export class OutcomeUnknown extends Error {
  constructor(
    readonly reason: UnknownReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'OutcomeUnknown';
  }
}

/**
 * The platform refused the request and took no money: a bad or expired payment code, not enough
 * balance, a reverse called too early (REVERSE_TOO_EARLY: wait and retry), an amount above what may be
 * refunded. `message` is in Chinese, for the cashier.
 */
export class ProviderRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ProviderRefused';
  }
}

export interface CodePayRequest {
  /** The till's id for this attempt: persisted before the first call, reused on every retry of it. */
  outTradeNo: string;
  /** The customer's payment code (付款码). Never log it in full (shared/payment-code.ts maskCode). */
  authCode: string;
  amountFen: number;
  /** Shown in the customer's wallet: "小店收银 · 3 件商品". */
  description: string;
}

export interface QrCreateRequest {
  outTradeNo: string;
  amountFen: number;
  description: string;
  /** Unix ms after which the platform should refuse payment (WeChat time_expire, Alipay timeout_express). */
  expiresAt: number;
}

export interface RefundRequest {
  outTradeNo: string;
  /** The till's id for this refund (WeChat out_refund_no, Alipay out_request_no): reused on retries. */
  outRefundNo: string;
  refundFen: number;
  /** The original trade's amount (WeChat requires it). */
  totalFen: number;
  reason?: string;
}

/** PROCESSING: accepted, not yet final (WeChat refunds settle later); query with queryRefund. */
export type RefundState = 'SUCCESS' | 'PROCESSING' | 'CLOSED' | 'ABNORMAL';

export interface RefundResult {
  state: RefundState;
  refundId?: string;
  detail?: string;
}

/** The result of a reverse (WeChat reverse, Alipay trade.cancel): CLOSED = nothing was paid; REFUNDED = it had been paid and is now refunded. */
export interface ReverseResult {
  outcome: 'CLOSED' | 'REFUNDED';
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Charge the customer's code (被扫). SUCCESS, USERPAYING (poll with query) or a final failure state. */
  codePay(req: CodePayRequest): Promise<TradeResult>;
  query(outTradeNo: string): Promise<TradeResult>;
  /** Cancel a code payment whatever its state (WeChat reverse / Alipay cancel). WeChat refuses it < 15 s after the charge. */
  reverse(outTradeNo: string): Promise<ReverseResult>;
  /** A QR the customer scans (主扫: WeChat Native / Alipay precreate). */
  qrCreate(req: QrCreateRequest): Promise<{ codeUrl: string }>;
  /** Close an unpaid QR trade (on cancel or expiry). */
  close(outTradeNo: string): Promise<void>;
  refund(req: RefundRequest): Promise<RefundResult>;
  queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundResult>;
}

/** Where a provider talks and how long it waits: the base URL is a setting so a till can be pointed at a simulator. */
export interface ProviderTransport {
  baseUrl: string;
  /** Per-call timeout in ms; a call that takes longer throws OutcomeUnknown('timeout'). */
  timeoutMs: number;
  /** The clock used for signing timestamps and checking response freshness (tests move it). */
  now?: () => number;
}
