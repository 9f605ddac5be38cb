// WeChat Pay and Alipay as tenders of the sale (electron/till/tenders). The money was taken before the
// sale by a payment attempt (payments.codePay / qrCreate); the tender only hands a SUCCESS attempt to
// the sale: capture checks it, commitCapture links it to the sale inside the sale's transaction (and
// refuses one that is not SUCCESS, of another cart, of another amount, or already in a sale). A refund
// goes back to the original route through the platform (refunds.ts), its row written before the call.
import type { PaymentProviderName } from '../../shared/api/payments';
import { TillError } from '../../shared/errors';
import type { Tender } from '../till/tenders/types';
import { attemptByOutTradeNo, findAttempt, inSale, linkToSale, PROVIDER_LABEL, reserveForSale } from './attempts';
import { linkRefund, refundToRoute } from './refunds';
import { paymentsOf } from './service';

export function electronicTender(method: PaymentProviderName, label: string): Tender<{ amountFen: number; attemptId: string }> {
  const route = PROVIDER_LABEL[method];
  return {
    method,
    label,
    givesChange: false,
    opensDrawer: false,
    refundNeedsReference: false,
    capture: (amountFen, input, ctx) => {
      const a = findAttempt(ctx.till, input.attemptId);
      if (!a || a.provider !== method) throw new TillError('UNKNOWN_PAYMENT', `找不到这笔${route}收款`);
      if (a.state !== 'SUCCESS') throw new TillError('PAYMENT_NOT_RECEIVED', `这笔${route}收款尚未成功，不能用于结账`);
      if (a.amountFen !== amountFen) throw new TillError('PAYMENT_AMOUNT_MISMATCH', `这笔${route}收款金额与结账金额不一致`);
      // Reserved for this sale now (so no other sale can take it while this one commits); the sale's
      // transaction links it for good (commitCapture). A sale that never commits leaves it received.
      if (inSale(ctx.till, a) || !reserveForSale(ctx.till, a.id, ctx.saleId)) {
        throw new TillError('PAYMENT_ALREADY_USED', `这笔${route}收款已用于另一笔交易`);
      }
      return { method, amountFen, reference: a.outTradeNo, status: 'approved' };
    },
    commitCapture: (p, ctx) => {
      linkToSale(ctx.till, { outTradeNo: p.reference!, provider: method, amountFen: p.amountFen, cartId: ctx.cartId, saleId: ctx.saleId });
    },
    refund: async (original, amountFen, ctx) => {
      const attempt = original.reference ? attemptByOutTradeNo(ctx.till, original.reference) : undefined;
      if (!attempt) throw new TillError('UNKNOWN_PAYMENT', `找不到原${route}收款记录，无法原路退回`);
      const svc = paymentsOf(ctx.till);
      const row = await refundToRoute(ctx.till, svc.provider(method), {
        attempt, original: { id: original.id, amountFen: original.amountFen }, amountFen, requestId: ctx.requestId ?? null, returnId: ctx.saleId,
      });
      return { method, amountFen: -amountFen, reference: row.outRefundNo, status: 'approved', originalPaymentId: original.id };
    },
    commitRefund: (r, ctx) => linkRefund(ctx.till, r.reference!, ctx.saleId),
    refundText: () => `原路退回${route}`,
  };
}
