// ESC/POS bytes → what a printer would print: text lines (alignment, size, bold, encoding),
// QR payloads, barcodes, raster images, feeds, cuts, drawer kicks, real-time status queries and
// real-time drawer pulses (DLE DC4 1).
// Used by the virtual printer (text + picture of each job), by the preview (so the preview is
// drawn from the very bytes that print) and by the tests and the fake printer.
// Incremental: feed chunks with push(); real-time commands (DLE EOT, GS r, DLE DC4) are reported
// as soon as they are complete, like a printer executes them mid-job.
import iconv from 'iconv-lite';
import { code128FromEscpos } from './code128';
import type { Align, TextSize } from './document';
import { displayWidth } from './width';

export interface DecodedRun {
  text: string;
  size: TextSize;
  bold: boolean;
}

export interface DecodedLine {
  text: string;
  align: Align;
  /** Size of the first run (a line from renderEscpos has one size). */
  size: TextSize;
  bold: boolean;
  runs: DecodedRun[];
  /** 'gb18030' when the printer was in Chinese mode (FS &), else the single-byte code page. */
  encoding: 'gb18030' | 'cp437';
  /** Columns used (display width × horizontal magnification, summed over runs). */
  columns: number;
}

export interface DecodedQr {
  data: string;
  model: number;
  moduleSize: number;
  ec: 'L' | 'M' | 'Q' | 'H';
  align: Align;
}

export interface DecodedBarcode {
  type: 'CODE128' | 'OTHER';
  /** The text a scanner reads. */
  data: string;
  /** Raw `GS k` data bytes. */
  raw: number[];
  /** CODE128 symbol values incl. start, check and stop. */
  values: number[];
  height: number;
  moduleWidth: number;
  hri: number;
  align: Align;
}

export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
  align: Align;
}

export interface DecodedDrawerKick {
  pin: 2 | 5;
  onMs: number;
  offMs: number;
  raw: number[];
}

/** `DLE DC4 1 m t`: a real-time drawer pulse, executed even while paper is out or the cover open. */
export interface DecodedDrawerPulse {
  pin: 2 | 5;
  /** On time (= off time), t × 100 ms. */
  pulseMs: number;
  raw: number[];
}

export type RealtimeQuery = { cmd: 'DLE EOT'; n: number } | { cmd: 'GS r'; n: number };

export type DecodedItem =
  | { type: 'text'; line: DecodedLine }
  | { type: 'qr'; qr: DecodedQr }
  | { type: 'barcode'; barcode: DecodedBarcode }
  | { type: 'image'; image: DecodedImage }
  | { type: 'feed'; lines: number; dots?: number }
  | { type: 'cut'; partial: boolean }
  | { type: 'drawer'; kick: DecodedDrawerKick }
  | { type: 'status'; query: RealtimeQuery }
  | { type: 'pulse'; pulse: DecodedDrawerPulse };

export interface DecodedJob {
  items: DecodedItem[];
  lines: DecodedLine[];
  qrs: DecodedQr[];
  barcodes: DecodedBarcode[];
  images: DecodedImage[];
  cuts: { partial: boolean }[];
  drawerKicks: DecodedDrawerKick[];
  statusQueries: RealtimeQuery[];
  /** Real-time drawer pulses (DLE DC4 1): not print data, they do not make a job print. */
  drawerPulses: DecodedDrawerPulse[];
  /** Commands seen, in order, by mnemonic ("ESC @", "FS &", …). */
  commands: string[];
  /** Bytes the decoder did not understand, and other anomalies. */
  errors: string[];
  /**
   * True when the job contains anything that prints (text, graphics, cut or drawer kick). Real-time
   * commands (status queries, drawer pulses) do not count.
   */
  printsSomething: boolean;
}

const ALIGNS: Align[] = ['left', 'center', 'right'];
const ECS = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' } as const;

