// The shop's logo: a PNG (decoded by pngjs) turned into a 1-bit printer bitmap (alpha over white,
// luminance threshold, box-filtered down to fit the paper).
//
// A logo comes from a manager's upload and from a cashier's preview, so it is hostile input: a
// 66-byte PNG can claim 8000×8000 pixels (256 MB of RGBA). The size in its IHDR header is checked
// before anything is inflated, and the image data must inflate to exactly the size the header
// promises before pngjs decodes it (pngjs's synchronous inflate pads a short stream with
// uninitialised memory, which would then be drawn as the logo). Interlaced PNGs are refused, as
// they always were. Bitmaps are cached by file, a few at most.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { Bitmap } from './document';

/** Largest logo accepted, in pixels per side (it prints at most 345 × 160 dots). */
export const LOGO_MAX_SIDE = 2000;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Samples per pixel of each PNG colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** A logo that cannot be used; the message is for the manager. */
export class LogoError extends Error {}

interface Header {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

/** The IHDR chunk, which the PNG format puts first. */
function header(buf: Buffer): Header {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE) || buf.toString('latin1', 12, 16) !== 'IHDR') {
    throw new LogoError('标志须为 PNG 图片');
  }
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), depth: buf[24], colorType: buf[25], interlaced: buf[28] !== 0 };
}

/** Whether the IDAT chunks inflate to exactly `expected` bytes (never inflating more than that). */
function completeImageData(buf: Buffer, expected: number): boolean {
  const idat: Buffer[] = [];
  for (let pos = 8; pos + 12 <= buf.length; ) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (type === 'IDAT') idat.push(buf.subarray(pos + 8, pos + 8 + len));
    if (type === 'IEND') break;
    pos += 12 + len;
  }
  try {
    return inflateSync(Buffer.concat(idat), { maxOutputLength: expected }).length === expected;
  } catch {
    return false; // corrupt, or more data than the header allows
  }
}

/** Decodes a logo PNG to RGBA, refusing (LogoError, in Chinese) what is too large or broken. */
export function decodeLogo(buf: Buffer): { width: number; height: number; data: Buffer } {
  const h = header(buf);
  if (h.width < 1 || h.height < 1 || h.width > LOGO_MAX_SIDE || h.height > LOGO_MAX_SIDE) {
    throw new LogoError(`标志图片过大（${h.width}×${h.height}），最大 ${LOGO_MAX_SIDE}×${LOGO_MAX_SIDE} 像素`);
  }
  if (h.interlaced) throw new LogoError('不支持隔行扫描的 PNG，请另存为普通 PNG');
  const channels = CHANNELS[h.colorType];
  if (!channels || ![1, 2, 4, 8, 16].includes(h.depth)) throw new LogoError('标志图片无法读取（颜色格式无效）');
  // Each row: a filter byte, then the packed samples.
  const expected = h.height * (1 + Math.ceil((h.width * channels * h.depth) / 8));
  if (!completeImageData(buf, expected)) throw new LogoError('标志图片无法读取（图像数据不完整）');
  try {
    return PNG.sync.read(buf);
  } catch (e) {
    throw new LogoError(`标志图片无法读取（${(e as Error).message}）`);
  }
}

/** RGBA → 1-bit bitmap at most `maxWidth` × `maxHeight` dots (box-filtered), threshold 50% grey. */
export function toBitmap(img: { width: number; height: number; data: Uint8Array }, maxWidth: number, maxHeight = 240): Bitmap {
  const scale = Math.min(1, maxWidth / img.width, maxHeight / img.height);
  const width = Math.max(1, Math.floor(img.width * scale));
  const height = Math.max(1, Math.floor(img.height * scale));
  const rowBytes = Math.ceil(width / 8);
  const data = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y / scale),
      y1 = Math.max(y0 + 1, Math.floor((y + 1) / scale));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x / scale),
        x1 = Math.max(x0 + 1, Math.floor((x + 1) / scale));
      let sum = 0,
        n = 0;
      for (let sy = y0; sy < Math.min(y1, img.height); sy++) {
        for (let sx = x0; sx < Math.min(x1, img.width); sx++) {
          const o = (sy * img.width + sx) * 4;
          const a = img.data[o + 3] / 255;
          const lum = 0.299 * img.data[o] + 0.587 * img.data[o + 1] + 0.114 * img.data[o + 2];
          sum += lum * a + 255 * (1 - a);
          n++;
        }
      }
      if (n && sum / n < 128) data[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width, height, data };
}

/** A logo PNG's bytes as a printer bitmap no larger than `maxWidth` × `maxHeight` dots. */
export function logoBitmap(buf: Buffer, maxWidth: number, maxHeight = 240): Bitmap {
  return toBitmap(decodeLogo(buf), maxWidth, maxHeight);
}

const CACHE_SIZE = 8;
const cache = new Map<string, Bitmap | null>();

/**
 * The logo file as a bitmap, cached (files are content-addressed, so a path never changes its
 * picture). Null when the file is missing, broken or too large: a logo never blocks a receipt.
 */
export function cachedLogoBitmap(path: string, maxWidth: number, maxHeight: number): Bitmap | null {
  const key = `${path}@${maxWidth}x${maxHeight}`;
  let bm = cache.get(key);
  if (bm === undefined) {
    try {
      bm = logoBitmap(readFileSync(path), maxWidth, maxHeight);
    } catch {
      bm = null;
    }
  } else cache.delete(key); // re-inserted below: the Map's order is the recency order
  cache.set(key, bm);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return bm;
}

/** Entries in the cache (for tests). */
export const logoCacheSize = (): number => cache.size;
