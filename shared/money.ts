// Money is integer fen (分) everywhere; percentages are basis points (10000 = 100%).
// Every rounding rule of the till lives here so that sales, refunds, reports and the
// UI can never disagree by a fen. Pure: no Node, no DOM.

export type RoundingMode = 'none' | 'jiao' | 'yuan' | 'jiao_half';

export const ROUNDING_MODES: readonly RoundingMode[] = ['none', 'jiao', 'yuan', 'jiao_half'];

/**
 * Cash received with more change than this is checked on screen before it is taken (¥1,500 typed for
 * ¥52): the default of the 收银设置 'checkout.cashOverConfirmFen'. Here, not in the zod schemas, so the
 * payment screen reads it without loading zod.
 */
export const BIG_CHANGE_CHECK_FEN = 100_000;

/** Throws unless `n` is an integer that a double holds exactly. */
export function assertFen(n: number, what = 'amount'): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer, got ${n}`);
}

/** 1230 -> "¥12.30", -5 -> "-¥0.05". No thousands separators (receipts, keypads). */
export function formatYuan(fen: number): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const body = `¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return fen < 0 ? `-${body}` : body;
}

// Optional sign, optional yuan sign (either side of the minus), digits, up to 2 decimals.
const YUAN_RE = /^(-)?¥?(-)?(\d*)(?:\.(\d*))?$/;

/**
 * "12.3" -> 1230, "¥12.30" -> 1230, "-¥0.05" -> -5, "12" -> 1200.
 * Full-width input from a Chinese IME ("１２．３", "￥") is accepted.
 * Throws RangeError on garbage, more than 2 decimals, or amounts too large.
 */