export class EscposParser {
  private pending = Buffer.alloc(0);
  private align: Align = 'left';
  private size: TextSize = { w: 1, h: 1 };
  private bold = false;
  private chinese = false;
  private lineRuns: { bytes: number[]; size: TextSize; bold: boolean; chinese: boolean }[] = [];
  private lineAlign: Align | null = null;
  private qr = { model: 2, moduleSize: 3, ec: 'L' as DecodedQr['ec'], data: null as Buffer | null };
  private barcode = { height: 162, moduleWidth: 3, hri: 0 };
  private readonly job: DecodedJob = {
    items: [],
    lines: [],
    qrs: [],
    barcodes: [],
    images: [],
    cuts: [],
    drawerKicks: [],
    statusQueries: [],
    drawerPulses: [],
    commands: [],
    errors: [],
    printsSomething: false,
  };

  constructor(
    private readonly onRealtime?: (q: RealtimeQuery) => void,
    /** Called for each real-time drawer pulse as soon as it is complete (a printer fires it at once). */
    private readonly onPulse?: (p: DecodedDrawerPulse) => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    let pos = 0;
    while (pos < this.pending.length) {
      const used = this.step(this.pending, pos);
      if (used === 0) break; // incomplete command: wait for more bytes
      pos += used;
    }
    this.pending = this.pending.subarray(pos);
  }

  /** Ends the job: an unterminated last line is kept (a printer prints it on the next LF). */
  finish(): DecodedJob {
    if (this.pending.length) this.job.errors.push(`incomplete command at end: ${this.pending.toString('hex')}`);
    if (this.lineRuns.length) {
      this.job.errors.push('text without a final LF (not printed yet)');
      this.flushLine();
    }
    return this.job;
  }

  private item(it: DecodedItem): void {
    this.job.items.push(it);
    if (it.type !== 'status' && it.type !== 'pulse') this.job.printsSomething = true;
  }

  private flushLine(): void {
    const runs: DecodedRun[] = this.lineRuns.map((r) => ({
      text: iconv.decode(Buffer.from(r.bytes), r.chinese ? 'gb18030' : 'cp437'),
      size: r.size,
      bold: r.bold,
    }));
    const first = this.lineRuns[0];
    const line: DecodedLine = {
      text: runs.map((r) => r.text).join(''),
      align: this.lineAlign ?? this.align,
      size: first?.size ?? { ...this.size },
      bold: first?.bold ?? this.bold,
      runs,
      encoding: (first?.chinese ?? this.chinese) ? 'gb18030' : 'cp437',
      columns: runs.reduce((s, r) => s + displayWidth(r.text) * r.size.w, 0),
    };
    this.job.lines.push(line);
    this.item({ type: 'text', line });
    this.lineRuns = [];
    this.lineAlign = null;
  }

  private text(b: number): void {
    if (this.lineAlign === null) this.lineAlign = this.align;
    const last = this.lineRuns[this.lineRuns.length - 1];
    if (last && last.size.w === this.size.w && last.size.h === this.size.h && last.bold === this.bold && last.chinese === this.chinese) {
      last.bytes.push(b);
    } else {
      this.lineRuns.push({ bytes: [b], size: { ...this.size }, bold: this.bold, chinese: this.chinese });
    }
  }

  /** `DLE DC4 fn …` (real-time requests): fn 1 drawer pulse, 2 power-off, 7 status, 8 clear buffer. */
  private dleDc4(buf: Buffer, p: number, avail: number): number {
    const fn = buf[p + 2];
    const len = fn === 1 || fn === 2 ? 5 : fn === 7 ? 4 : fn === 8 ? 10 : 3;
    if (avail < len) return 0;
    this.job.commands.push('DLE DC4');
    if (len === 3) {
      this.job.errors.push(`unknown DLE DC4 fn ${fn}`);
      return 3;
    }
    if (fn !== 1) return len;
    const m = buf[p + 3];
    const t = buf[p + 4];
    if (m !== 0 && m !== 1) this.job.errors.push(`bad DLE DC4 pin ${m}`);
    if (t < 1 || t > 8) this.job.errors.push(`bad DLE DC4 pulse time ${t}`);
    const pulse: DecodedDrawerPulse = { pin: m === 0 ? 2 : 5, pulseMs: t * 100, raw: [...buf.subarray(p, p + 5)] };
    this.job.drawerPulses.push(pulse);
    this.item({ type: 'pulse', pulse });
    this.onPulse?.(pulse);
    return 5;
  }

