// Logo loading: a small PNG decoder (non-interlaced, any colour type, 1–16 bit) on node:zlib,
// and conversion to a 1-bit printer bitmap (alpha over white, luminance threshold, scaled down
// to fit the paper). Kept here to avoid a dependency for one logo.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Bitmap } from './document';

interface Rgba {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export function decodePng(buf: Buffer): Rgba {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => buf[i] === b)) throw new Error('不是 PNG 文件');
  let pos = 8;
  let width = 0,
    height = 0,
    depth = 0,
    ctype = 0,
    interlace = 0;
  let palette: Buffer | undefined;
  let trns: Buffer | undefined;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    pos += 12 + len;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      ctype = data[9];
      interlace = data[12];
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  if (interlace) throw new Error('不支持隔行扫描的 PNG');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[ctype];
  if (!channels) throw new Error(`PNG 颜色类型 ${ctype} 不支持`);
  const bpp = Math.max(1, (channels * depth) / 8);
  const stride = Math.ceil((width * channels * depth) / 8);
  const raw = inflateSync(Buffer.concat(idat));
  const px = new Uint8Array(stride * height);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp] : 0;
      const b = prev[x];
      const c = x >= bpp ? prev[x - bpp] : 0;
      let v = line[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 0xff;
    }
    px.set(cur, y * stride);
    prev = cur;
  }
  const sample = (row: number, i: number): number => {
    // i-th sample of the row, scaled to 0–255
    if (depth === 8) return px[row * stride + i];
    if (depth === 16) return px[row * stride + i * 2];
    const perByte = 8 / depth;
    const byte = px[row * stride + Math.floor(i / perByte)];
    const shift = 8 - depth * ((i % perByte) + 1);
    const v = (byte >> shift) & ((1 << depth) - 1);
    return ctype === 3 ? v : Math.round((v * 255) / ((1 << depth) - 1));
  };
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (ctype === 3) {
        const idx = sample(y, x);
        rgba[o] = palette![idx * 3];
        rgba[o + 1] = palette![idx * 3 + 1];
        rgba[o + 2] = palette![idx * 3 + 2];
        rgba[o + 3] = trns && idx < trns.length ? trns[idx] : 255;
      } else if (ctype === 0 || ctype === 4) {
        const g = sample(y, x * channels);
        rgba[o] = rgba[o + 1] = rgba[o + 2] = g;
        rgba[o + 3] = ctype === 4 ? sample(y, x * channels + 1) : 255;
      } else {
        rgba[o] = sample(y, x * channels);
        rgba[o + 1] = sample(y, x * channels + 1);
        rgba[o + 2] = sample(y, x * channels + 2);
        rgba[o + 3] = ctype === 6 ? sample(y, x * channels + 3) : 255;
      }
    }
  }
  return { width, height, rgba };
}

/** RGBA → 1-bit bitmap at most `maxWidth` × `maxHeight` dots (box-filtered), threshold 50% grey. */
export function toBitmap(img: Rgba, maxWidth: number, maxHeight = 240): Bitmap {
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
          const a = img.rgba[o + 3] / 255;
          const lum = 0.299 * img.rgba[o] + 0.587 * img.rgba[o + 1] + 0.114 * img.rgba[o + 2];
          sum += lum * a + 255 * (1 - a);
          n++;
        }
      }
      if (n && sum / n < 128) data[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width, height, data };
}

/** Loads a logo PNG as a printer bitmap no wider than `maxWidth` dots. */
export function loadBitmapFromPng(path: string, maxWidth: number, maxHeight = 240): Bitmap {
  return toBitmap(decodePng(readFileSync(path)), maxWidth, maxHeight);
}
