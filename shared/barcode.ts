// Barcode checks for the scan field: GTIN check digits, UPC-E expansion, and in-store
// label-scale codes (条码秤). Pure: no Node, no DOM.

export type BarcodeKind = 'ean13' | 'ean8' | 'upca' | 'upce' | 'code128' | 'internal';

export type BarcodeResult =
  | {
      ok: true;
      kind: BarcodeKind;
      /** The catalog lookup key. */
      normalized: string;
      /** Other keys to try when the code is ambiguous (an 8-digit code valid as both EAN-8 and UPC-E). */
      alternates?: string[];
    }
  | { ok: false; code: 'BAD_CHECK_DIGIT' | 'BAD_FORMAT'; message: string };

const DIGITS = /^\d+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * A typed or scanned code as the till reads it. A Chinese input method in full-width mode (全角) types
 * ６９０１… or ＡＢＣ: NFKC makes them the ASCII they stand for (and the ideographic space a space);
 * surrounding spaces go. Applied at every boundary (the API's zod schemas, the scan field, the wedge)
 * before a code is validated or looked up.
 */
export function normalizeCode(input: string): string {
  return input.normalize('NFKC').trim();
}

/** GS1 mod-10 check digit of `digits` (the code without its check digit), any length. */
export function gtinCheckDigit(digits: string): number {
  if (!DIGITS.test(digits)) throw new RangeError(`not digits: ${digits}`);
  let sum = 0;
  // Weights 3,1,3,1… starting from the rightmost digit.
  for (let i = digits.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (digits.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

function hasValidCheckDigit(code: string): boolean {
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** Appends the EAN-13 check digit to 12 digits (tests, seeds, printing in-store labels). */
export function makeEan13(first12: string): string {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`makeEan13 needs 12 digits, got ${first12}`);
  return first12 + gtinCheckDigit(first12);
}

/**
 * UPC-E (zero-suppressed) to UPC-A, 12 digits. Accepts 6 digits (number system 0 assumed),
 * 7 (number system + 6) or 8 (number system + 6 + check digit). The check digit is kept
 * when given (so a caller can verify it against the expansion) and computed otherwise.
 */
export function expandUpcE(code: string): string {
  if (!/^\d{6,8}$/.test(code)) throw new RangeError(`UPC-E needs 6-8 digits, got ${code}`);
  const ns = code.length === 6 ? '0' : code[0];
  if (ns !== '0' && ns !== '1') throw new RangeError(`UPC-E number system must be 0 or 1: ${code}`);
  const d = code.length === 6 ? code : code.slice(1, 7);
  const last = d[5];
  let body: string; // the 10 digits between number system and check digit
  if (last <= '2') body = `${d[0]}${d[1]}${last}0000${d[2]}${d[3]}${d[4]}`;
  else if (last === '3') body = `${d[0]}${d[1]}${d[2]}00000${d[3]}${d[4]}`;
  else if (last === '4') body = `${d[0]}${d[1]}${d[2]}${d[3]}00000${d[4]}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  const first11 = ns + body;
  return first11 + (code.length === 8 ? code[7] : String(gtinCheckDigit(first11)));
}

const badCheck = (code: string): BarcodeResult => ({
  ok: false,
  code: 'BAD_CHECK_DIGIT',
  message: `条码校验位错误：${code}`,
});
const badFormat = (code: string): BarcodeResult => ({
  ok: false,
  code: 'BAD_FORMAT',
  message: `条码格式错误：${code}`,
});

/**
 * Classifies a scanned or typed code. GTINs are normalized to one lookup key per product
 * however the scanner was set up: UPC-A (12), UPC-E (8) and EAN-13 all become 13 digits
 * (UPC-A gets a leading 0, as GS1 defines), EAN-8 stays 8 digits. An 8-digit code is
 * tried as EAN-8 first, then as UPC-E (the two share the length); when both check digits
 * hold (1 in 10 of codes starting 0/1) the UPC-E reading is in `alternates`.
 * The catalog import must store barcodes through this same normalization.
 * All-digit codes of other lengths are the shop's own codes ('internal'); anything else
 * in printable ASCII is 'code128'. Both must be 4–32 characters.
 */
export function validateBarcode(input: string): BarcodeResult {
  const code = normalizeCode(input);
  if (DIGITS.test(code)) {
    switch (code.length) {
      case 13:
        return hasValidCheckDigit(code) ? { ok: true, kind: 'ean13', normalized: code } : badCheck(code);
      case 12:
        return hasValidCheckDigit(code) ? { ok: true, kind: 'upca', normalized: `0${code}` } : badCheck(code);
      case 8: {
        const asEan8 = hasValidCheckDigit(code);
        const upcA = code[0] === '0' || code[0] === '1' ? expandUpcE(code) : null;
        const asUpcE = upcA !== null && hasValidCheckDigit(upcA);
        if (asEan8 && asUpcE) return { ok: true, kind: 'ean8', normalized: code, alternates: [`0${upcA}`] };
        if (asEan8) return { ok: true, kind: 'ean8', normalized: code };
        if (asUpcE) return { ok: true, kind: 'upce', normalized: `0${upcA}` };
        return badCheck(code);
      }
    }
  }
  if (code.length < 4 || code.length > 32 || !PRINTABLE_ASCII.test(code)) return badFormat(code);
  return { ok: true, kind: DIGITS.test(code) ? 'internal' : 'code128', normalized: code };
}

// ---------------------------------------------------------------------------------------
// Label-scale barcodes (条码秤). The scale prints an in-store code (GS1 prefix 20–29) that
// carries the PLU and either the weight or the price. Its layout is set on the scale, so
// it is configured here as a pattern with one letter per digit:
//   0-9  literal digit          F  any digit (flag)        P  PLU digit
//   W    weight digit (grams)   $  price digit (fen)       X  ignored (e.g. price check)
//   C    check digit (GS1 mod-10 over all digits before it; last position)
// e.g. '2FPPPPPWWWWWC', '2FPPPPP$$$$$C', '22PPPPPWWWWWC', 18 digits '2FPPPPPWWWWW$$$$$C'.

export interface ScaleBarcode {
  /** PLU digits as printed (leading zeros kept: the lookup decides how to match). */
  plu: string;
  weightGrams?: number;
  priceFen?: number;
  /** The pattern that matched. */
  layout: string;
}

const LAYOUT_RE = /^[0-9FPW$X]+C$/;

/** Throws RangeError when a configured pattern cannot describe a scale code. */
export function checkScaleLayout(layout: string): void {
  if (!LAYOUT_RE.test(layout)) throw new RangeError(`条码秤格式无效：${layout}`);
  if (!layout.includes('P')) throw new RangeError(`条码秤格式缺少商品码 (P)：${layout}`);
  if (!layout.includes('W') && !layout.includes('$')) {
    throw new RangeError(`条码秤格式缺少重量 (W) 或金额 ($)：${layout}`);
  }
}

/**
 * Reads a label-scale code with the first layout that fits it (same length, literal
 * digits equal). Returns null when no layout fits or when the check digit is wrong;
 * validateBarcode then reports the bad check digit to the cashier.
 */
export function parseScaleBarcode(input: string, layouts: readonly string[]): ScaleBarcode | null {
  const code = normalizeCode(input);
  if (!DIGITS.test(code)) return null;
  for (const layout of layouts) {
    checkScaleLayout(layout);
    if (layout.length !== code.length) continue;
    let plu = '';
    let weight = '';
    let price = '';
    let fits = true;
    for (let i = 0; i < layout.length && fits; i++) {
      const p = layout[i];
      const c = code[i];
      if (p >= '0' && p <= '9') fits = p === c;
      else if (p === 'P') plu += c;
      else if (p === 'W') weight += c;
      else if (p === '$') price += c;
    }
    if (!fits) continue;
    if (!hasValidCheckDigit(code)) return null;
    const out: ScaleBarcode = { plu, layout };
    if (weight) out.weightGrams = Number(weight);
    if (price) out.priceFen = Number(price);
    return out;
  }
  return null;
}

/**
 * Builds a label-scale code for a layout (tests, seeds, a virtual scale). Fields are
 * zero-padded to their width; F and X take `flag` (default 0).
 */
export function makeScaleBarcode(
  layout: string,
  fields: { plu: string | number; weightGrams?: number; priceFen?: number; flag?: number },
): string {
  checkScaleLayout(layout);
  const fill = (letter: string, value: string | number | undefined): string => {
    const width = layout.split(letter).length - 1;
    if (width === 0) return '';
    const s = String(value ?? 0);
    if (!DIGITS.test(s) || s.length > width) throw new RangeError(`${letter} does not fit ${width} digits: ${s}`);
    return s.padStart(width, '0');
  };
  const plu = fill('P', fields.plu);
  const weight = fill('W', fields.weightGrams);
  const price = fill('$', fields.priceFen);
  const flag = String(fields.flag ?? 0);
  if (!/^\d$/.test(flag)) throw new RangeError(`flag must be one digit: ${flag}`);
  const idx = { P: 0, W: 0, $: 0 };
  let body = '';
  for (const p of layout.slice(0, -1)) {
    if (p === 'P') body += plu[idx.P++];
    else if (p === 'W') body += weight[idx.W++];
    else if (p === '$') body += price[idx.$++];
    else if (p === 'F' || p === 'X') body += flag;
    else body += p;
  }
  return body + gtinCheckDigit(body);
}