export function parseYuan(text: string): number {
  const s = text.normalize('NFKC').replace(/\s+/g, '');
  const m = YUAN_RE.exec(s);
  const bad = () => new RangeError(`不是有效金额：${text}`);
  if (!m) throw bad();
  const [, minus1, minus2, int = '', frac] = m;
  if (minus1 && minus2) throw bad();
  if (int === '' && !frac) throw bad(); // "", ".", "-", "¥"
  if (frac !== undefined && frac.length > 2) throw bad();
  const fen = Number(int || '0') * 100 + Number((frac ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) throw bad();
  return minus1 || minus2 ? -fen || 0 : fen;
}

/**
 * round(a * b / c) in exact integer arithmetic, halves rounded up (away from zero for
 * negative results, so that f(-x) = -f(x) and a refund mirrors its sale).
 * Uses doubles while a*b is exact, BigInt beyond 2^53.
 */
export function mulDivRound(a: number, b: number, c: number): number {
  assertFen(a, 'a');
  assertFen(b, 'b');
  assertFen(c, 'c');
  if (c === 0) throw new RangeError('division by zero');
  const p = a * b;
  if (Number.isSafeInteger(p)) {
    const r = p % c; // exact for integers; sign follows p
    let q = (p - r) / c; // exact: p - r is a multiple of c
    if (2 * Math.abs(r) >= Math.abs(c)) q += (p < 0) !== (c < 0) ? -1 : 1;
    return q + 0; // no -0
  }
  const P = BigInt(a) * BigInt(b);
  const C = BigInt(c);
  const R = P % C;
  let Q = P / C; // truncates toward zero
  const absR = R < 0n ? -R : R;
  const absC = C < 0n ? -C : C;
  if (2n * absR >= absC) Q += (P < 0n) !== (C < 0n) ? -1n : 1n;
  const q = Number(Q);
  if (!Number.isSafeInteger(q)) throw new RangeError('result exceeds safe integer range');
  return q;
}

/** `basisPoints` of `fen`, rounded half up: percentOf(999, 1000) = 100 (10% of ¥9.99). */
export function percentOf(fen: number, basisPoints: number): number {
  return mulDivRound(fen, basisPoints, 10_000);
}

export interface Rounded {
  rounded: number;
  /** rounded - fen: ≤ 0 for 'jiao'/'yuan' on a positive amount, within ±5 for 'jiao_half'. */
  adjustment: number;
}

/**
 * 抹零. 'jiao'/'yuan' drop the fen/jiao (toward zero, so a negative amount also shrinks in
 * size and the customer is never charged more); 'jiao_half' rounds half up to the jiao
 * (half away from zero for negatives).
 */
export function roundTotal(fen: number, mode: RoundingMode): Rounded {
  assertFen(fen);
  let rounded: number;
  switch (mode) {
    case 'none':
      rounded = fen;
      break;
    case 'jiao':
      rounded = fen - (fen % 10);
      break;
    case 'yuan':
      rounded = fen - (fen % 100);
      break;
    case 'jiao_half':
      rounded = mulDivRound(fen, 1, 10) * 10;
      break;
    default:
      throw new RangeError(`unknown rounding mode: ${String(mode)}`);
  }
  rounded += 0; // no -0
  return { rounded, adjustment: rounded - fen };
}

/**
 * Split `totalFen` across `weights` proportionally, largest-remainder method: each part is
 * the floor of its exact share, then the leftover fen go one each to the largest
 * remainders (ties to the earlier index, so the result is deterministic). The parts always
 * sum exactly to the total, and each lies within 1 fen of its exact share.
 * Weights are non-negative integers (fen or qty). A negative total is split like its
 * absolute value, then negated. All-zero weights can only carry a zero total.
 */
export function allocate(totalFen: number, weights: readonly number[]): number[] {
  assertFen(totalFen, 'total');
  let sumW = 0;
  for (const w of weights) {
    assertFen(w, 'weight');
    if (w < 0) throw new RangeError(`weights must be non-negative, got ${w}`);
    sumW += w;
  }
  if (!Number.isSafeInteger(sumW)) throw new RangeError('sum of weights exceeds safe integer range');
  if (totalFen === 0) return weights.map(() => 0);
  if (sumW === 0) throw new RangeError('cannot allocate a non-zero amount over zero weights');
  if (totalFen < 0) return allocate(-totalFen, weights).map((x) => -x || 0);

  const parts: number[] = [];
  const rems: number[] = []; // numerators over the common denominator sumW: exact comparison
  let given = 0;
  const exact = weights.every((w) => Number.isSafeInteger(w * totalFen));
  for (const w of weights) {
    let q: number;
    let r: number;
    if (exact) {
      const p = w * totalFen;
      r = p % sumW;
      q = (p - r) / sumW;
    } else {
      const p = BigInt(w) * BigInt(totalFen);
      const S = BigInt(sumW);
      q = Number(p / S);
      r = Number(p % S); // < sumW, hence safe
    }
    parts.push(q);
    rems.push(r);
    given += q;
  }
  let left = totalFen - given; // < weights.length
  if (left > 0) {
    const order = rems.map((_, i) => i).sort((i, j) => rems[j] - rems[i] || i - j);
    for (const i of order) {
      if (left === 0) break;
      parts[i] += 1;
      left -= 1;
    }
  }
  return parts;
}

// 折 ↔ basis points. A shop says what the customer pays in tenths: 9折 pays 90 %, i.e. 1000 bp off;
// 8.5折 = 1500 bp off; 0折 = 10000 (everything off); 10折 = 0 (nothing off). One 折 is 1000 bp, so
// three decimals of 折 are exact basis points.

// Up to two digits, then up to three decimals (exact basis points). NFKC first: an IME types "８．５".
const ZHE_RE = /^(\d{0,2})(?:\.(\d{0,3}))?$/;

/**
 * The 折 typed → basis points off, or null when it is no 折 at all.
 * "9" → 1000, "8.5" → 1500, "8.55" → 1450, "10" → 0 (full price), "0" → 10000 (free).
 * Two digits without a point are the shop's written form 八五折 = "85折" = 8.5折: "85" → 1500,
 * "12" → 8800 (1.2折). Null for "", ".", "-1", "abc", "100", "10.5", "8.5555".
 * Callers decide which part of 0..10000 they accept (a cart discount takes neither 0 nor 10000).
 */
export function zheToBp(text: string): number | null {
  const s = text.normalize('NFKC').trim();
  const m = ZHE_RE.exec(s);
  if (!m) return null;
  const [, int, frac] = m;
  if (int === '' && !frac) return null; // "", "."
  let paid = Number(int || '0') * 1000 + Number((frac ?? '').padEnd(3, '0')); // thousandths of a 折
  if (frac === undefined && int.length === 2 && paid > 10_000) paid /= 10; // "85" = 8.5折 (11..99)
  return paid <= 10_000 ? 10_000 - paid : null;
}

/** Basis points off → the 折 to show: 1000 → "9", 1500 → "8.5", 1234 → "8.766", 0 → "10". Exact. */
export function bpToZhe(bp: number): string {
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > 10_000) throw new RangeError(`basis points must be an integer 0..10000, got ${bp}`);
  const paid = 10_000 - bp;
  const frac = String(paid % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${Math.floor(paid / 1000)}${frac ? `.${frac}` : ''}`;
}
