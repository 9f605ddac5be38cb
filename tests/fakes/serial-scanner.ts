// Fake serial barcode scanner: writes ASCII codes terminated by CR (or CRLF) to a pty.
// Standalone: node --import tsx tests/fakes/serial-scanner.ts --path /tmp/ttyB [--crlf] CODE...
//   (no codes: reads lines from stdin and "scans" each)
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { SerialPort } from 'serialport';
import { cliArg, closePort, openDeviceEnd, writeAll } from './serial-port.js';

export class FakeSerialScanner {
  private port: SerialPort | null = null;

  constructor(private readonly path: string) {}

  async open(): Promise<void> {
    this.port = await openDeviceEnd(this.path);
  }

  /** One scan. Real scanners send the whole code in one burst. */
  async scan(code: string, o: { crlf?: boolean } = {}): Promise<void> {
    if (!this.port) throw new Error('fake scanner not open');
    await writeAll(this.port, Buffer.from(code + (o.crlf ? '\r\n' : '\r'), 'latin1'));
  }

  /** Raw bytes, for noise and split-chunk cases. */
  async raw(bytes: Buffer): Promise<void> {
    if (!this.port) throw new Error('fake scanner not open');
    await writeAll(this.port, bytes);
  }

  async close(): Promise<void> {
    if (this.port) await closePort(this.port);
    this.port = null;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = cliArg('path');
  if (!path) throw new Error('usage: serial-scanner.ts --path /tmp/ttyB [--crlf] CODE...');
  const crlf = process.argv.includes('--crlf');
  const codes: string[] = [];
  for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i] === '--path') i++; // skip its value
    else if (!process.argv[i].startsWith('--')) codes.push(process.argv[i]);
  }
  const scanner = new FakeSerialScanner(path);
  await scanner.open();
  if (codes.length) {
    for (const c of codes) await scanner.scan(c, { crlf });
  } else {
    for await (const line of createInterface({ input: process.stdin })) if (line.trim()) await scanner.scan(line.trim(), { crlf });
  }
  await scanner.close();
}
