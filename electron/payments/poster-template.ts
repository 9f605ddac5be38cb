// The payment poster's SVG template (远程收款海报). Every piece of text comes from the shop or the
// cart, so each is cleaned (control and zero-width characters out, lone surrogates replaced),
// cut to the width it has and XML-escaped here, in one place. The QR is the `qrcode` package's own SVG
// (paths), placed at a whole number of pixels per module so every module edge stays sharp.
import QRCode from 'qrcode';
import { formatYuan } from '../../shared/money';
import { displayWidth, sanitize, truncate } from '../devices/receipt/width';
import type { ProviderName } from './provider';

export interface PosterItem {
  name: string;
  /** 2 → "×2"; a string is shown as given ("1.25斤"). */
  quantity?: number | string;
}

export interface PosterInput {
  shopName: string;
  amountFen: number;
  items: PosterItem[];
  /** The platform's QR payload (WeChat Native code_url, Alipay precreate qr_code). */
  codeUrl: string;
  /** Unix ms after which the payment request is closed. */
  expiresAt: number;
  /** Names the app to scan with; without it the poster says 请扫码支付. */
  provider?: ProviderName;
  /** Time zone for the expiry line (IANA name); the till's own zone when left out. */
  timeZone?: string;
}

export const POSTER_WIDTH = 750;
/** The QR's box; the drawn QR is the largest whole-pixel-per-module size that fits. */
const QR_BOX = 440;
const ITEM_LINES = 4;
const FONT = "'WenQuanYi Micro Hei','Receipt Mono',sans-serif";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Characters XML 1.0 does not allow at all (sanitize() already removed the C0/C1 controls).
const NOT_XML = /[\ufffe\uffff]/g;

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Shop or product text → one clean line of at most `px` pixels at `fontPx`, XML-escaped. */
function line(text: string, px: number, fontPx: number): string {
  const clean = sanitize(String(text)).replace(LONE_SURROGATE, '\ufffd').replace(NOT_XML, '').replace(/\s+/g, ' ').trim();
  // One column = half an em (a CJK character is two), as on the receipt: a safe upper bound for the face.
  const cols = Math.floor((px / fontPx) * 2);
  return xml(displayWidth(clean) > cols ? truncate(clean, cols, '…') : clean);
}

function quantityText(q: PosterItem['quantity']): string {
  if (q === undefined || q === '') return '';
  return typeof q === 'number' ? `×${q}` : String(q);
}

/** "11月30日 16:20" in the given (or the till's) time zone. */
export function expiryText(expiresAt: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(expiresAt));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('month')}月${get('day')}日 ${get('hour')}:${get('minute')}`;
}

const SCAN_WITH: Record<ProviderName | 'any', string> = {
  wechat: '请用微信扫码支付',
  alipay: '请用支付宝扫码支付',
  any: '请扫码支付',
};

function check(input: PosterInput): void {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw new RangeError(`海报金额必须是正的整数分：${input.amountFen}`);
  }
  if (typeof input.codeUrl !== 'string' || !input.codeUrl) throw new RangeError('海报缺少付款二维码内容');
  if (!Number.isFinite(input.expiresAt)) throw new RangeError('海报缺少有效的过期时间');
}

/** The QR as positioned SVG: the `qrcode` package's paths, scaled to whole pixels per module. */
async function qrSvg(codeUrl: string, cx: number, y: number): Promise<{ svg: string; size: number }> {
  const margin = 2;
  const modules = QRCode.create(codeUrl, { errorCorrectionLevel: 'M' }).modules.size + margin * 2;
  const size = Math.floor(QR_BOX / modules) * modules;
  const raw = await QRCode.toString(codeUrl, { type: 'svg', errorCorrectionLevel: 'M', margin });
  const x = Math.round(cx - size / 2);
  return { svg: raw.trim().replace(/^<svg /, `<svg x="${x}" y="${y}" width="${size}" height="${size}" `), size };
}

export async function posterSvg(input: PosterInput): Promise<string> {
  check(input);
  const W = POSTER_WIDTH;
  const cx = W / 2;
  const cardX = 40;
  const cardW = W - cardX * 2;
  const inner = cardW - 80;

  const items = input.items.slice(0, ITEM_LINES);
  const more = input.items.length - items.length;
  const itemRows = items.map((it, i) => {
    const q = quantityText(it.quantity);
    const qCols = displayWidth(q) + 2;
    const y = 560 + i * 40;
    return (
      `<text x="${cardX + 40}" y="${y}" font-size="26" fill="#333">${line(it.name, inner - qCols * 13, 26)}</text>` +
      (q ? `<text x="${cardX + cardW - 40}" y="${y}" font-size="26" fill="#333" text-anchor="end">${line(q, 200, 26)}</text>` : '')
    );
  });
  if (more > 0) {
    itemRows.push(
      `<text x="${cardX + 40}" y="${560 + items.length * 40}" font-size="24" fill="#888">…等共 ${input.items.length} 种商品</text>`,
    );
  }
  const itemsBottom = 560 + (itemRows.length - 1) * 40 + 20;
  const qrTop = Math.max(itemsBottom + 30, 640);
  const qr = await qrSvg(input.codeUrl, cx, qrTop);
  const scanY = qrTop + qr.size + 56;
  const scanWith = SCAN_WITH[input.provider ?? 'any'];
  // The height follows the item list (up to ITEM_LINES rows and a 等共 N 种 line).
  const H = scanY + 52 + 120;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="100%" height="100%" fill="#eef1f4"/>`,
    `<rect x="0" y="0" width="${W}" height="300" fill="#1f4e79"/>`,
    `<g font-family="${xml(FONT)}">`,
    `<text x="${cx}" y="110" font-size="44" font-weight="bold" fill="#fff" text-anchor="middle">${line(input.shopName, W - 100, 44)}</text>`,
    `<text x="${cx}" y="170" font-size="30" fill="#d6e4f0" text-anchor="middle">远程收款 · 付款单</text>`,
    `<rect x="${cardX}" y="220" width="${cardW}" height="${H - 260}" rx="24" fill="#fff"/>`,
    `<text x="${cx}" y="300" font-size="28" fill="#666" text-anchor="middle">应付金额</text>`,
    `<text x="${cx}" y="420" font-size="104" font-weight="bold" fill="#c81e1e" text-anchor="middle">${xml(formatYuan(input.amountFen))}</text>`,
    `<line x1="${cardX + 40}" y1="480" x2="${cardX + cardW - 40}" y2="480" stroke="#ddd" stroke-width="2" stroke-dasharray="10 8"/>`,
    `<text x="${cardX + 40}" y="520" font-size="24" fill="#888">商品</text>`,
    ...itemRows,
    qr.svg,
    `<text x="${cx}" y="${scanY}" font-size="36" font-weight="bold" fill="#222" text-anchor="middle">${scanWith}</text>`,
    `<text x="${cx}" y="${scanY + 52}" font-size="26" fill="#c81e1e" text-anchor="middle">请于 ${xml(expiryText(input.expiresAt, input.timeZone))} 前付款，过期作废</text>`,
    `<text x="${cx}" y="${H - 60}" font-size="22" fill="#999" text-anchor="middle">付款后店家自动确认，无需截图</text>`,
    `</g></svg>`,
  ].join('\n');
}
