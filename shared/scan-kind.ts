// What a scanned or typed string is, in one place for the checkout's scan field, the payment screen and
// the redemption API: a product barcode, a customer's payment code, a group-buy voucher (Douyin 来客 QR
// link or typed code, Meituan/Dianping code) or a self-pickup code. Pure: no Node, no DOM.
//
// Order matters and is the rule: a valid GTIN (EAN-13, EAN-8, UPC-A, UPC-E — label-scale codes are
// EAN-13) is a product, and a payment code is a payment, whatever else its shape might fit; only what is
// neither can be a voucher or a pickup code. So a product or a payment code is never redeemed.
//
// Shapes and their evidence (../shared/PLATFORMS.md §3, §4):
//  - Douyin QR: a short link https://v.douyin.com/<id>/ (redirects to a link whose `object_id` is the
//    `encrypted_data` for certificate/prepare), or that long link itself. Only `object_id` is stable (A).
//  - Douyin typed code: 15 digits (the SDK README's example code 150000000000000; C — UNVERIFIED).
//  - Meituan / Dianping receipt code: 10 or 12 digits (UNVERIFIED: no primary source found).
//  - Youzan self-pickup code (自提码): digits, 6–12 (UNVERIFIED: the docs give no format).
// Where shapes overlap (10 or 12 digits: Meituan or pickup) the result lists every candidate and the
// cashier picks; one candidate routes straight to it.
import { normalizeCode, validateBarcode, type BarcodeKind } from './barcode';
import { isUnionPayCode, paymentCodeKind } from './payment-code';

export type VoucherPlatform = 'douyin' | 'meituan';
export type CodeCandidate = VoucherPlatform | 'pickup';

export type ScanKind =
  | { kind: 'product'; barcode: BarcodeKind; normalized: string }
  | { kind: 'payment'; wallet: 'wechat' | 'alipay' | 'unionpay' }
  /** A Douyin voucher QR: `objectId` (long link: send as encrypted_data) or `shortId` (resolve the short link first). */
  | { kind: 'douyin_link'; objectId: string | null; shortId: string | null; url: string }
  /** A typed or scanned code that fits one or more voucher / pickup shapes (candidates in that order). */
  | { kind: 'code'; code: string; candidates: CodeCandidate[] }
  /** A voucher link that cannot be used as scanned (cut short by the scanner, or no id in it). */
  | { kind: 'bad_link'; reason: string }
  /** Anything else: the shop's own codes, receipt numbers, member cards… (the catalog decides). */
  | { kind: 'other'; code: string };

const DIGITS = /^\d+$/;
/** A link on a douyin.com host (v.douyin.com short links, www.douyin.com / iesdouyin.com long links). */
const DOUYIN_HOST = /(^|\.)(douyin\.com|iesdouyin\.com)$/i;
/** Short-link ids seen are base-62-ish, 6–12 characters (e.g. iRNBho6u). */
const SHORT_ID = /^[A-Za-z0-9_-]{6,16}$/;
/** object_id (encrypted_data): long and URL-safe; a scanner that cut the QR short leaves a stub. */
const MIN_OBJECT_ID = 16;

function douyinLink(text: string): ScanKind | null {
  if (!/^https?:\/\//i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const objectId = url.searchParams.get('object_id');
  if (objectId !== null) {
    if (objectId.length < MIN_OBJECT_ID) return { kind: 'bad_link', reason: '团购券二维码内容不完整（可能扫描不全），请让顾客刷新券码后重新扫描' };
    return { kind: 'douyin_link', objectId, shortId: null, url: text };
  }
  if (!DOUYIN_HOST.test(url.hostname)) return null;
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length !== 1 || !SHORT_ID.test(parts[0])) {
    return { kind: 'bad_link', reason: '抖音团购券二维码内容不完整（可能扫描不全），请让顾客刷新券码后重新扫描' };
  }
  return { kind: 'douyin_link', objectId: null, shortId: parts[0], url: text };
}

function codeCandidates(code: string): CodeCandidate[] {
  if (!DIGITS.test(code)) return [];
  const out: CodeCandidate[] = [];
  if (code.length === 15) out.push('douyin');
  if (code.length === 10 || code.length === 12) out.push('meituan');
  if (code.length >= 6 && code.length <= 12) out.push('pickup');
  return out;
}

/** Classifies one scan or typed entry (full-width digits and spaces are read as ASCII first). */
export function scanKind(input: string): ScanKind {
  const text = normalizeCode(input);
  const link = douyinLink(text);
  if (link) return link;
  // Product barcodes first: a valid GTIN is never a payment, voucher or pickup code.
  if (DIGITS.test(text) && [8, 12, 13].includes(text.length)) {
    const b = validateBarcode(text);
    if (b.ok) return { kind: 'product', barcode: b.kind, normalized: b.normalized };
  }
  const wallet = paymentCodeKind(text);
  if (wallet) return { kind: 'payment', wallet };
  if (isUnionPayCode(text)) return { kind: 'payment', wallet: 'unionpay' };
  const candidates = codeCandidates(text);
  if (candidates.length) return { kind: 'code', code: text, candidates };
  return { kind: 'other', code: text };
}

/** Whether `input` can be redeemed as a voucher of `platform` (the redemption API checks this before calling out). */
export function fitsVoucher(input: string, platform: VoucherPlatform): boolean {
  const k = scanKind(input);
  if (platform === 'douyin') return k.kind === 'douyin_link' || (k.kind === 'code' && k.candidates.includes('douyin'));
  return k.kind === 'code' && k.candidates.includes('meituan');
}

/** The platform whose voucher shape `input` fits, when exactly one does; null otherwise. */
export function voucherPlatformOf(input: string): VoucherPlatform | null {
  const d = fitsVoucher(input, 'douyin');
  const m = fitsVoucher(input, 'meituan');
  return d === m ? null : d ? 'douyin' : 'meituan';
}
