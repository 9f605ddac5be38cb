// Alipay (支付宝): a code payment or a shown QR, taken by a payment attempt before the sale (electron/payments).
import { electronicTender } from '../../payments/tender';

export const alipayTender = electronicTender('alipay', '支付宝');
