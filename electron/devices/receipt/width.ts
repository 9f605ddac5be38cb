// Display width on a receipt printer in Chinese mode (FS &), and padding / truncating /
// wrapping by that width. Pure: no Node, no DOM.
//
// The rule is the printer's, not the terminal's: in Chinese mode every byte < 0x80 prints as a
// 12-dot Font A cell (1 column) and every multi-byte GB18030 character prints as a 24-dot glyph
// (2 columns). So ASCII is 1 column and every other printable character is 2: CJK (龘), astral
// CJK (𠀀 U+20000, a 4-byte GB18030 sequence), fullwidth forms (￥ U+FFE5), and also the
// "ambiguous" ones such as × · “ ” that a terminal might draw narrow. The picture renderer uses
// the same function, so the preview and the paper agree.
//
// Text is sanitized first: control characters (which would be ESC/POS commands — a product
// named "\x1b@" must not reset the printer) and zero-width characters are removed, tabs become
// spaces, and text is NFC-normalized so that combining accents do not take their own column.

const ZERO_WIDTH = /[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufe00-\ufe0f\u0300-\u036f\u20d0-\u20ff]|\udb40[\udd00-\uddef]/gu;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Removes control and zero-width characters, tabs → one space, NFC. */
export function sanitize(text: string): string {
  return text.normalize('NFC').replace(/\t/g, ' ').replace(CONTROLS, '').replace(ZERO_WIDTH, '');
}

/** Columns taken by one code point (assumes sanitized text): 1 for ASCII, 2 for anything else. */
export function codePointWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || cp === 0x7f) return 0;
  return cp < 0x80 ? 1 : 2;
}

/** Display width in columns of (sanitized) text; iterates code points, so 𠀀 counts once (2). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += codePointWidth(ch.codePointAt(0)!);
  return w;
}

/** Cuts text to at most `width` columns; a wide character that does not fit is dropped whole. */
export function truncate(text: string, width: number, ellipsis = ''): string {
  if (displayWidth(text) <= width) return text;
  const ew = displayWidth(ellipsis);
  const room = Math.max(0, width - ew);
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = codePointWidth(ch.codePointAt(0)!);
    if (w + cw > room) break;
    out += ch;
    w += cw;
  }
  return ew <= width ? out + ellipsis : out;
}

/** Pads (or truncates) to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'center' | 'right' = 'left'): string {
  const t = truncate(text, width);
  const gap = width - displayWidth(t);
  if (align === 'right') return ' '.repeat(gap) + t;
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + t + ' '.repeat(gap - left);
  }
  return t + ' '.repeat(gap);
}

export const padEnd = (text: string, width: number): string => fit(text, width, 'left');
export const padStart = (text: string, width: number): string => fit(text, width, 'right');

/**
 * Wraps text into lines of at most `width` columns. Chinese breaks between any two characters;
 * runs of ASCII letters/digits/punctuation ("500ml", "T01-0042") are kept whole when they fit on a
 * line, and hard-split only when longer than a line. Leading spaces of continuation lines are
 * dropped; explicit "\n" starts a new line. Always returns at least one line.
 */
export function wrap(text: string, width: number): string[] {
  if (width < 2) throw new RangeError(`wrap width too small: ${width}`);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const tokens = sanitize(para).match(/[\x21-\x7e]+| +|[^\x20-\x7e]/gu) ?? [];
    let line = '';
    let w = 0;
    let wrapped = false;
    const flush = () => {
      out.push(line.replace(/ +$/, ''));
      line = '';
      w = 0;
      wrapped = true;
    };
    for (let tok of tokens) {
      let tw = displayWidth(tok);
      if (tok[0] === ' ') {
        if (w === 0 && wrapped) continue; // no leading spaces on a continuation line
        if (w + tw > width) {
          flush();
          continue;
        }
        line += tok;
        w += tw;
        continue;
      }
      if (w + tw > width && w > 0 && tw <= width) flush();
      while (w + tw > width) {
        // hard split of a token longer than the room left
        let head = '';
        let hw = 0;
        for (const ch of tok) {
          const cw = codePointWidth(ch.codePointAt(0)!);
          if (w + hw + cw > width) break;
          head += ch;
          hw += cw;
        }
        line += head;
        w += hw;
        tok = tok.slice(head.length);
        tw -= hw;
        flush();
      }
      line += tok;
      w += tw;
    }
    if (line !== '' || out.length === 0 || tokens.length === 0) flush();
  }
  return out;
}
