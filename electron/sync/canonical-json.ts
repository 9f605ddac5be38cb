// JSON that keeps big integers exact, and the canonical form Doudian signs (PLATFORMS.md §2.2, §0.6):
// keys sorted at every level, no whitespace, no HTML escaping, numbers as written, U+2028/U+2029
// escaped as Go's encoder writes them. Doudian's ids are 19-digit numbers sent as bare JSON numbers;
// JSON.parse would round them, so responses are read with lossless-json and ids kept as strings.
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export { LosslessNumber };

/** A bare JSON number written exactly as the given digits (a 19-digit id). */
export function bigNumber(digits: string): LosslessNumber {
  if (!/^-?\d+$/.test(digits)) throw new Error(`not an integer: ${digits}`);
  return new LosslessNumber(digits);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !isLosslessNumber(v)) {
    const out: Record<string, unknown> = {};
    // Go sorts map keys by their UTF-8 bytes; for the ASCII keys of these APIs that is code-unit order.
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** The canonical param_json of a Doudian request. */
export function canonicalJson(value: unknown): string {
  const s = stringify(sortKeys(value));
  if (s === undefined) throw new Error('canonicalJson: nothing to write');
  return s.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Parses JSON; every number comes back as a LosslessNumber (read it with num() / id()). */
export function parseLossless(text: string): unknown {
  return parse(text);
}

/** A numeric field as a JS number (fen, counts, seconds): refuses one that would lose digits. */
export function num(v: unknown): number {
  if (isLosslessNumber(v)) return v.valueOf() as number;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  throw new TypeError(`not a number: ${String(v)}`);
}

/** An id field (number or string on the wire) as its exact digits. */
export function id(v: unknown): string {
  if (isLosslessNumber(v)) return v.toString();
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new TypeError(`not an id: ${String(v)}`);
}
