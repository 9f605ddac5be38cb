// Serial receipt printer (RS-232 or a USB-serial adapter) through serialport.
import { SerialPort } from 'serialport';
import { PrintError, STATUS_QUERY, parseStatusBytes, status, type PrinterStatus, type ReceiptPrinter } from './types';

export interface SerialPrinterOptions {
  path: string;
  baudRate?: number;
  statusTimeoutMs?: number;
  /** For tests: a SerialPort-compatible constructor (e.g. SerialPortMock). */
  SerialPortClass?: typeof SerialPort;
}

export class SerialPrinter implements ReceiptPrinter {
  readonly name: string;
  private port: SerialPort | null = null;
  constructor(private readonly opts: SerialPrinterOptions) {
    this.name = `serial:${opts.path}`;
  }

  private async open(): Promise<SerialPort> {
    if (this.port?.isOpen) return this.port;
    const Ctor = this.opts.SerialPortClass ?? SerialPort;
    const port = new Ctor({ path: this.opts.path, baudRate: this.opts.baudRate ?? 9600, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    port.on('close', () => {
      if (this.port === port) this.port = null;
    });
    this.port = port;
    return port;
  }

  async status(): Promise<PrinterStatus> {
    let port: SerialPort;
    try {
      port = await this.open();
    } catch {
      return status('offline', '离线（串口无法打开）');
    }
    return new Promise((resolve) => {
      const got: number[] = [];
      const onData = (d: Buffer) => {
        got.push(...d);
        if (got.length >= 3) finish(parseStatusBytes(got));
      };
      const finish = (s: PrinterStatus) => {
        clearTimeout(timer);
        port.off('data', onData);
        resolve(s);
      };
      const timer = setTimeout(() => finish(status('offline', '离线（打印机无应答）')), this.opts.statusTimeoutMs ?? 1000);
      port.on('data', onData);
      port.write(STATUS_QUERY);
    });
  }

  async print(bytes: Buffer): Promise<void> {
    let port: SerialPort;
    try {
      port = await this.open();
    } catch (e) {
      throw new PrintError(`串口无法打开：${(e as Error).message}`, 'none', e);
    }
    try {
      await new Promise<void>((res, rej) => port.write(bytes, (e) => (e ? rej(e) : res())));
      await new Promise<void>((res, rej) => port.drain((e) => (e ? rej(e) : res())));
    } catch (e) {
      throw new PrintError(`串口写入失败：${(e as Error).message}`, 'unknown', e);
    }
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
