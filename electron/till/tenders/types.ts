// One interface for every way of paying. The sale commit only sees `Tender`s, so the payments issue
// plugs in WeChat / Alipay / UnionPay codes and stored value by adding a file and a line in index.ts.
//
// capture/refund run BEFORE the sale's transaction (an electronic tender talks to its platform
// there, and may await); what they return is written inside it. They must not write to the sale's
// rows: an electronic tender keeps its own records (electron/payments: the attempt, stored before the
// platform is called) and links them to the sale in commitCapture / commitRefund, inside the sale's
// transaction, where it may still refuse (the sale then does not commit).
import type { Till } from '../till';

export interface TenderContext {
  till: Till;
  userId: string;
  /** The sale (or return) being paid, as it will be committed. */
  saleId: string;
  now: number;
  /** The call's idempotency key (a retried return reuses the platform refund it started). */
  requestId?: string;
}

export interface CapturedPayment {
  method: string;
  amountFen: number;
  reference: string | null;
  status: 'approved';
}

/** A payment of the original sale, as stored. */
export interface OriginalPayment {
  id: string;
  method: string;
  amountFen: number;
  reference: string | null;
}

export interface RefundedPayment {
  method: string;
  /** Negative: money going back to the customer. */
  amountFen: number;
  reference: string | null;
  status: 'approved';
  originalPaymentId: string | null;
}

/** What the cashier typed for a refund run on a device outside the till (e.g. the terminal's refund reference). */
export interface RefundInput {
  reference?: string;
}

export interface Tender<Input = unknown> {
  method: string;
  /** Shown on screen and printed on the receipt: 现金, 银行卡 … */
  label: string;
  /** Only cash gives change; other tenders may not take more than is left to pay. */
  givesChange: boolean;
  /** Opens the cash drawer when used (the print job kicks it). */
  opensDrawer: boolean;
  /**
   * The refund is done by the cashier on a device the till does not drive (the card terminal), so the
   * till only records it with the reference the cashier types. A return asks for it before anything
   * is written (REFUND_REFERENCE_REQUIRED).
   */
  refundNeedsReference: boolean;
  capture(amountFen: number, input: Input, ctx: TenderContext): CapturedPayment | Promise<CapturedPayment>;
  refund(original: OriginalPayment, amountFen: number, ctx: TenderContext, input: RefundInput): RefundedPayment | Promise<RefundedPayment>;
  /** Inside the sale's transaction, after its payment rows: link (and re-check) what capture took. May refuse. */
  commitCapture?(payment: CapturedPayment, ctx: TenderContext & { cartId: string }): void;
  /** Inside the return's transaction: link the refund made by refund() to the return sale. */
  commitRefund?(refund: RefundedPayment, ctx: TenderContext): void;
  /** How a refund of this tender reads on the return receipt (原路退回微信); default: the label and its reference. */
  refundText?(reference: string | null): string;
}
