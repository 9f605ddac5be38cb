// 设置 → 支付: the voice broadcast (every user listens, a manager changes it) and the merchant
// accounts for WeChat Pay and Alipay (owner only; secrets are never shown again once saved).
import { MerchantSettings } from '../../payments/MerchantSettings';
import { VoiceSettings } from '../../payments/VoiceSettings';
import '../../payments/payments.css';

export function PaymentsTab() {
  return (
    <div className="pay-tab" data-testid="payments-settings">
      <VoiceSettings />
      <MerchantSettings />
    </div>
  );
}
