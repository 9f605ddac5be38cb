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

// ------------------------------------------------------------------------------------------------
// The recorded clips (resources/voice/*.wav, made by scripts/make-voice-clips.mjs) played in sequence
// where the PC has no Chinese voice: 微信收款 12.30 元 → wechat 十 二 点 三 元.

export type ClipName = PaymentProviderName | `d${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | 'shi' | 'bai' | 'qian' | 'wan' | 'dian' | 'yuan';

const PLACES: readonly ClipName[] = ['qian', 'bai', 'shi'];
const digit = (d: number) => `d${d}` as ClipName;

/** 0–9999 in Chinese: 1005 → 一千零五, 12 → 十二 when `shortTen` (a number's start), 110 → 一百一十. */
function underTenThousand(n: number, shortTen: boolean): ClipName[] {
  const ds = [Math.floor(n / 1000) % 10, Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
  const out: ClipName[] = [];
  let zero = false;
  let started = false;
  ds.forEach((d, i) => {
    if (d === 0) {
      if (started) zero = true;
      return;
    }
    if (zero) out.push('d0');
    zero = false;
    if (!(shortTen && !started && i === 2 && d === 1)) out.push(digit(d));
    if (i < 3) out.push(PLACES[i]);
    started = true;
  });
  return out;
}

/** A whole number of yuan (0 – 99,999,999) in Chinese clips: 20,305 → 二 万 零 三 百 零 五. */
export function yuanClips(yuan: number): ClipName[] {
  if (!Number.isSafeInteger(yuan) || yuan < 0 || yuan > 99_999_999) throw new RangeError(`播报金额超出范围：${yuan}`);
  if (yuan === 0) return ['d0'];
  const hi = Math.floor(yuan / 10_000);
  const lo = yuan % 10_000;
  const out: ClipName[] = hi ? [...underTenThousand(hi, true), 'wan'] : [];
  if (lo) {
    if (hi && lo < 1000) out.push('d0');
    out.push(...underTenThousand(lo, !hi));
  }
  return out;
}

/**
 * The clips of "微信收款 12.30 元": the provider, the yuan, 点 and the jiao/fen digits without trailing
 * zeros (12.30 → 十二点三元, 12.00 → 十二元, 0.05 → 零点零五元), then 元. Null above 99,999,999.99 yuan
 * (the chime then).
 */
export function clipSequence(provider: PaymentProviderName, amountFen: number): ClipName[] | null {
  yuanWords(amountFen); // the same checks: whole, non-negative fen
  if (!PROVIDER_WORDS[provider]) throw new RangeError(`未知的支付方式：${String(provider)}`);
  const yuan = Math.floor(amountFen / 100);
  if (yuan > 99_999_999) return null;
  const jiao = Math.floor((amountFen % 100) / 10);
  const fen = amountFen % 10;
  const cents: ClipName[] = fen ? [digit(jiao), digit(fen)] : jiao ? [digit(jiao)] : [];
  return [provider, ...yuanClips(yuan), ...(cents.length ? (['dian', ...cents] as ClipName[]) : []), 'yuan'];
}
