// Receipt document → ESC/POS bytes. Chinese goes out as GB18030 with the printer in Chinese
// mode (FS &); column layout is done here by display width (node-thermal-printer counts
// characters, which misaligns every line with Chinese in it). QR (`GS ( k`) and CODE128
// (`GS k 73`) commands are built here with their exact lengths.
import iconv from 'iconv-lite';
import { escposCode128Data, code128FromEscpos, code128ModuleCount } from './code128';
import {
  PAPER,
  type Align,
  type Block,
  type ColumnsBlock,
  type ReceiptDocument,
  type TextSize,
  NORMAL,
} from './document';
import { displayWidth, fit, sanitize, truncate, wrap } from './width';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

/** Exact drawer-kick commands: pin 2 / pin 5, 25 × 2 ms on, 250 × 2 ms off. */
export const DRAWER_KICK: Record<2 | 5, Buffer> = {
  2: Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]),
  5: Buffer.from([0x1b, 0x70, 0x01, 0x19, 0xfa]),
};

/**
 * Real-time drawer pulse `DLE DC4 1 m t` (m = 0 pin 2 / 1 pin 5, t × 100 ms on and off). Unlike
 * `ESC p` it is not print data: the printer executes it at once, also while it is stopped by paper
 * end or an open cover (only a printer that is really offline — no connection — cannot get it).
 */
export const DRAWER_PULSE: Record<2 | 5, Buffer> = {
  2: Buffer.from([0x10, 0x14, 0x01, 0x00, 0x01]),
  5: Buffer.from([0x10, 0x14, 0x01, 0x01, 0x01]),
};

export class ReceiptLayoutError extends Error {}

/** One printed text line after layout: what the printer gets between two LFs. */
export interface LaidLine {
  text: string;
  align: Align;
  size: TextSize;
  bold: boolean;
}

/** Columns available for text at a horizontal magnification. */
export function columnsAt(paperColumns: number, size: TextSize = NORMAL): number {
  return Math.floor(paperColumns / size.w);
}

/** Lays out a columns row into physical lines of at most the paper's columns. */
export function layoutColumns(block: ColumnsBlock, paperColumns: number): string[] {
  const avail = columnsAt(paperColumns, block.size);
  const gap = block.gap ?? 1;
  const fixed = block.cells.reduce((s, c) => s + (c.width ?? 0), 0) + gap * (block.cells.length - 1);
  const autos = block.cells.filter((c) => c.width === undefined).length;
  if (autos > 1) throw new ReceiptLayoutError('only one cell may omit its width');
  const widths = block.cells.map((c) => c.width);
  let rest = avail - fixed;
  if (autos === 1) {
    // Give the width-less cell room for its text (at most half the row) from shrinkable cells.
    const auto = block.cells.find((c) => c.width === undefined)!;
    const want = Math.min(Math.max(2, displayWidth(sanitize(auto.text))), Math.floor(avail / 2));
    for (let i = 0; i < widths.length && rest < want; i++) {
      const c = block.cells[i];
      if (!c.shrink || widths[i] === undefined) continue;
      const take = Math.min(want - rest, widths[i]! - 2);
      if (take > 0) (widths[i] = widths[i]! - take), (rest += take);
    }
  }
  if (rest < 0 || (autos === 1 && rest < 1)) {
    throw new ReceiptLayoutError(`columns wider than the paper: ${avail - rest} > ${avail}`);
  }
  const cols = block.cells.map((c, i) => {
    const width = widths[i] ?? rest;
    const align = c.align ?? 'left';
    const doWrap = c.wrap ?? (align === 'left' || c.shrink === true);
    const lines = doWrap && width >= 2 ? wrap(c.text, width) : [truncate(sanitize(c.text), width)];
    return { width, align, lines };
  });
  const rows = Math.max(...cols.map((c) => c.lines.length));
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const parts = cols.map((c) => fit(c.lines[r] ?? '', c.width, c.align));
    out.push(parts.join(' '.repeat(gap)).replace(/ +$/, ''));
  }
  return out;
}

/** Text lines of a text block, wrapped (or truncated) to the columns at its size. */
export function layoutText(t: string, paperColumns: number, size: TextSize = NORMAL, doWrap = true): string[] {
  const avail = columnsAt(paperColumns, size);
  return doWrap ? wrap(t, avail) : [truncate(sanitize(t).replace(/\n/g, ' '), avail)];
}

/** Physical text lines of one block (empty for graphics and commands). */
export function layoutBlock(block: Block, paperColumns: number): LaidLine[] {
  switch (block.type) {
    case 'text': {
      const size = block.size ?? NORMAL;
      return layoutText(block.text, paperColumns, size, block.wrap ?? true).map((text) => ({
        text,
        align: block.align ?? 'left',
        size,
        bold: block.bold ?? false,
      }));
    }
    case 'columns':
      return layoutColumns(block, paperColumns).map((text) => ({
        text,
        align: 'left' as const,
        size: block.size ?? NORMAL,
        bold: block.bold ?? false,
      }));
    case 'rule':
      return [
        { text: (block.style === 'double' ? '=' : '-').repeat(paperColumns), align: 'left', size: NORMAL, bold: false },
      ];
    default:
      return [];
  }
}