  /** Parses one command or byte at `p`; returns bytes used, 0 when incomplete. */
  private step(buf: Buffer, p: number): number {
    const b = buf[p];
    const avail = buf.length - p;
    const cmd = (name: string) => this.job.commands.push(name);
    if (b === 0x0a) {
      this.flushLine();
      return 1;
    }
    if (b === 0x0d) return 1;
    if (b >= 0x20 && b !== 0x7f) {
      this.text(b);
      return 1;
    }
    if (b === 0x09) {
      this.text(0x20);
      return 1;
    }
    if (b === 0x10) {
      // DLE EOT n (n = 7, 8 take one more byte)
      if (avail < 3) return 0;
      if (buf[p + 1] === 0x14) return this.dleDc4(buf, p, avail);
      if (buf[p + 1] !== 0x04) {
        this.job.errors.push(`unknown DLE ${buf[p + 1].toString(16)}`);
        return 2;
      }
      const n = buf[p + 2];
      const len = n === 7 || n === 8 ? 4 : 3;
      if (avail < len) return 0;
      cmd('DLE EOT');
      const q: RealtimeQuery = { cmd: 'DLE EOT', n };
      this.job.statusQueries.push(q);
      this.item({ type: 'status', query: q });
      this.onRealtime?.(q);
      return len;
    }
    if (b === 0x1b) {
      if (avail < 2) return 0;
      const c = buf[p + 1];
      const arg = (k: number) => buf[p + 1 + k];
      const need = (n: number) => avail >= n;
      switch (c) {
        case 0x40: // ESC @
          cmd('ESC @');
          if (this.lineRuns.length) this.job.errors.push('ESC @ discarded an unprinted line'), (this.lineRuns = []);
          this.align = 'left';
          this.size = { w: 1, h: 1 };
          this.bold = false;
          this.chinese = false;
          return 2;
        case 0x21: {
          // ESC ! n: bold bit 3, double height bit 4, double width bit 5
          if (!need(3)) return 0;
          cmd('ESC !');
          const n = arg(1);
          this.bold = (n & 0x08) !== 0;
          this.size = { w: n & 0x20 ? 2 : 1, h: n & 0x10 ? 2 : 1 };
          return 3;
        }
        case 0x45: // ESC E n
          if (!need(3)) return 0;
          cmd('ESC E');
          this.bold = (arg(1) & 1) === 1;
          return 3;
        case 0x61: {
          // ESC a n
          if (!need(3)) return 0;
          cmd('ESC a');
          const n = arg(1) >= 48 ? arg(1) - 48 : arg(1);
          this.align = ALIGNS[n] ?? 'left';
          if (ALIGNS[n] === undefined) this.job.errors.push(`bad ESC a ${arg(1)}`);
          return 3;
        }
        case 0x64: // ESC d n: print and feed n lines
          if (!need(3)) return 0;
          cmd('ESC d');
          if (this.lineRuns.length) this.flushLine();
          this.item({ type: 'feed', lines: arg(1) });
          return 3;
        case 0x4a: // ESC J n: print and feed n dots
          if (!need(3)) return 0;
          cmd('ESC J');
          if (this.lineRuns.length) this.flushLine();
          this.item({ type: 'feed', lines: 0, dots: arg(1) });
          return 3;
        case 0x70: {
          // ESC p m t1 t2
          if (!need(5)) return 0;
          cmd('ESC p');
          const m = arg(1);
          const kick: DecodedDrawerKick = {
            pin: m === 0 || m === 48 ? 2 : 5,
            onMs: arg(2) * 2,
            offMs: arg(3) * 2,
            raw: [...buf.subarray(p, p + 5)],
          };
          if (![0, 1, 48, 49].includes(m)) this.job.errors.push(`bad ESC p pin ${m}`);
          this.job.drawerKicks.push(kick);
          this.item({ type: 'drawer', kick });
          return 5;
        }
        case 0x74: // ESC t n
        case 0x52: // ESC R n
        case 0x4d: // ESC M n
        case 0x2d: // ESC - n
        case 0x33: // ESC 3 n
        case 0x47: // ESC G n
          if (!need(3)) return 0;
          cmd(`ESC ${String.fromCharCode(c)}`);
          return 3;
        case 0x32: // ESC 2
          cmd('ESC 2');
          return 2;
        default:
          this.job.errors.push(`unknown ESC ${c.toString(16)}`);
          return 2;
      }
    }
    if (b === 0x1d) {
      if (avail < 2) return 0;
      const c = buf[p + 1];
      const arg = (k: number) => buf[p + 1 + k];
      const need = (n: number) => avail >= n;
      switch (c) {
        case 0x21: {
          // GS ! n
          if (!need(3)) return 0;
          cmd('GS !');
          const n = arg(1);
          const w = ((n >> 4) & 7) + 1;
          const h = (n & 7) + 1;
          if (w > 2 || h > 2) this.job.errors.push(`size ${w}x${h} beyond 2x2`);
          this.size = { w: Math.min(w, 2) as 1 | 2, h: Math.min(h, 2) as 1 | 2 };
          return 3;
        }
        case 0x56: {
          // GS V m [n]
          if (!need(3)) return 0;
          const m = arg(1);
          const withN = m === 65 || m === 66 || m >= 97;
          if (withN && !need(4)) return 0;
          cmd('GS V');
          if (this.lineRuns.length) this.flushLine();
          const partial = m === 1 || m === 49 || m === 66 || m === 98 || m === 104;
          this.job.cuts.push({ partial });
          this.item({ type: 'cut', partial });
          return withN ? 4 : 3;
        }
        case 0x48: // GS H n
        case 0x66: // GS f n
        case 0x68: // GS h n
        case 0x77: // GS w n
        case 0x42: // GS B n
          if (!need(3)) return 0;
          cmd(`GS ${String.fromCharCode(c)}`);
          if (c === 0x48) this.barcode.hri = arg(1) >= 48 ? arg(1) - 48 : arg(1);
          if (c === 0x68) this.barcode.height = arg(1);
          if (c === 0x77) this.barcode.moduleWidth = arg(1);
          return 3;
        case 0x72: {
          // GS r n: real-time-ish status
          if (!need(3)) return 0;
          cmd('GS r');
          const q: RealtimeQuery = { cmd: 'GS r', n: arg(1) };
          this.job.statusQueries.push(q);
          this.item({ type: 'status', query: q });
          this.onRealtime?.(q);
          return 3;
        }
        case 0x6b: {
          // GS k m ...
          if (!need(3)) return 0;
          const m = arg(1);
          let raw: Buffer;
          let used: number;
          if (m <= 6) {
            const end = buf.indexOf(0, p + 3);
            if (end < 0) return 0;
            raw = buf.subarray(p + 3, end);
            used = end - p + 1;
          } else {
            const n = arg(2);
            if (!need(4 + n)) return 0;
            raw = buf.subarray(p + 4, p + 4 + n);
            used = 4 + n;
          }
          cmd('GS k');
          if (this.lineRuns.length) this.flushLine();
          let data = raw.toString('latin1');
          let values: number[] = [];
          if (m === 73) {
            try {
              const s = code128FromEscpos(raw);
              data = s.text;
              values = s.values;
            } catch (e) {
              this.job.errors.push(`bad CODE128 data: ${(e as Error).message}`);
            }
          }
          const barcode: DecodedBarcode = {
            type: m === 73 ? 'CODE128' : 'OTHER',
            data,
            raw: [...raw],
            values,
            height: this.barcode.height,
            moduleWidth: this.barcode.moduleWidth,
            hri: this.barcode.hri,
            align: this.align,
          };
          this.job.barcodes.push(barcode);
          this.item({ type: 'barcode', barcode });
          return used;
        }
        case 0x28: {
          // GS ( k pL pH cn fn ...
          if (!need(5)) return 0;
          const len = arg(2) + arg(3) * 256;
          if (!need(5 + len)) return 0;
          if (arg(1) !== 0x6b) {
            this.job.errors.push(`unknown GS ( ${arg(1).toString(16)}`);
            return 5 + len;
          }
          cmd('GS ( k');
          const body = buf.subarray(p + 5, p + 5 + len);
          const [cn, fn] = body;
          if (cn !== 0x31) {
            this.job.errors.push(`GS ( k symbol ${cn} not QR`);
            return 5 + len;
          }
          if (fn === 0x41) this.qr.model = body[2] - 48;
          else if (fn === 0x43) this.qr.moduleSize = body[2];
          else if (fn === 0x45) this.qr.ec = ECS[body[2] as 48] ?? 'L';
          else if (fn === 0x50) this.qr.data = Buffer.from(body.subarray(3));
          else if (fn === 0x51) {
            if (this.lineRuns.length) this.flushLine();
            if (!this.qr.data) this.job.errors.push('QR print without stored data');
            else {
              const qr: DecodedQr = {
                data: this.qr.data.toString('latin1'),
                model: this.qr.model,
                moduleSize: this.qr.moduleSize,
                ec: this.qr.ec,
                align: this.align,
              };
              this.job.qrs.push(qr);
              this.item({ type: 'qr', qr });
            }
          }
          return 5 + len;
        }
        case 0x76: {
          // GS v 0 m xL xH yL yH d…
          if (!need(8)) return 0;
          if (arg(1) !== 0x30) {
            this.job.errors.push('unknown GS v');
            return 3;
          }
          const rowBytes = arg(3) + arg(4) * 256;
          const height = arg(5) + arg(6) * 256;
          const n = rowBytes * height;
          if (!need(8 + n)) return 0;
          cmd('GS v 0');
          if (this.lineRuns.length) this.flushLine();
          const image: DecodedImage = {
            width: rowBytes * 8,
            height,
            data: new Uint8Array(buf.subarray(p + 8, p + 8 + n)),
            align: this.align,
          };
          this.job.images.push(image);
          this.item({ type: 'image', image });
          return 8 + n;
        }
        default:
          this.job.errors.push(`unknown GS ${c.toString(16)}`);
          return 2;
      }
    }
    if (b === 0x1c) {
      if (avail < 2) return 0;
      const c = buf[p + 1];
      if (c === 0x26) {
        cmd('FS &');
        this.chinese = true;
        return 2;
      }
      if (c === 0x2e) {
        cmd('FS .');
        this.chinese = false;
        return 2;
      }
      if (c === 0x21 || c === 0x43 || c === 0x2d) {
        if (avail < 3) return 0;
        cmd(`FS ${String.fromCharCode(c)}`);
        return 3;
      }
      this.job.errors.push(`unknown FS ${c.toString(16)}`);
      return 2;
    }
    this.job.errors.push(`unexpected byte ${b.toString(16)}`);
    return 1;
  }
}

