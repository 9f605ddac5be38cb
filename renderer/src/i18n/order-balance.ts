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
  dayOnline: {
    title: '网店尾款与核销',
    balance: '网店尾款 · {{tender}} {{count}}笔',
    voucher: '{{platform}} 核销 {{count}}笔 / {{uses}}张',
    undone: '已撤销 {{count}}笔 {{amount}}',
    noVouchers: '团购券：今日无核销',
    pickup: '{{platform}} 自提 {{orders}}单（{{handovers}}次交付）',
    pieces: '{{count}}件',
    noPickups: '自提：今日无交付',
    platforms: { douyin: '抖音团购', meituan: '美团/点评', kuaishou: '快手团购', youzan: '有赞', doudian: '抖店', weidian: '微店' },
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
  dayOnline: {
    title: 'Online balances and redemptions',
    balance: 'Online order balances · {{tender}} × {{count}}',
    voucher: '{{platform}} vouchers: {{count}} redeemed / {{uses}} uses',
    undone: '{{count}} undone {{amount}}',
    noVouchers: 'Vouchers: none redeemed today',
    pickup: '{{platform}} pickups: {{orders}} orders ({{handovers}} hand-overs)',
    pieces: '{{count}} pcs',
    noPickups: 'Pickups: none handed over today',
    platforms: { douyin: 'Douyin', meituan: 'Meituan/Dianping', kuaishou: 'Kuaishou', youzan: 'Youzan', doudian: 'Doudian', weidian: 'Weidian' },
  },
};
