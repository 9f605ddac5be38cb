// The current cart's redeemed vouchers as tender lines for 结算 (vouchers.forCart): each pays up to its
// value of what is due, as its own `voucher` line (团购券 on the receipt); the rest is paid as usual.
import { useEffect, useState } from 'react';
import type { CartVouchersView } from '../../../../shared/api';
import { call } from '../../api/client';

export interface VoucherTenderLine {
  method: 'voucher';
  amountFen: number;
  redemptionId: string;
  label: string;
}

/** Voucher lines for a cart due `dueFen` (a voucher worth more than what is left pays only what is left). */
export function useCartVouchers(dueFen: number, cartId: string | undefined): VoucherTenderLine[] {
  const [view, setView] = useState<CartVouchersView | null>(null);
  useEffect(() => {
    let live = true;
    call('vouchers.forCart', {})
      .then((v) => live && setView(v))
      .catch(() => live && setView(null)); // vouchers not running: no lines
    return () => {
      live = false;
    };
  }, [cartId]);
  if (!view || view.cartId !== cartId) return [];
  let left = dueFen;
  const out: VoucherTenderLine[] = [];
  for (const r of view.redeemed) {
    const amountFen = Math.min(r.valueFen, left);
    if (amountFen <= 0) break;
    left -= amountFen;
    out.push({ method: 'voucher', amountFen, redemptionId: r.id, label: `${r.platformLabel} ${r.title}` });
  }
  return out;
}
