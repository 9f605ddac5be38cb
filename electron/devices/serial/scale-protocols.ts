// Pure parsers for continuous-output retail scales. No ports here, so they unit-test on bytes.
//
// Two families are common behind Chinese shop counters:
//  - text:   "ST,GS,+  1.234kg\r\n"  (ST stable / US unstable / OL overload; GS gross / NT net)
//  - Toledo: STX SWA SWB SWC wwwwww tttttt CR [checksum]  (Mettler-Toledo "continuous output")
// Weights become integer grams: money is priced per gram/500 g and floats would drift.

export type ScaleProtocol = 'auto' | 'text' | 'toledo';
/** What to do with a scale that reports pounds. Default 'refuse': a till in China with lb is misconfigured. */
export type PoundPolicy = 'refuse' | 'convert';

export interface ScaleReading {
  /** Weight as the scale reports it (net when `net`), signed, in grams. */
  grams: number;
  stable: boolean;
  overload: boolean;
  /** The scale itself reports a net weight (it holds a tare). */
  net: boolean;
  /** Tare reported by the scale, in grams, when the protocol carries it (Toledo); else null. */
  tareGrams: number | null;
}

export type ParseResult =
  | { ok: true; reading: ScaleReading }
  | { ok: false; reason: 'garbage' | 'unit'; detail: string };

export interface ParseOptions {
  protocol?: ScaleProtocol;
  pounds?: PoundPolicy;
}

const STX = 0x02;
const GRAMS_PER_POUND = 453.59237;
type Unit = 'kg' | 'g' | 'lb';

const garbage = (detail: string): ParseResult => ({ ok: false, reason: 'garbage', detail });

/**
 * Exact decimal → grams: "1.234" kg is 1234 g, never 1233.9999. Integer mantissa times factor,
 * divided by a power of ten, is exact for shop-scale magnitudes; Math.round picks the nearest gram.
 */
export function toGrams(mantissa: number, decimals: number, unit: Unit): number {
  const factor = unit === 'kg' ? 1000 : unit === 'g' ? 1 : GRAMS_PER_POUND;
  const v = decimals >= 0 ? (mantissa * factor) / 10 ** decimals : mantissa * factor * 10 ** -decimals;
  return Math.round(v) + 0; // + 0 turns -0 into 0
}

function unitResult(unit: Unit, pounds: PoundPolicy): ParseResult | null {
  if (unit === 'lb' && pounds === 'refuse') return { ok: false, reason: 'unit', detail: 'lb' };
  return null;
}

const TEXT_FRAME = /^(ST|US|OL)\s*,\s*(GS|NT)\s*,\s*([+-]?)\s*(\d*)(?:\.(\d*))?\s*(kg|g|lb)\s*$/i;
const TEXT_OVERLOAD = /^OL\s*,\s*(GS|NT)\b/i;

/** "ST,GS,+  1.234kg" (CR/LF already stripped). */
export function parseTextFrame(line: string, pounds: PoundPolicy = 'refuse'): ParseResult {
  const m = TEXT_FRAME.exec(line.trim());
  if (!m) {
    // Overload frames often carry dashes or blanks instead of digits: still meaningful.
    const ol = TEXT_OVERLOAD.exec(line.trim());
    if (ol) {
      const reading = { grams: 0, stable: false, overload: true, net: ol[1].toUpperCase() === 'NT', tareGrams: null };
      return { ok: true, reading };
    }
    return garbage(line);
  }
  const [, status, mode, sign, intPart, fracPart = '', unitRaw] = m;
  if (!intPart && !fracPart) return garbage(line);
  const unit = unitRaw.toLowerCase() as Unit;
  const refused = unitResult(unit, pounds);
  if (refused) return refused;
  const grams = toGrams(Number(intPart + fracPart), fracPart.length, unit) * (sign === '-' ? -1 : 1);
  const st = status.toUpperCase();
  return {
    ok: true,
    reading: {
      grams: grams + 0,
      stable: st === 'ST',
      overload: st === 'OL',
      net: mode.toUpperCase() === 'NT',
      tareGrams: null,
    },
  };
}

/**
 * Toledo decimal point code (SWA bits 0–2) → number of decimals.
 * 0 = XXXX00, 1 = XXXXX0, 2 = XXXXXX, 3 = XXXXX.X … 7 = X.XXXXX
 */
const TOLEDO_DECIMALS = [-2, -1, 0, 1, 2, 3, 4, 5] as const;

function toledoDigits(field: Buffer): number | null {
  const s = field.toString('latin1').replace(/ /g, '0');
  return /^\d{6}$/.test(s) ? Number(s) : null;
}