/** Decodes a whole job. */
export function decodeEscpos(bytes: Uint8Array): DecodedJob {
  const p = new EscposParser();
  p.push(bytes);
  return p.finish();
}

/** Plain-text rendering of a decoded job (the virtual printer's .txt), aligned in columns. */
export function decodedToText(job: DecodedJob, paperColumns: number): string {
  const out: string[] = [];
  for (const it of job.items) {
    if (it.type === 'text') {
      const l = it.line;
      const t = l.text;
      const gap = Math.max(0, paperColumns - l.columns);
      const pad = l.align === 'center' ? Math.floor(gap / 2) : l.align === 'right' ? gap : 0;
      const marks = `${l.size.w === 2 || l.size.h === 2 ? ` «${l.size.w}x${l.size.h}»` : ''}${l.bold ? ' «粗»' : ''}`;
      out.push(' '.repeat(pad) + t + (marks ? ' '.repeat(Math.max(1, gap - pad)) + marks : ''));
    } else if (it.type === 'qr') out.push(`[二维码 ${it.qr.data}]`);
    else if (it.type === 'barcode') out.push(`[条码 ${it.barcode.type} ${it.barcode.data}]`);
    else if (it.type === 'image') out.push(`[图片 ${it.image.width}×${it.image.height}]`);
    else if (it.type === 'feed') for (let i = 0; i < Math.min(it.lines, 3); i++) out.push('');
    else if (it.type === 'cut') out.push(it.partial ? '✂ ---- 半切 ----' : '✂ ---- 全切 ----');
    else if (it.type === 'drawer') out.push(`[钱箱 pin${it.kick.pin} ${it.kick.onMs}/${it.kick.offMs}ms]`);
    else if (it.type === 'pulse') out.push(`[钱箱实时脉冲 pin${it.pulse.pin} ${it.pulse.pulseMs}ms]`);
  }
  return out.join('\n') + '\n';
}
