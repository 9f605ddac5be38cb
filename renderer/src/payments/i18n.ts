// Texts of the payments screens (issue 8): the customer display's QR, 语音播报, 设置 → 支付, the payment
// poster, 对账 and the payment code flow. Spread into zh-CN.ts and en.ts under `payments`.
export const paymentsZh = {
  payments: {
    provider: { wechat: '微信', alipay: '支付宝' },
    qr: {
      amount: '应付金额',
      scanWechat: '请用微信扫码支付',
      scanAlipay: '请用支付宝扫码支付',
      scanAny: '请用微信/支付宝扫码支付',
      expiresIn: '{{time}} 后二维码失效',
      expired: '二维码已过期，请向收银员重新获取',
      codeLabel: '付款二维码',
    },
    voice: {
      title: '收款语音播报',
      hint: '电子支付收款成功时播报，例如“微信收款 12.30 元”。',
      enabled: '收款时语音播报',
      volume: '音量',
      test: '试听',
      save: '保存',
      saved: '已保存',
      readOnly: '修改语音播报需要店长权限，当前只能查看。',
      viaSpeech: '已播报：{{text}}',
      viaTone: '本机没有中文语音，已用提示音代替（{{text}}）',
      viaOff: '语音播报已关闭',
    },
    settings: {
      tab: '支付',
    },
  },
};

export const paymentsEn: typeof paymentsZh = {
  payments: {
    provider: { wechat: 'WeChat Pay', alipay: 'Alipay' },
    qr: {
      amount: 'Amount to pay',
      scanWechat: 'Scan with WeChat to pay',
      scanAlipay: 'Scan with Alipay to pay',
      scanAny: 'Scan with WeChat or Alipay to pay',
      expiresIn: 'Code expires in {{time}}',
      expired: 'The code has expired: please ask the cashier for a new one',
      codeLabel: 'Payment QR code',
    },
    voice: {
      title: 'Voice announcement',
      hint: 'Announces each completed electronic payment, e.g. “WeChat payment received, 12.30 yuan” (spoken in Chinese).',
      enabled: 'Announce payments aloud',
      volume: 'Volume',
      test: 'Try it',
      save: 'Save',
      saved: 'Saved',
      readOnly: 'Changing the voice announcement needs a manager; read-only for you.',
      viaSpeech: 'Announced: {{text}}',
      viaTone: 'No Chinese voice on this PC: a chime was played instead ({{text}})',
      viaOff: 'Voice announcement is off',
    },
    settings: {
      tab: 'Payments',
    },
  },
};
