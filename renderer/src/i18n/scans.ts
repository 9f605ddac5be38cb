// Strings of the app's key layer (renderer/src/keys): a scan outside 收银, a scan refused by a PIN pad,
// and the check of a cash amount far above what is due. Spread into zh-CN.ts and en.ts.
export const scansZh = {
  scans: {
    elsewhere: '扫到 {{code}}：这里不能收银，请回到收银页',
    elsewherePay: '扫到付款码：请回到收银页，在结算时扫码',
    goAdd: '回到收银并加入',
    go: '回到收银',
    dismiss: '关闭',
    pinNoScan: 'PIN 不能扫码输入，请在键盘上输入',
    wallet: { wechat: '微信', alipay: '支付宝' },
  },
  cashCheck: {
    title: '请核对实收金额',
    text: '实收 {{paid}}，应收 {{due}}，要找零 {{change}}。',
    ask: '找零超过 {{limit}}，请确认金额没有输错。',
    ok: '金额无误，确认收款',
    retype: '重新输入',
  },
};

export const scansEn: typeof scansZh = {
  scans: {
    elsewhere: 'Scanned {{code}}: sales are not taken here, go back to Checkout',
    elsewherePay: 'Payment code scanned: go back to Checkout and scan it at payment',
    goAdd: 'Back to Checkout and add it',
    go: 'Back to Checkout',
    dismiss: 'Close',
    pinNoScan: 'A PIN cannot be scanned: type it on the keypad',
    wallet: { wechat: 'WeChat', alipay: 'Alipay' },
  },
  cashCheck: {
    title: 'Check the cash received',
    text: 'Received {{paid}}, due {{due}}, change {{change}}.',
    ask: 'The change is more than {{limit}}: make sure the amount was typed right.',
    ok: 'Amount is right, take it',
    retype: 'Type again',
  },
};
