// Receipt → picture (SVG, and PNG through rsvg-convert). The picture is drawn from the decoded
// ESC/POS bytes of the document — the same bytes the printer gets — so what the cashier previews
// is what prints: same line breaks, same columns, same QR payload, same bars.
import { spawn } from 'node:child_process';
import QRCode from 'qrcode';
import { code128Modules } from './code128';
import { decodeEscpos, type DecodedJob, type DecodedLine } from './decode';
import { DOTS_PER_COLUMN, PAPER, type Align, type PaperWidth, type ReceiptDocument } from './document';
import { renderEscpos } from './escpos';
import { codePointWidth } from './width';

export const RECEIPT_FONT = "'WenQuanYi Micro Hei Mono','WenQuanYi Micro Hei','Noto Sans Mono CJK SC','Noto Sans CJK SC',monospace";
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
          for (const g of row) {
            if (g.ch !== ' ') {
              const cx = x + g.dots / 2;
              const base = y + 24 * h - 4 * g.h; // glyph sits on a common baseline
              // WenQuanYi has no bold face: a thin outline reads like the printer's emphasized mode
              const bold = g.bold ? ' stroke="#000" stroke-width="0.6"' : '';
              body.push(
                `<text transform="translate(${cx} ${base}) scale(${g.w} ${g.h})"${bold}>${esc(g.ch)}</text>`,
              );
            }
            x += g.dots;
          }
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
          `<text transform="translate(${dots - 14} ${y + 9})" fill="#999" font-size="18">✂</text>`,
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

/** SVG → PNG with rsvg-convert (librsvg2-bin). */
export function svgToPng(svg: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('rsvg-convert', ['--format', 'png'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new Error(`rsvg-convert 无法运行：${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`rsvg-convert failed (${code}): ${Buffer.concat(err).toString()}`));
    });
    child.stdin.end(svg);
  });
}

export async function renderPng(doc: ReceiptDocument): Promise<Buffer> {
  return svgToPng(renderSvg(doc));
}

/** PNG of already-encoded bytes (what the virtual printer received). */
export async function escposToPng(bytes: Uint8Array, paper: PaperWidth): Promise<Buffer> {
  return svgToPng(decodedToSvg(decodeEscpos(bytes), paper));
}
