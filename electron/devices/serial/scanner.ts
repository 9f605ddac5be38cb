// Serial barcode scanner (9600 8N1, ASCII code terminated by CR or CRLF).
import { LineSplitter } from './line-splitter.js';
import { SerialDevice } from './serial-device.js';
import type { ScannerEvents, SerialDeviceOptions } from './types.js';

export type SerialScannerOptions = SerialDeviceOptions;

/**
 * A line is a barcode only if, after trimming spaces, it is non-empty printable ASCII.
 * Anything with control bytes is noise (wrong baud rate, a scanner's power-on burst).
 */
export function parseScanLine(line: Buffer): string | null {
  const text = line.toString('latin1').trim();
  if (!text) return null;
  return /^[\x20-\x7e]+$/.test(text) ? text : null;
}

export class SerialScanner extends SerialDevice<ScannerEvents> {
  private readonly lines = new LineSplitter();

  constructor(options: SerialScannerOptions) {
    super(options, '扫码枪');
  }

  protected onData(chunk: Buffer): void {
    for (const line of this.lines.push(chunk)) {
      const code = parseScanLine(line);
      if (code) this.emit('scan', code);
    }
  }

  protected override onPortClosed(): void {
    // Half a code from before a disconnect must not glue onto the next scan.
    this.lines.reset();
  }
}
