// WeChat Pay (微信支付): a code payment or a shown QR, taken by a payment attempt before the sale (electron/payments).
import { electronicTender } from '../../payments/tender';

export const wechatTender = electronicTender('wechat', '微信支付');
