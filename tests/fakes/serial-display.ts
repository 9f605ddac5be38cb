// The device end of a customer display: collects what the till sends and decodes it into
// commands (CD5220 / 8-digit price display command sets), so tests assert on meaning, not bytes.
// Standalone: node --import tsx tests/fakes/serial-display.ts --path /tmp/ttyB  (prints commands)
import { pathToFileURL } from 'node:url';
import type { SerialPort } from 'serialport';
import { cliArg, closePort, openDeviceEnd } from './serial-port.js';

export type DisplayCommand =
  | { cmd: 'init' }
  | { cmd: 'clear' }
  /** ESC Q A: CD5220 upper line, or the 8-digit display's number. */
  | { cmd: 'lineA'; text: string }
  | { cmd: 'lineB'; text: string }
  | { cmd: 'lamp'; n: string }
  | { cmd: 'unknown'; hex: string };

/** Decode a complete byte stream; an incomplete trailing command is returned as `rest`. */
export function decodeDisplay(bytes: Buffer): { commands: DisplayCommand[]; rest: Buffer } {
  const commands: DisplayCommand[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x0c) {
      commands.push({ cmd: 'clear' });
      i++;
    } else if (b === 0x1b) {
      if (i + 1 >= bytes.length) break;
      const c = bytes[i + 1];
      if (c === 0x40) {
        commands.push({ cmd: 'init' });
        i += 2;
      } else if (c === 0x73) {
        if (i + 2 >= bytes.length) break;
        commands.push({ cmd: 'lamp', n: String.fromCharCode(bytes[i + 2]) });
        i += 3;
      } else if (c === 0x51) {
        if (i + 2 >= bytes.length) break;
        const end = bytes.indexOf(0x0d, i + 3);
        if (end < 0) break;
        const text = bytes.subarray(i + 3, end).toString('latin1');
        const which = bytes[i + 2];
        commands.push(which === 0x41 ? { cmd: 'lineA', text } : which === 0x42 ? { cmd: 'lineB', text } : { cmd: 'unknown', hex: bytes.subarray(i, end + 1).toString('hex') });
        i = end + 1;
      } else {
        commands.push({ cmd: 'unknown', hex: bytes.subarray(i, i + 2).toString('hex') });
        i += 2;
      }
    } else {
      commands.push({ cmd: 'unknown', hex: bytes.subarray(i, i + 1).toString('hex') });
      i++;
    }
  }
  return { commands, rest: bytes.subarray(i) };
}

export class FakeDisplayReader {
  private port: SerialPort | null = null;
  bytes = Buffer.alloc(0);

  constructor(private readonly path: string) {}

  async open(): Promise<void> {
    this.port = await openDeviceEnd(this.path);
    this.port.on('data', (d: Buffer) => {
      this.bytes = Buffer.concat([this.bytes, d]);
    });
  }

  commands(): DisplayCommand[] {
    return decodeDisplay(this.bytes).commands;
  }

  /** What a CD5220 would show now: the last upper and lower lines written. */
  screen(): { upper: string | null; lower: string | null } {
    let upper: string | null = null;
    let lower: string | null = null;
    for (const c of this.commands()) {
      if (c.cmd === 'clear' || c.cmd === 'init') upper = lower = null;
      if (c.cmd === 'lineA') upper = c.text;
      if (c.cmd === 'lineB') lower = c.text;
    }
    return { upper, lower };
  }

  reset(): void {
    this.bytes = Buffer.alloc(0);
  }

  async close(): Promise<void> {
    if (this.port) await closePort(this.port);
    this.port = null;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = cliArg('path');
  if (!path) throw new Error('usage: serial-display.ts --path /tmp/ttyB');
  const reader = new FakeDisplayReader(path);
  await reader.open();
  let shown = 0;
  setInterval(() => {
    const cmds = reader.commands();
    for (const c of cmds.slice(shown)) console.log(JSON.stringify(c));
    shown = cmds.length;
  }, 100);
}
