// The voice broadcast's words: fen → "12.30 元" by integer arithmetic, provider → 微信 / 支付宝, and
// the Chinese voice picked from what the OS offers.
import { describe, expect, it } from 'vitest';

// Loaded by path: the renderer's files belong to the web TS project, not this one (as i18n.test.ts does).
interface VoiceText {
  paymentSentence(provider: 'wechat' | 'alipay', amountFen: number): string;
  pickChineseVoice<V extends { lang: string; localService?: boolean }>(voices: readonly V[]): V | null;
  speechVolume(percent: number): number;
  yuanWords(amountFen: number): string;
}
const { paymentSentence, pickChineseVoice, speechVolume, yuanWords } = (await import(/* @vite-ignore */ `${'../../../renderer/src/payments/'}voice-text.ts`)) as VoiceText;

describe('voice broadcast words', () => {
  it('says the amount in yuan with two decimals from integer fen', () => {
    expect(yuanWords(1230)).toBe('12.30 元');
    expect(yuanWords(5)).toBe('0.05 元');
    expect(yuanWords(0)).toBe('0.00 元');
    expect(yuanWords(100)).toBe('1.00 元');
    expect(yuanWords(1999)).toBe('19.99 元');
    expect(yuanWords(123456789)).toBe('1234567.89 元');
    // 0.29 * 100 is 28.999… as a float: built from fen, the words never lose a fen.
    expect(yuanWords(29)).toBe('0.29 元');
    expect(yuanWords(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91 元');
  });

  it('refuses a fraction of a fen, a negative amount and NaN', () => {
    expect(() => yuanWords(12.3)).toThrow(RangeError);
    expect(() => yuanWords(-1)).toThrow(RangeError);
    expect(() => yuanWords(Number.NaN)).toThrow(RangeError);
  });

  it('names the platform: 微信收款 / 支付宝收款', () => {
    expect(paymentSentence('wechat', 1230)).toBe('微信收款 12.30 元');
    expect(paymentSentence('alipay', 1230)).toBe('支付宝收款 12.30 元');
    expect(paymentSentence('alipay', 8)).toBe('支付宝收款 0.08 元');
    expect(() => paymentSentence('unionpay' as 'wechat', 100)).toThrow(/未知的支付方式/);
  });

  it('turns the 0–100 setting into a speech volume, clamped', () => {
    expect(speechVolume(80)).toBe(0.8);
    expect(speechVolume(0)).toBe(0);
    expect(speechVolume(150)).toBe(1);
    expect(speechVolume(-5)).toBe(0);
    expect(speechVolume(Number.NaN)).toBe(0);
  });

  it('picks a zh-CN voice first, then another Chinese one, else none', () => {
    const en = { lang: 'en-US', name: 'David' };
    const tw = { lang: 'zh-TW', name: 'Hanhan' };
    const cnRemote = { lang: 'zh-CN', name: 'Google 普通话', localService: false };
    const cn = { lang: 'zh_CN', name: 'Huihui', localService: true };
    expect(pickChineseVoice([en, tw, cnRemote, cn])?.name).toBe('Huihui');
    expect(pickChineseVoice([en, tw, cnRemote])?.name).toBe('Google 普通话');
    expect(pickChineseVoice([en, tw])?.name).toBe('Hanhan');
    expect(pickChineseVoice([en])).toBeNull();
    expect(pickChineseVoice([])).toBeNull();
  });
});
