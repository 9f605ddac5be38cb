// Receipt → picture (SVG, and PNG through resvg). The picture is drawn from the decoded ESC/POS
// bytes of the document — the same bytes the printer gets — so what the cashier previews is what
// prints: same line breaks, same columns, same QR payload, same bars. resvg (a library with
// prebuilt binaries for Windows, Linux and macOS) draws it with the font shipped in
// resources/fonts/ only, never the PC's fonts, so the picture is the same on every counter PC; it
// runs on libuv's thread pool, off the main thread.
import { renderAsync } from '@resvg/resvg-js';
import QRCode from 'qrcode';
import { resolveResource } from '../../till/paths';
import { code128Modules } from './code128';
import { decodeEscpos, type DecodedJob, type DecodedLine } from './decode';
import { DOTS_PER_COLUMN, PAPER, type Align, type PaperWidth, type ReceiptDocument } from './document';
import { renderEscpos } from './escpos';
import { codePointWidth } from './width';

/**
 * The shipped fonts (resources/fonts/README.md): Receipt Mono, the monospaced WenQuanYi face cut to
 * GB2312, like a printer's 12×24 font; the full WenQuanYi collection for rarer characters (GBK …).
 */
export const RECEIPT_FONT = "'Receipt Mono','WenQuanYi Micro Hei Mono',monospace";
const FONT_FILES = ['resources/fonts/receipt-mono-gb2312.ttf', 'resources/fonts/wqy-microhei.ttc'];
const LINE_DOTS = 30; // default line spacing (ESC 2)
const MARGIN = 12;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function alignX(align: Align, width: number, paperDots: number): number {
  if (align === 'center') return Math.floor((paperDots - width) / 2);
  if (align === 'right') return paperDots - width;
  return 0;
}

/** Splits a line where a printer would wrap it (a character that does not fit starts a new line). */
function printerRows(line: DecodedLine, paperDots: number) {
  type Glyph = { ch: string; dots: number; w: number; h: number; bold: boolean };
  const rows: Glyph[][] = [[]];
  let x = 0;
  for (const run of line.runs) {
    for (const ch of run.text) {
      const dots = codePointWidth(ch.codePointAt(0)!) * DOTS_PER_COLUMN * run.size.w;
      if (x + dots > paperDots && x > 0) rows.push([]), (x = 0);
      rows[rows.length - 1].push({ ch, dots, w: run.size.w, h: run.size.h, bold: run.bold });
      x += dots;
    }
  }
  return rows;
}

/** A small pair of scissors on the cut line (drawn: the receipt font has no ✂). */
const scissors = (x: number, y: number) =>
  `<g fill="none" stroke="#999" stroke-width="1.5"><circle cx="${x - 5}" cy="${y - 4}" r="2.5"/><circle cx="${x - 5}" cy="${y + 4}" r="2.5"/>` +
  `<path d="M${x - 3} ${y - 3}L${x + 7} ${y + 3}M${x - 3} ${y + 3}L${x + 7} ${y - 3}"/></g>`;

