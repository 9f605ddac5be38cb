// Network receipt printer (raw TCP, port 9100). Print data goes through node-thermal-printer's
// TCP transport (`add(bytes)` + `execute()`); the bytes are built by receipt/escpos.ts, never by
// node-thermal-printer's text helpers (see TESTING.md for why). Status is asked here on a socket
// of our own with DLE EOT 1, 2 and 4: `isPrinterConnected()` only says a TCP connect worked.
import { connect } from 'node:net';
import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { PrintError, STATUS_QUERY, parseStatusBytes, status, type PrinterStatus, type ReceiptPrinter } from './types';

export interface NetworkPrinterOptions {
  host: string;
  port?: number;
  /** Connect / send timeout, ms (default 5000). */
  timeoutMs?: number;
  /** How long to wait for the three status bytes, ms (default 1500). */
  statusTimeoutMs?: number;
  /** Some drawers report "open" with the sensor bit clear. */
  invertDrawerSensor?: boolean;
}

// Errors that prove nothing reached the printer.
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

export class NetworkPrinter implements ReceiptPrinter {
  readonly name: string;
  private readonly port: number;

  constructor(private readonly opts: NetworkPrinterOptions) {
    this.port = opts.port ?? 9100;
    this.name = `tcp://${opts.host}:${this.port}`;
  }

  status(): Promise<PrinterStatus> {
    const timeout = this.opts.statusTimeoutMs ?? 1500;
    return new Promise((resolve) => {
      const got: number[] = [];
      let done = false;
      const sock = connect({ host: this.opts.host, port: this.port });
      const finish = (s: PrinterStatus) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        sock.destroy();
        resolve(s);
      };
      const timer = setTimeout(
        () => finish(got.length ? status('error', '打印机状态应答不完整') : status('offline', '离线（打印机无应答）')),
        timeout,
      );
      sock.on('connect', () => sock.write(STATUS_QUERY));
      sock.on('data', (d: Buffer) => {
        got.push(...d);
        if (got.length >= 3) finish(parseStatusBytes(got, this.opts.invertDrawerSensor));
      });
      sock.on('error', () => finish(status('offline')));
      sock.on('close', () => finish(got.length >= 3 ? parseStatusBytes(got) : status('offline')));
    });
  }

  async print(bytes: Buffer): Promise<void> {
    const printer = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      interface: `tcp://${this.opts.host}:${this.port}`,
      options: { timeout: this.opts.timeoutMs ?? 5000 },
    });
    printer.clear();
    printer.add(bytes);
    try {
      await printer.execute();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException)?.code;
      const delivered = code && NOT_DELIVERED.has(code) ? 'none' : 'unknown';
      throw new PrintError(`打印机连接失败：${(e as Error)?.message ?? e}`, delivered, e);
    }
  }
}