const ALIGN_N: Record<Align, number> = { left: 0, center: 1, right: 2 };
const EC_N = { L: 48, M: 49, Q: 50, H: 51 } as const;

/** `GS ( k` sequence for a model 2 QR code: model, module size, error correction, store, print. */
export function qrCommands(data: string, moduleSize: number, ec: 'L' | 'M' | 'Q' | 'H'): Buffer {
  if (!/^[\x20-\x7e]+$/.test(data)) throw new ReceiptLayoutError('二维码内容只能是 ASCII（网址）');
  const payload = Buffer.from(data, 'ascii');
  if (payload.length > 7089) throw new ReceiptLayoutError('二维码内容过长');
  const storeLen = payload.length + 3;
  return Buffer.concat([
    Buffer.from([GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00]), // fn 65: model 2
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, moduleSize]), // fn 67: module size
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, EC_N[ec]]), // fn 69: error correction
    Buffer.from([GS, 0x28, 0x6b, storeLen & 0xff, storeLen >> 8, 0x31, 0x50, 0x30]), // fn 80: store
    payload,
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30]), // fn 81: print
  ]);
}

/**
 * Widest module (2 or 3 dots; 1 only if nothing else fits) for which the symbol fits the printable
 * width. The quiet zones lie in the paper's unprintable margins (58 mm paper, 48 mm printed: 5 mm
 * a side, far more than 10 modules), so they need not fit inside the printable dots.
 */
export function barcodeModuleWidth(data: Buffer, paperDots: number): number {
  const modules = code128ModuleCount(code128FromEscpos(data).values);
  for (const w of [3, 2]) if (modules * w <= paperDots) return w;
  return 1;
}

/** Renders a receipt document to ESC/POS bytes. */
export function renderEscpos(doc: ReceiptDocument): Buffer {
  const paper = PAPER[doc.paper];
  if (!paper) throw new ReceiptLayoutError(`unknown paper width ${doc.paper}`);
  const out: Buffer[] = [Buffer.from([ESC, 0x40, FS, 0x26])]; // ESC @ reset, FS & Chinese mode
  let align: Align = 'left';
  let sizeN = 0;
  let bold = false;
  const setAlign = (a: Align) => {
    if (a !== align) out.push(Buffer.from([ESC, 0x61, ALIGN_N[a]])), (align = a);
  };
  const setSize = (s: TextSize) => {
    const n = ((s.w - 1) << 4) | (s.h - 1);
    if (n !== sizeN) out.push(Buffer.from([GS, 0x21, n])), (sizeN = n);
  };
  const setBold = (b: boolean) => {
    if (b !== bold) out.push(Buffer.from([ESC, 0x45, b ? 1 : 0])), (bold = b);
  };
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'text':
      case 'columns':
      case 'rule':
        for (const line of layoutBlock(block, paper.columns)) {
          if (displayWidth(line.text) * line.size.w > paper.columns) {
            throw new ReceiptLayoutError(`line wider than paper: ${line.text}`);
          }
          setAlign(line.align);
          setSize(line.size);
          setBold(line.bold);
          out.push(iconv.encode(line.text, 'gb18030'), Buffer.from([LF]));
        }
        break;
      case 'qr': {
        setAlign(block.align ?? 'center');
        out.push(qrCommands(block.data, block.moduleSize ?? (doc.paper === 58 ? 5 : 6), block.ec ?? 'M'));
        break;
      }
      case 'barcode': {
        setAlign(block.align ?? 'center');
        setSize(NORMAL);
        setBold(false);
        const data = escposCode128Data(block.data);
        if (data.length > 255) throw new ReceiptLayoutError('条码内容过长');
        out.push(
          Buffer.from([GS, 0x48, block.hri === false ? 0 : 2]), // HRI below
          Buffer.from([GS, 0x66, 0]), // HRI font A
          Buffer.from([GS, 0x68, block.height ?? 80]),
          Buffer.from([GS, 0x77, barcodeModuleWidth(data, paper.dots)]),
          Buffer.from([GS, 0x6b, 73, data.length]),
          data,
        );
        break;
      }
      case 'image': {
        const { width, height, data } = block.bitmap;
        if (width > paper.dots) throw new ReceiptLayoutError('图片比纸宽');
        const rowBytes = Math.ceil(width / 8);
        if (data.length !== rowBytes * height) throw new ReceiptLayoutError('bitmap size mismatch');
        setAlign(block.align ?? 'center');
        out.push(
          Buffer.from([GS, 0x76, 0x30, 0, rowBytes & 0xff, rowBytes >> 8, height & 0xff, height >> 8]),
          Buffer.from(data),
        );
        break;
      }
      case 'feed':
        for (let n = block.lines; n > 0; n -= 255) out.push(Buffer.from([ESC, 0x64, Math.min(255, n)]));
        break;
      case 'cut':
        // Feed the last line past the cutter, then cut (full `GS V 0`, partial `GS V 1`).
        out.push(Buffer.from([ESC, 0x64, 4, GS, 0x56, block.partial ? 1 : 0]));
        break;
      case 'drawer':
        out.push(DRAWER_KICK[block.pin]);
        break;
    }
  }
  return Buffer.concat(out);
}