/** SVG of a decoded job at the paper's dot width (1 SVG unit = 1 printer dot). */
export function decodedToSvg(job: DecodedJob, paper: PaperWidth): string {
  const dots = PAPER[paper].dots;
  const body: string[] = [];
  let y = MARGIN;
  for (const it of job.items) {
    switch (it.type) {
      case 'text': {
        const line = it.line;
        const h = Math.max(...line.runs.map((r) => r.size.h), line.size.h);
        const advance = Math.max(LINE_DOTS, 24 * h + 6);
        for (const row of printerRows(line, dots)) {
          const width = row.reduce((s, g) => s + g.dots, 0);
          let x = alignX(line.align, width, dots);
          // One <text> per run of same-styled glyphs between spaces, each glyph centred in its own
          // printer cell by an x list (fewer elements than a <text> per glyph: ~1.5× faster in resvg).
          let run: { w: number; h: number; bold: boolean; xs: number[]; text: string } | null = null;
          const flush = () => {
            if (!run) return;
            const base = y + 24 * h - 4 * run.h; // glyphs sit on a common baseline
            // WenQuanYi has no bold face: a thin outline reads like the printer's emphasized mode
            const bold = run.bold ? ' stroke="#000" stroke-width="0.6"' : '';
            body.push(`<text transform="translate(0 ${base}) scale(${run.w} ${run.h})" x="${run.xs.join(' ')}"${bold}>${run.text}</text>`);
            run = null;
          };
          for (const g of row) {
            if (g.ch === ' ') flush();
            else {
              if (run && (run.w !== g.w || run.h !== g.h || run.bold !== g.bold)) flush();
              run ??= { w: g.w, h: g.h, bold: g.bold, xs: [], text: '' };
              run.xs.push((x + g.dots / 2) / g.w);
              run.text += esc(g.ch);
            }
            x += g.dots;
          }
          flush();
          y += advance;
        }
        break;
      }
      case 'qr': {
        const q = QRCode.create(it.qr.data, { errorCorrectionLevel: it.qr.ec });
        const n = q.modules.size;
        const m = it.qr.moduleSize;
        const x0 = alignX(it.qr.align, n * m, dots);
        const parts: string[] = [];
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < n; c++) {
            if (q.modules.get(r, c)) parts.push(`M${x0 + c * m} ${y + r * m}h${m}v${m}h-${m}z`);
          }
        }
        body.push(`<path d="${parts.join('')}" fill="#000"/>`);
        y += n * m + 8;
        break;
      }
      case 'barcode': {
        const b = it.barcode;
        if (!b.values.length) break;
        const widths = code128Modules(b.values);
        const total = widths.reduce((s, v) => s + v, 0) * b.moduleWidth;
        let x = alignX(b.align, total, dots);
        const parts: string[] = [];
        widths.forEach((wm, i) => {
          const w = wm * b.moduleWidth;
          if (i % 2 === 0) parts.push(`M${x} ${y}h${w}v${b.height}h-${w}z`);
          x += w;
        });
        body.push(`<path d="${parts.join('')}" fill="#000"/>`);
        y += b.height;
        if (b.hri === 2 || b.hri === 3) {
          const tw = b.data.length * DOTS_PER_COLUMN;
          let hx = alignX(b.align, tw, dots);
          for (const ch of b.data) {
            body.push(`<text transform="translate(${hx + DOTS_PER_COLUMN / 2} ${y + 24})">${esc(ch)}</text>`);
            hx += DOTS_PER_COLUMN;
          }
          y += 30;
        }
        y += 4;
        break;
      }
      case 'image': {
        const im = it.image;
        const rowBytes = Math.ceil(im.width / 8);
        const x0 = alignX(im.align, im.width, dots);
        const parts: string[] = [];
        for (let r = 0; r < im.height; r++) {
          let start = -1;
          for (let c = 0; c <= im.width; c++) {
            const on = c < im.width && (im.data[r * rowBytes + (c >> 3)] & (0x80 >> (c & 7))) !== 0;
            if (on && start < 0) start = c;
            if (!on && start >= 0) parts.push(`M${x0 + start} ${y + r}h${c - start}v1h-${c - start}z`), (start = -1);
          }
        }
        body.push(`<path d="${parts.join('')}" fill="#000"/>`);
        y += im.height;
        break;
      }
      case 'feed':
        y += it.dots ?? it.lines * LINE_DOTS;
        break;
      case 'cut':
        y += 6;
        body.push(
          `<line x1="0" y1="${y}" x2="${dots}" y2="${y}" stroke="#999" stroke-width="2" stroke-dasharray="8 6"/>`,
          scissors(dots - 14, y),
        );
        y += 14;
        break;
      default:
        break;
    }
  }
  const height = Math.ceil(y + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${dots}" height="${height}" viewBox="0 0 ${dots} ${height}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<g font-family="${esc(RECEIPT_FONT)}" font-size="24" text-anchor="middle" fill="#000">`,
    ...body,
    `</g></svg>`,
  ].join('\n');
}

/** SVG preview of a document: rendered to ESC/POS, decoded, drawn. */
export function renderSvg(doc: ReceiptDocument): string {
  return decodedToSvg(decodeEscpos(renderEscpos(doc)), doc.paper);
}

let fontFiles: string[] | undefined;

/**
 * SVG → PNG with resvg and the shipped fonts only. (resvg reads a font file again for every text
 * chunk, one per glyph here: hence the small GB2312 cut first, the 5 MB collection as fallback.)
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  fontFiles ??= FONT_FILES.map((f) => resolveResource(f));
  const image = await renderAsync(svg, {
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'Receipt Mono', monospaceFamily: 'Receipt Mono' },
    logLevel: 'off',
  });
  return image.asPng();
}

export async function renderPng(doc: ReceiptDocument): Promise<Buffer> {
  return svgToPng(renderSvg(doc));
}

/** PNG of already-encoded bytes (what the virtual printer received). */
export async function escposToPng(bytes: Uint8Array, paper: PaperWidth): Promise<Buffer> {
  return svgToPng(decodedToSvg(decodeEscpos(bytes), paper));
}
