// CODE128 for receipt numbers: the `GS k 73` data with `{B` / `{C` code-set prefixes that
// ESC/POS printers expect, and the bar pattern (for the picture and for checking scannability).
// Pure: no Node, no DOM.

// Bar/space widths of symbol values 0–106 (106 = stop, 7 elements). ISO/IEC 15417.
const PATTERNS = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 ' +
  '221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 ' +
  '221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 ' +
  '212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 ' +
  '231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 ' +
  '231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 ' +
  '314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 ' +
  '112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 ' +
  '111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 ' +
  '214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 ' +
  '114131 311141 411131 211412 211214 211232 2331112'
).split(' ');

export const CODE128_PATTERNS: readonly string[] = PATTERNS;
const START_A = 103;
const START_B = 104;
const START_C = 105;
const STOP = 106;

/**
 * ESC/POS `GS k 73` data for `text` (printable ASCII): starts in code set B (`{B`) and switches
 * to code set C (`{C`, two digits per byte) for runs of 4+ digits, which keeps a receipt number
 * such as T01-20261125-0042 narrow enough for 58 mm paper at 2 dots per module.
 */
export function escposCode128Data(text: string): Buffer {
  if (!/^[\x20-\x7e]+$/.test(text)) throw new RangeError(`CODE128 needs printable ASCII: ${JSON.stringify(text)}`);
  const out: number[] = [0x7b, 0x42]; // {B
  let set: 'B' | 'C' = 'B';
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    let run = j - i;
    if (run >= 4) {
      if (run % 2 === 1) {
        // odd run: first digit stays in B
        if (set !== 'B') out.push(0x7b, 0x42), (set = 'B');
        out.push(text.charCodeAt(i));
        i++;
        run--;
      }
      if (set !== 'C') out.push(0x7b, 0x43), (set = 'C');
      for (let k = i; k < i + run; k += 2) out.push(Number(text.slice(k, k + 2)));
      i += run;
      continue;
    }
    if (set !== 'B') out.push(0x7b, 0x42), (set = 'B');
    const c = text.charCodeAt(i);
    if (c === 0x7b) out.push(0x7b, 0x7b);
    else out.push(c);
    i++;
  }
  return Buffer.from(out);
}

export interface Code128Symbols {
  /** Symbol values including start, check and stop. */
  values: number[];
  /** The encoded text (what a scanner reads). */
  text: string;
}

/** Symbol values and text from `GS k 73` data, as a printer interprets the `{X` prefixes. */
export function code128FromEscpos(data: Uint8Array): Code128Symbols {
  if (data.length < 2 || data[0] !== 0x7b || ![0x41, 0x42, 0x43].includes(data[1])) {
    throw new RangeError('CODE128 data must start with {A, {B or {C');
  }
  let set = String.fromCharCode(data[1]) as 'A' | 'B' | 'C';
  const values: number[] = [set === 'A' ? START_A : set === 'B' ? START_B : START_C];
  let text = '';
  for (let i = 2; i < data.length; i++) {
    const b = data[i];
    if (b === 0x7b) {
      const n = data[++i];
      if (n === undefined) throw new RangeError('CODE128 data ends after {');
      const ch = String.fromCharCode(n);
      if (ch === '{' && set !== 'C') {
        values.push(set === 'B' ? 0x7b - 32 : 0x7b - 32);
        text += '{';
      } else if (ch === 'A' || ch === 'B' || ch === 'C') {
        if (ch !== set) values.push(ch === 'A' ? 101 : ch === 'B' ? 100 : 99);
        set = ch;
      } else if (ch === '1') values.push(102);
      else throw new RangeError(`unsupported CODE128 function {${ch}`);
      continue;
    }
    if (set === 'C') {
      if (b > 99) throw new RangeError(`code set C value out of range: ${b}`);
      values.push(b);
      text += String(b).padStart(2, '0');
    } else if (set === 'B') {
      if (b < 0x20 || b > 0x7f) throw new RangeError(`code set B byte out of range: ${b}`);
      values.push(b - 32);
      text += String.fromCharCode(b);
    } else {
      if (b > 0x5f) throw new RangeError(`code set A byte out of range: ${b}`);
      values.push(b < 0x20 ? b + 64 : b - 32);
      text += String.fromCharCode(b);
    }
  }
  let sum = values[0];
  for (let k = 1; k < values.length; k++) sum += k * values[k];
  values.push(sum % 103, STOP);
  return { values, text };
}

/** Module widths, alternating bar, space, bar … (starts and ends with a bar). */
export function code128Modules(values: readonly number[]): number[] {
  const widths: number[] = [];
  for (const v of values) for (const d of PATTERNS[v]) widths.push(Number(d));
  return widths;
}

/** Total width in modules, without quiet zones. */
export function code128ModuleCount(values: readonly number[]): number {
  return code128Modules(values).reduce((a, b) => a + b, 0);
}

/** Reads symbol values back from module widths (what a scanner does), checking the checksum. */
export function code128Scan(widths: readonly number[]): string {
  const values: number[] = [];
  let i = 0;
  while (i < widths.length) {
    const isStop = widths.length - i === 7;
    const n = isStop ? 7 : 6;
    const key = widths.slice(i, i + n).join('');
    const v = PATTERNS.indexOf(key);
    if (v < 0) throw new RangeError(`unknown CODE128 pattern ${key}`);
    values.push(v);
    i += n;
  }
  if (values[values.length - 1] !== STOP) throw new RangeError('no stop symbol');
  const body = values.slice(0, -2);
  let sum = body[0];
  for (let k = 1; k < body.length; k++) sum += k * body[k];
  if (sum % 103 !== values[values.length - 2]) throw new RangeError('CODE128 checksum mismatch');
  let set = body[0] === START_A ? 'A' : body[0] === START_B ? 'B' : 'C';
  let text = '';
  for (const v of body.slice(1)) {
    if (set === 'C' && v < 100) text += String(v).padStart(2, '0');
    else if (v === 99) set = 'C';
    else if (v === 100) set = 'B';
    else if (v === 101) set = 'A';
    else if (v === 102) continue;
    else text += String.fromCharCode(set === 'A' && v >= 64 ? v - 64 : v + 32);
  }
  return text;
}
