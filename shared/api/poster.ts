// 远程收款海报: a payment QR the till shows, made into a PNG poster (shop, amount, items, QR, expiry) to
// send to a group chat or print (electron/payments/poster.ts). Pure: no Node, no DOM.
import { z } from 'zod';
import { endpoint } from './endpoint';

export interface PosterView {
  /** The PNG as a data URL, for the screen and the clipboard. */
  dataUrl: string;
  /** Where it was saved (the data folder's exports/posters). */
  path: string;
  fileName: string;
}

export const posterApi = {
  'payments.poster': endpoint<PosterView>()({
    input: z.object({ id: z.string().min(1, '缺少收款编号').max(64) }).strict(),
    role: 'cashier',
    summary: '远程收款海报：把正在等待支付的收款二维码做成 PNG 海报（店名、金额、商品、二维码、过期时间），存入 exports/posters',
  }),
};
