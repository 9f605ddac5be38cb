// The words of the voice broadcast (语音播报), apart from the speaking so they can be tested without a
// browser: "微信收款 12.30 元" / "支付宝收款 12.30 元". Money is integer fen; the yuan figure is built
// from it with integer arithmetic only (never fen / 100 as a float). Pure: no DOM.

/** The platforms the till takes (shared/api/payments.ts PaymentProviderName). */
export type PaymentProviderName = 'wechat' | 'alipay';

export const PROVIDER_WORDS: Record<PaymentProviderName, string> = { wechat: '微信', alipay: '支付宝' };

/** 1230 → "12.30 元", 5 → "0.05 元", 100000 → "1000.00 元". */
export function yuanWords(amountFen: number): string {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) throw new RangeError(`播报金额须为非负整数分：${amountFen}`);
  return `${Math.floor(amountFen / 100)}.${String(amountFen % 100).padStart(2, '0')} 元`;
}

/** "微信收款 12.30 元". */
export function paymentSentence(provider: PaymentProviderName, amountFen: number): string {
  const who = PROVIDER_WORDS[provider];
  if (!who) throw new RangeError(`未知的支付方式：${String(provider)}`);
  return `${who}收款 ${yuanWords(amountFen)}`;
}

/** Speech volume 0–1 from the setting's 0–100 (%), clamped. */
export function speechVolume(percent: number): number {
  if (!Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, Math.round(percent))) / 100;
}

/** The best voice for Chinese: zh-CN first, then any other zh voice (zh-TW, zh-HK still read the digits). */
export function pickChineseVoice<V extends { lang: string; localService?: boolean }>(voices: readonly V[]): V | null {
  const norm = (l: string) => l.replace('_', '-').toLowerCase();
  return (
    voices.find((v) => norm(v.lang) === 'zh-cn' && v.localService !== false) ??
    voices.find((v) => norm(v.lang) === 'zh-cn') ??
    voices.find((v) => norm(v.lang).startsWith('zh')) ??
    null
  );
}
