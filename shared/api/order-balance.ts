// 货到付款 / 尾款 at the counter: an online order's balance taken by scanning the customer's WeChat/Alipay
// payment code, or by a payment poster (远程收款 with the order's reference). The amount must equal the
// balance; an order without one, or whose balance is paid or being paid, is refused. Rules:
// electron/sync/order-balance.ts.
import { z } from 'zod';
import { endpoint } from './endpoint';
import type { PaymentAttemptView, PaymentProviderName, PaymentRequestView } from './payments';
import { PAYMENT_PROVIDERS } from './payments';
import { amountFen } from './sales';

export interface OrderBalanceView {
  orderId: string;
  balanceDueFen: number;
  /** The balance's payment once taken (the order's balance is then 0). */
  paid: { method: PaymentProviderName; amountFen: number; at: number } | null;
  /** A payment of the balance under way (poll payments.attempt). */
  pendingAttemptId: string | null;
  /** What the platform still needs: no platform API marks a balance paid yet (请在网店后台确认收款). */
  platformNote: string | null;
}

const orderId = z.string({ error: '订单编号无效' }).min(1, '订单编号无效').max(64, '订单编号无效');
const requestId = z.string().uuid({ error: '请求编号无效' });

export const orderBalanceApi = {
  'orders.balance': endpoint<OrderBalanceView>()({
    input: z.object({ orderId }).strict(),
    role: 'cashier',
    summary: '网店订单尾款：待付金额、已收记录、进行中的收款',
  }),
  'orders.balanceCodePay': endpoint<PaymentAttemptView>()({
    input: z
      .object({ orderId, requestId, code: z.string().trim().min(1, '请扫描顾客的付款码').max(64, '付款码过长'), amountFen: amountFen() })
      .strict(),
    role: 'cashier',
    summary: '收网店订单尾款（扫顾客付款码）：金额须等于待付尾款；收款成功后订单尾款清零，并请求平台标记已付款',
  }),
  'orders.balancePoster': endpoint<PaymentRequestView>()({
    input: z.object({ orderId, requestId, provider: z.enum(PAYMENT_PROVIDERS, { error: '请选择微信或支付宝' }), amountFen: amountFen() }).strict(),
    role: 'cashier',
    summary: '收网店订单尾款（收款海报）：生成与订单关联的远程收款码，付款后订单尾款清零',
  }),
};
