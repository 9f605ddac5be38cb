// The voice broadcast's words: fen → "12.30 元" by integer arithmetic, provider → 微信 / 支付宝, and
// the Chinese voice picked from what the OS offers.
import { describe, expect, it } from 'vitest';

// Loaded by path: the renderer's files belong to the web TS project, not this one (as i18n.test.ts does).
interface VoiceText {
  paymentSentence(provider: 'wechat' | 'alipay', amountFen: number): string;
  pickChineseVoice<V extends { lang: string; localService?: boolean }>(voices: readonly V[]): V | null;
  speechVolume(percent: number): number;
  yuanWords(amountFen: number): string;
  clipSequence(provider: 'wechat' | 'alipay', amountFen: number): string[] | null;
  yuanClips(yuan: number): string[];
}
const { paymentSentence, pickChineseVoice, speechVolume, yuanWords, clipSequence, yuanClips } = (await import(/* @vite-ignore */ `${'../../../renderer/src/payments/'}voice-text.ts`)) as VoiceText;

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

// The recorded clips' reading (resources/voice/*.wav where the PC has no Chinese voice): the digits as
// a Chinese speaker reads an amount. Each clip named here exists in resources/voice.
describe('voice broadcast clips', () => {
  const zh = (clips: string[] | null) =>
    (clips ?? [])
      .map((c) => ({ wechat: '微信收款', alipay: '支付宝收款', shi: '十', bai: '百', qian: '千', wan: '万', dian: '点', yuan: '元' })[c] ?? '零一二三四五六七八九'[Number(c.slice(1))])
      .join('');

  it('reads whole yuan with 十 百 千 万 and 零 for the gaps', () => {
    const cases: [number, string][] = [
      [0, '零'], [7, '七'], [10, '十'], [12, '十二'], [20, '二十'], [105, '一百零五'], [110, '一百一十'], [1000, '一千'],
      [1005, '一千零五'], [1050, '一千零五十'], [9999, '九千九百九十九'], [10000, '一万'], [10010, '一万零一十'],
      [12345, '一万二千三百四十五'], [20305, '二万零三百零五'], [100000, '十万'], [110000, '十一万'], [99999999, '九千九百九十九万九千九百九十九'],
    ];
    for (const [n, words] of cases) expect(zh(yuanClips(n)), String(n)).toBe(words);
    expect(() => yuanClips(100_000_000)).toThrow(RangeError);
  });

  it('says the provider, the yuan, 点 and the jiao/fen digits without trailing zeros, then 元', () => {
    expect(clipSequence('wechat', 1230)).toEqual(['wechat', 'shi', 'd2', 'dian', 'd3', 'yuan']);
    expect(zh(clipSequence('wechat', 1230))).toBe('微信收款十二点三元');
    expect(zh(clipSequence('alipay', 1200))).toBe('支付宝收款十二元');
    expect(zh(clipSequence('alipay', 5))).toBe('支付宝收款零点零五元');
    expect(zh(clipSequence('wechat', 10001))).toBe('微信收款一百点零一元');
    expect(zh(clipSequence('wechat', 123456))).toBe('微信收款一千二百三十四点五六元');
    expect(clipSequence('wechat', 10_000_000_000)).toBeNull(); // above 99,999,999.99 yuan: the chime
    expect(() => clipSequence('wechat', 12.5)).toThrow(RangeError);
  });

  it('has a clip file for every name a sequence can use', async () => {
    const { existsSync } = await import('node:fs');
    const names = new Set<string>(['wechat', 'alipay', 'shi', 'bai', 'qian', 'wan', 'dian', 'yuan', ...Array.from({ length: 10 }, (_, i) => `d${i}`)]);
    for (const n of names) expect(existsSync(`resources/voice/${n}.wav`), n).toBe(true);
  });
});
