// Strings of 收尾款 (renderer/src/screens/orders/BalanceDue.tsx): an online order's balance (货到付款 /
// 尾款) taken at the counter by the customer's payment code or a poster. Spread into zh-CN.ts and en.ts.
export const orderBalanceZh = {
  orderBalance: {
    take: '收尾款 {{amount}}',
    title: '收网店订单尾款',
    due: '待付尾款',
    scan: '请扫描顾客的微信或支付宝付款码',
    poster: '发收款海报（{{provider}}）',
    notPayment: '这不是付款码：请扫描顾客的微信或支付宝付款码',
    paid: '尾款已收 {{amount}}（{{provider}}）',
    waiting: '收款中：{{words}}',
    failed: '未收到款：{{words}}',
    posterWaiting: '已生成收款码，等待顾客扫码付款',
  },
};

export const orderBalanceEn: typeof orderBalanceZh = {
  orderBalance: {
    take: 'Take balance {{amount}}',
    title: 'Take the online order balance',
    due: 'Balance due',
    scan: 'Scan the customer’s WeChat or Alipay payment code',
    poster: 'Payment poster ({{provider}})',
    notPayment: 'Not a payment code: scan the customer’s WeChat or Alipay payment code',
    paid: 'Balance received {{amount}} ({{provider}})',
    waiting: 'Taking payment: {{words}}',
    failed: 'Not paid: {{words}}',
    posterWaiting: 'Payment QR made: waiting for the customer to pay',
  },
};
