// WeChat Pay API v3 provider: createWechatProvider(config, transport) → PaymentProvider.
export { createWechatProvider, type WechatConfig } from './client';
