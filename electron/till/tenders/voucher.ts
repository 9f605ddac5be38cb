// A group-buy voucher (团购券) as a tender of the sale: its value, which the platform pays the shop, is a
// payment line of its own (团购券 on the receipt, `voucher` in the by-tender reports), beside the cash or
// wallet payment of the rest. The voucher was redeemed before the sale (vouchers.redeem); the tender only
// hands a REDEEMED redemption to the sale: capture holds it for this sale, commitCapture links it inside
// the sale's transaction (refusing one undone or already in another sale). A refund of it undoes the
// redemption on the platform (whole, within the platform's window), so the customer gets the voucher back.
import { TillError } from '../../../shared/errors';
import { formatYuan } from '../../../shared/money';
import { vouchersOf } from '../../vouchers/service';
import { findRedemption, inSale, linkToSale, reserveForSale } from '../../vouchers/redemptions';
import type { Tender } from './types';

export const voucherTender: Tender<{ amountFen: number; redemptionId: string }> = {
  method: 'voucher',
  label: '团购券',
  givesChange: false,
  opensDrawer: false,
  refundNeedsReference: false,
  capture: (amountFen, input, ctx) => {
    const r = findRedemption(ctx.till, input.redemptionId);
    if (!r) throw new TillError('UNKNOWN_REDEMPTION', '找不到这张团购券的核销记录');
    if (r.state !== 'REDEEMED') throw new TillError('VOUCHER_NOT_REDEEMED', '这张团购券尚未核销成功（或已撤销），不能用于结账');
    if (amountFen > r.valueFen) {
      throw new TillError('VOUCHER_AMOUNT_OVER', `团购券支付 ${formatYuan(amountFen)} 超过券的核销金额 ${formatYuan(r.valueFen)}`);
    }
    if (inSale(ctx.till, r) || !reserveForSale(ctx.till, r.id, ctx.saleId)) {
      throw new TillError('VOUCHER_ALREADY_USED', '这张团购券已用于另一笔交易');
    }
    return { method: 'voucher', amountFen, reference: r.id, status: 'approved' };
  },
  commitCapture: (p, ctx) => linkToSale(ctx.till, p.reference!, ctx.saleId, ctx.cartId),
  refund: async (original, amountFen, ctx) => {
    if (amountFen !== original.amountFen) {
      throw new TillError('VOUCHER_PARTIAL_REFUND', `团购券部分只能整张退回（${formatYuan(original.amountFen)}），请整单退货`);
    }
    const r = original.reference ? findRedemption(ctx.till, original.reference) : undefined;
    if (!r) throw new TillError('UNKNOWN_REDEMPTION', '找不到原团购券核销记录');
    await vouchersOf(ctx.till).undo({ id: r.id, reason: '退货' }, { forReturn: ctx.saleId });
    return { method: 'voucher', amountFen: -amountFen, reference: r.id, status: 'approved', originalPaymentId: original.id };
  },
  refundText: () => '团购券已撤销核销',
};
