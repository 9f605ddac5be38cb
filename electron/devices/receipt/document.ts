// The one receipt document model. Templates build it from plain data; escpos.ts turns it into
// printer bytes and picture.ts into the preview picture (by decoding those very bytes), so the
// layout cannot differ between paper and screen. Plain JSON apart from image bitmaps.

export type PaperWidth = 58 | 80;

/** Font A is 12 × 24 dots; a Chinese glyph is 24 × 24 (two columns). */
export const PAPER: Record<PaperWidth, { columns: number; dots: number }> = {
  58: { columns: 32, dots: 384 },
  80: { columns: 48, dots: 576 },
};
export const DOTS_PER_COLUMN = 12;

export type Align = 'left' | 'center' | 'right';
export interface TextSize {
  w: 1 | 2;
  h: 1 | 2;
}
export const NORMAL: TextSize = { w: 1, h: 1 };
export const DOUBLE: TextSize = { w: 2, h: 2 };

/** 1 bit per pixel, rows packed MSB first, `Math.ceil(width / 8)` bytes per row, 1 = black. */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface TextBlock {
  type: 'text';
  text: string;
  align?: Align;
  size?: TextSize;
  bold?: boolean;
  /** Default true: wrapped by display width; false: truncated to one line. */
  wrap?: boolean;
}

export interface Cell {
  text: string;
  /** Display columns (at the row's size). Omit on at most one cell: it takes what is left. */
  width?: number;
  align?: Align;
  /** Default: wrap for left-aligned cells, truncate for the others. */
  wrap?: boolean;
  /** May give up columns to the width-less cell when the row is too wide (then it wraps). */
  shrink?: boolean;
}

export interface ColumnsBlock {
  type: 'columns';
  cells: Cell[];
  /** Spaces between cells, default 1. */
  gap?: number;
  size?: TextSize;
  bold?: boolean;
}

export interface RuleBlock {
  type: 'rule';
  style?: 'single' | 'double';
}

export interface QrBlock {
  type: 'qr';
  /** ASCII only (a URL); anything else is refused when rendering. */
  data: string;
  /** Dots per module, 1–16; default 6 on 80 mm, 5 on 58 mm. */
  moduleSize?: number;
  ec?: 'L' | 'M' | 'Q' | 'H';
  align?: Align;
}

export interface BarcodeBlock {
  type: 'barcode';
  /** CODE128, printable ASCII. */
  data: string;
  /** Bar height in dots, default 80. */
  height?: number;
  /** Human-readable text under the bars, default true. */
  hri?: boolean;
  align?: Align;
}

export interface ImageBlock {
  type: 'image';
  bitmap: Bitmap;
  align?: Align;
}

export interface FeedBlock {
  type: 'feed';
  lines: number;
}

export interface CutBlock {
  type: 'cut';
  partial?: boolean;
}

export interface DrawerBlock {
  type: 'drawer';
  pin: 2 | 5;
}

export type Block =
  | TextBlock
  | ColumnsBlock
  | RuleBlock
  | QrBlock
  | BarcodeBlock
  | ImageBlock
  | FeedBlock
  | CutBlock
  | DrawerBlock;

export interface ReceiptDocument {
  paper: PaperWidth;
  blocks: Block[];
}

// Small builders so templates read like the receipt.
export const text = (t: string, o: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock => ({ type: 'text', text: t, ...o });
export const columns = (cells: Cell[], o: Omit<ColumnsBlock, 'type' | 'cells'> = {}): ColumnsBlock => ({
  type: 'columns',
  cells,
  ...o,
});
export const rule = (style: 'single' | 'double' = 'single'): RuleBlock => ({ type: 'rule', style });
export const feed = (lines = 1): FeedBlock => ({ type: 'feed', lines });
export const cut = (partial = false): CutBlock => ({ type: 'cut', partial });
