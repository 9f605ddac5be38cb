// The logo decoder (pngjs behind a header check) and its bounded bitmap cache.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { LogoError, cachedLogoBitmap, decodeLogo, logoBitmap, logoCacheSize } from '../../../electron/devices/receipt/logo';
import { lyingPng } from '../../fakes/hostile-png';

/** A 16×8 picture: left half black, right half white, in the given PNG encoding. */
function halfBlack(o: { colorType: 0 | 2 | 4 | 6; bitDepth: 8 | 16 }): Buffer {
  const png = new PNG({ width: 16, height: 8 });
  const max = o.bitDepth === 16 ? 0xffff : 0xff;
  // pngjs takes 16-bit samples as a Uint16Array
  const data = o.bitDepth === 16 ? new Uint16Array(16 * 8 * 4) : png.data;
  for (let i = 0; i < 16 * 8; i++) {
    const v = i % 16 < 8 ? 0 : max;
    data.set([v, v, v, max], i * 4);
  }
  png.data = data as Buffer;
  return PNG.sync.write(png, { colorType: o.colorType, bitDepth: o.bitDepth, inputHasAlpha: true });
}

const row = (bm: { data: Uint8Array }, y: number, rowBytes: number) => [...bm.data.subarray(y * rowBytes, (y + 1) * rowBytes)];

const dir = mkdtempSync(join(tmpdir(), 'logo-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logo decoding', () => {
  it.each([
    { colorType: 0, bitDepth: 8 },
    { colorType: 2, bitDepth: 8 },
    { colorType: 4, bitDepth: 8 },
    { colorType: 6, bitDepth: 8 },
    { colorType: 6, bitDepth: 16 },
  ] as const)('colour type $colorType, $bitDepth bit: left half black, right half white', (o) => {
    const bm = logoBitmap(halfBlack(o), 100, 100);
    expect(bm).toMatchObject({ width: 16, height: 8 });
    for (let y = 0; y < 8; y++) expect(row(bm, y, 2)).toEqual([0xff, 0x00]);
  });

  it('scales down to the paper and keeps the proportions', () => {
    const bm = logoBitmap(halfBlack({ colorType: 2, bitDepth: 8 }), 8, 100);
    expect(bm).toMatchObject({ width: 8, height: 4 });
    expect(row(bm, 0, 1)).toEqual([0xf0]);
  });

  it('refuses by the header, in Chinese: not a PNG, too large, interlaced', () => {
    expect(() => decodeLogo(Buffer.from('GIF89a........................................'))).toThrow(new LogoError('标志须为 PNG 图片'));
    expect(() => decodeLogo(lyingPng(8000, 8000))).toThrow('标志图片过大（8000×8000），最大 2000×2000 像素');
    expect(() => decodeLogo(lyingPng(2001, 10))).toThrow(/过大/);
    expect(() => decodeLogo(lyingPng(0, 10))).toThrow(/过大/);
    expect(() => decodeLogo(lyingPng(100, 100, { interlace: true }))).toThrow('不支持隔行扫描的 PNG，请另存为普通 PNG');
    expect(() => decodeLogo(lyingPng(100, 100))).toThrow(/^标志图片无法读取/);
  });
});

describe('logo cache', () => {
  it('holds a few bitmaps at most, and a broken file is null (a receipt prints without its logo)', () => {
    const good = halfBlack({ colorType: 2, bitDepth: 8 });
    for (let i = 0; i < 20; i++) {
      const f = join(dir, `logo-${i}.png`);
      writeFileSync(f, good);
      expect(cachedLogoBitmap(f, 100, 100)).toMatchObject({ width: 16, height: 8 });
    }
    expect(logoCacheSize()).toBeLessThanOrEqual(8);
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, lyingPng(8000, 8000));
    expect(cachedLogoBitmap(bad, 100, 100)).toBeNull();
    expect(cachedLogoBitmap(join(dir, 'missing.png'), 100, 100)).toBeNull();
  });
});
