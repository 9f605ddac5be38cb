// The payment poster is a real PNG drawn by resvg with the shipped fonts, its QR decodes back to the
// payment URL, and text from the shop or the cart cannot break the SVG it is made from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { POSTER_WIDTH, posterSvg, renderPoster, type PosterInput } from '../../../electron/payments/poster';
import { expiryText } from '../../../electron/payments/poster-template';

const OUT = join(process.cwd(), 'test-results', 'payments');

const base: PosterInput = {
  shopName: '社区便利店（幸福里店）',
  amountFen: 1230,
  items: [
    { name: '可口可乐 330ml', quantity: 2 },
    { name: '农夫山泉 550ml', quantity: 1 },
    { name: '散装苹果', quantity: '1.25斤' },
  ],
  codeUrl: 'weixin://wxpay/bizpayurl?pr=Xy7kQ2aBc',
  expiresAt: Date.UTC(2026, 10, 30, 8, 20),
  provider: 'wechat',
  timeZone: 'Asia/Shanghai',
};

function decode(png: Buffer) {
  const img = PNG.sync.read(png);
  const qr = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  return { img, qr };
}

function save(name: string, png: Buffer) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), png);
}

describe('payment poster', () => {
  it('is a PNG of the poster width whose QR decodes to the payment URL', async () => {
    const png = await renderPoster(base);
    save('poster-wechat.png', png);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const { img, qr } = decode(png);
    expect(img.width).toBe(POSTER_WIDTH);
    expect(img.height).toBeGreaterThan(1000);
    expect(img.height).toBeLessThan(1500);
    expect(qr?.data).toBe(base.codeUrl);
  });

  it('says the amount in yuan from fen, the expiry in Chinese and which app to scan with', async () => {
    const svg = await posterSvg(base);
    expect(svg).toContain('¥12.30');
    expect(svg).toContain('请用微信扫码支付');
    expect(svg).toContain('请于 11月30日 16:20 前付款');
    expect(svg).toContain('可口可乐 330ml');
    expect(svg).toContain('×2');
    expect(svg).toContain('1.25斤');
    expect(await posterSvg({ ...base, provider: 'alipay' })).toContain('请用支付宝扫码支付');
    expect(await posterSvg({ ...base, provider: undefined })).toContain('请扫码支付');
    expect(expiryText(Date.UTC(2026, 0, 5, 16, 5), 'Asia/Shanghai')).toBe('1月6日 00:05');
  });

  it('escapes shop and product text for XML and still draws a readable QR', async () => {
    const hostile: PosterInput = {
      ...base,
      shopName: `<script>&"'</script>]]><!--`,
      items: [
        { name: '</text><image href="file:///etc/passwd"/>' },
        { name: 'a\u0000b\u001bc\ud800d' },
        { name: '龘'.repeat(80), quantity: '<3' },
      ],
      provider: 'alipay',
      codeUrl: 'https://qr.alipay.com/bax08&a=<1>',
    };
    const svg = await posterSvg(hostile);
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<image');
    expect(svg).not.toContain('\u0000');
    expect(svg).not.toContain('\u001b');
    expect(svg).toContain('&lt;script&gt;&amp;&quot;&apos;&lt;/script&gt;');
    // An 80-character name is cut to the card's width with an ellipsis.
    expect(svg).toMatch(/龘+…</);
    const png = await renderPoster(hostile);
    save('poster-hostile.png', png);
    expect(decode(png).qr?.data).toBe(hostile.codeUrl);
  });

  it('summarises a long cart in four lines and a count', async () => {
    const items = Array.from({ length: 9 }, (_, i) => ({ name: `商品${i + 1}`, quantity: i + 1 }));
    const svg = await posterSvg({ ...base, items });
    expect(svg).toContain('商品4');
    expect(svg).not.toContain('商品5<');
    expect(svg).toContain('…等共 9 种商品');
    const png = await renderPoster({ ...base, items });
    save('poster-long.png', png);
    expect(decode(png).qr?.data).toBe(base.codeUrl);
  });

  it('refuses an amount that is not a positive whole number of fen, and a missing QR', async () => {
    await expect(renderPoster({ ...base, amountFen: 0 })).rejects.toThrow(/正的整数分/);
    await expect(renderPoster({ ...base, amountFen: 12.3 })).rejects.toThrow(/正的整数分/);
    await expect(renderPoster({ ...base, amountFen: -100 })).rejects.toThrow(/正的整数分/);
    await expect(renderPoster({ ...base, codeUrl: '' })).rejects.toThrow(/二维码/);
    await expect(renderPoster({ ...base, expiresAt: Number.NaN })).rejects.toThrow(/过期时间/);
  });
});
