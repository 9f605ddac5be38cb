// Pure byte builders for customer displays (客显). All protocol bytes live in DISPLAY_BYTES so a
// model with different codes only needs a different table, not different code.

export type DisplayModel = 'cd5220' | 'price8';
export type Lamp = 'off' | 'price' | 'total' | 'paid' | 'change';

export const DISPLAY_BYTES = {
  /** ESC @ — reset the display (both models). */
  init: Buffer.from([0x1b, 0x40]),
  /** FF — clear the screen (both models). */
  clear: Buffer.from([0x0c]),
  /** Terminates a line / digit string. */
  end: Buffer.from([0x0d]),
  /** CD5220: ESC Q A <text> CR writes the upper line. */
  upperLine: Buffer.from([0x1b, 0x51, 0x41]),
  /** CD5220: ESC Q B <text> CR writes the lower line. */
  lowerLine: Buffer.from([0x1b, 0x51, 0x42]),
  /** 8-digit price display: ESC Q A <digits> CR shows the number. */
  digits: Buffer.from([0x1b, 0x51, 0x41]),
  /** 8-digit price display: ESC s <n> lights one lamp (单价/总计/收款/找零). */
  lamp: Buffer.from([0x1b, 0x73]),
  lampCodes: { off: 0x30, price: 0x31, total: 0x32, paid: 0x33, change: 0x34 } satisfies Record<Lamp, number>,
} as const;

export const CD5220_COLUMNS = 20;
export const PRICE8_DIGITS = 8;

/** 1230 fen → "12.30". Integer math only: fen are integers all the way through the till. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount must be integer fen, got ${fen}`);
  const abs = Math.abs(fen);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return fen < 0 ? `-${s}` : s;
}

/** CD5220 shows ASCII only: anything else would print as the display's own code page garbage. */
export function toDisplayAscii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
}

/** Exactly 20 columns: left text, right text, spaces between; shorter writes would leave old characters. */
export function layoutLine(left: string, right = ''): string {
  const r = toDisplayAscii(right).slice(0, CD5220_COLUMNS);
  const room = CD5220_COLUMNS - r.length - (r ? 1 : 0);
  const l = toDisplayAscii(left).slice(0, Math.max(0, room));
  return l + ' '.repeat(CD5220_COLUMNS - l.length - r.length) + r;
}

export function cd5220Init(): Buffer {
  return Buffer.concat([DISPLAY_BYTES.init, DISPLAY_BYTES.clear]);
}

/** Keep a prepared line's spacing; only drop non-ASCII and fit it to 20 columns. */
function fitLine(text: string): Buffer {
  return Buffer.from(text.replace(/[^\x20-\x7e]/g, '').slice(0, CD5220_COLUMNS).padEnd(CD5220_COLUMNS), 'latin1');
}

/** Both lines, each padded to 20 columns. */
export function cd5220Lines(upper: string, lower: string): Buffer {
  return Buffer.concat([
    DISPLAY_BYTES.upperLine,
    fitLine(upper),
    DISPLAY_BYTES.end,
    DISPLAY_BYTES.lowerLine,
    fitLine(lower),
    DISPLAY_BYTES.end,
  ]);
}

/** Digit string for the 8-digit display: at most 8 digits plus point and sign. */
export function price8Digits(fen: number): string {
  const s = formatFen(fen);
  if (s.replace(/[.-]/g, '').length > PRICE8_DIGITS) throw new RangeError(`amount ${s} does not fit 8 digits`);
  return s;
}

export function price8Lamp(lamp: Lamp): Buffer {
  return Buffer.concat([DISPLAY_BYTES.lamp, Buffer.from([DISPLAY_BYTES.lampCodes[lamp]])]);
}

/** Light the lamp, then show the amount. */
export function price8Show(fen: number, lamp: Lamp): Buffer {
  return Buffer.concat([
    price8Lamp(lamp),
    DISPLAY_BYTES.digits,
    Buffer.from(price8Digits(fen), 'latin1'),
    DISPLAY_BYTES.end,
  ]);
}

export function price8Clear(): Buffer {
  return Buffer.concat([DISPLAY_BYTES.clear, price8Lamp('off')]);
}

export function price8Init(): Buffer {
  return Buffer.concat([DISPLAY_BYTES.init, price8Clear()]);
}