/** One Toledo frame starting at STX (terminating CR and checksum already stripped). */
export function parseToledoFrame(frame: Buffer, pounds: PoundPolicy = 'refuse'): ParseResult {
  if (frame.length < 16 || frame[0] !== STX) return garbage(frame.toString('hex'));
  // Bit 7 may be a parity bit when the scale is set to 7E1 but we read 8N1: mask it off.
  const swa = frame[1] & 0x7f;
  const swb = frame[2] & 0x7f;
  const swc = frame[3] & 0x7f;
  // Bit 5 of SWA and SWB is always 1: a cheap check that we are really looking at status words.
  if (!(swa & 0x20) || !(swb & 0x20)) return garbage(frame.toString('hex'));
  const w = toledoDigits(frame.subarray(4, 10));
  const t = toledoDigits(frame.subarray(10, 16));
  if (w === null || t === null) return garbage(frame.toString('hex'));

  const unitCode = swc & 0x07; // 0: lb or kg per SWB bit 4; 1: grams; others (t, oz, …) unsupported
  let unit: Unit;
  if (unitCode === 0) unit = swb & 0x10 ? 'kg' : 'lb';
  else if (unitCode === 1) unit = 'g';
  else return { ok: false, reason: 'unit', detail: `SWC unit code ${unitCode}` };
  const refused = unitResult(unit, pounds);
  if (refused) return refused;

  const decimals = TOLEDO_DECIMALS[swa & 0x07];
  const negative = (swb & 0x02) !== 0;
  return {
    ok: true,
    reading: {
      grams: toGrams(w, decimals, unit) * (negative ? -1 : 1) + 0,
      stable: (swb & 0x08) === 0, // bit 3 = in motion
      overload: (swb & 0x04) !== 0, // bit 2 = over capacity / under zero
      net: (swb & 0x01) !== 0,
      tareGrams: toGrams(t, decimals, unit),
    },
  };
}

/** Parse one frame as produced by ScaleFramer. */
export function parseScaleFrame(frame: Buffer, options: ParseOptions = {}): ParseResult {
  const protocol = options.protocol ?? 'auto';
  const pounds = options.pounds ?? 'refuse';
  if (protocol === 'toledo' || (protocol === 'auto' && frame[0] === STX)) return parseToledoFrame(frame, pounds);
  return parseTextFrame(frame.toString('latin1'), pounds);
}

/**
 * Cuts the stream into frames at CR/LF. A Toledo frame may be followed by a checksum byte,
 * which then sits in front of the next STX: we start each frame at its last STX.
 */
export class ScaleFramer {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxLength = 256) {}

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < this.buf.length; i++) {
      if (this.buf[i] !== 0x0d && this.buf[i] !== 0x0a) continue;
      let piece = this.buf.subarray(start, i);
      const stx = piece.lastIndexOf(STX);
      if (stx > 0) piece = piece.subarray(stx);
      if (piece.length) frames.push(piece);
      start = i + 1;
    }
    this.buf = this.buf.subarray(start);
    if (this.buf.length > this.maxLength) this.buf = Buffer.alloc(0);
    return frames;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }
}

// ---------------------------------------------------------------- builders (for fakes and tests)

/** "ST,GS,+  1.234kg\r\n" for a weight in grams. */
export function buildTextFrame(grams: number, o: { stable?: boolean; overload?: boolean; net?: boolean } = {}): Buffer {
  const status = o.overload ? 'OL' : o.stable === false ? 'US' : 'ST';
  const sign = grams < 0 ? '-' : '+';
  const abs = Math.abs(grams);
  const kg = `${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
  return Buffer.from(`${status},${o.net ? 'NT' : 'GS'},${sign}${kg.padStart(7, ' ')}kg\r\n`, 'latin1');
}

/** Toledo continuous frame in kg with 3 decimals (SWA dp code 5). */
export function buildToledoFrame(
  grams: number,
  o: { stable?: boolean; overload?: boolean; net?: boolean; tareGrams?: number } = {},
): Buffer {
  const swa = 0x20 | 0x08 | 5; // bit5 always set, count-by 1, 3 decimals
  let swb = 0x20 | 0x10; // bit5 always set, kg
  if (o.net) swb |= 0x01;
  if (grams < 0) swb |= 0x02;
  if (o.overload) swb |= 0x04;
  if (o.stable === false) swb |= 0x08;
  const swc = 0x20;
  const digits = (n: number) => String(Math.abs(n)).padStart(6, '0');
  return Buffer.concat([
    Buffer.from([STX, swa, swb, swc]),
    Buffer.from(digits(grams) + digits(o.tareGrams ?? 0), 'latin1'),
    Buffer.from([0x0d]),
  ]);
}
