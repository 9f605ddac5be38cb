// USB receipt printer as a device file: /dev/usb/lp0 on Linux (usblp; the user must be in the
// `lp` group). On Windows a USB printer is reached through a shared printer ("\\\\localhost\\POS58",
// a raw/Generic-Text share) or the vendor's driver; `path` may be such a share path, which
// accepts raw writes but cannot answer status, so status reports 'ok' once the path exists.
import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { PrintError, STATUS_QUERY, parseStatusBytes, status, type PrinterStatus, type ReceiptPrinter } from './types';

export interface UsbPrinterOptions {
  /** e.g. /dev/usb/lp0 */
  path: string;
  /** Ask DLE EOT through the device file (usblp is bidirectional); default true on Linux. */
  readStatus?: boolean;
  statusTimeoutMs?: number;
}

export class UsbPrinter implements ReceiptPrinter {
  readonly name: string;
  constructor(private readonly opts: UsbPrinterOptions) {
    this.name = `usb:${opts.path}`;
  }

  async status(): Promise<PrinterStatus> {
    try {
      await access(this.opts.path, constants.W_OK);
    } catch {
      return status('offline', '离线（未找到 USB 打印机）');
    }
    if (!(this.opts.readStatus ?? process.platform === 'linux')) return status('ok');
    let fh;
    try {
      fh = await open(this.opts.path, constants.O_RDWR | constants.O_NONBLOCK);
      await fh.write(STATUS_QUERY);
      const got: number[] = [];
      const deadline = Date.now() + (this.opts.statusTimeoutMs ?? 1000);
      const buf = Buffer.alloc(16);
      while (got.length < 3 && Date.now() < deadline) {
        try {
          const { bytesRead } = await fh.read(buf, 0, buf.length, null);
          got.push(...buf.subarray(0, bytesRead));
          if (bytesRead === 0) await new Promise((r) => setTimeout(r, 20));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      // A printer that cannot answer over USB is treated as ready: it exists and takes data.
      return got.length >= 3 ? parseStatusBytes(got) : status('ok', '正常（无状态回读）');
    } catch {
      return status('offline');
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }

  async print(bytes: Buffer): Promise<void> {
    let fh;
    try {
      fh = await open(this.opts.path, 'a');
    } catch (e) {
      throw new PrintError(`无法打开打印机 ${this.opts.path}`, 'none', e);
    }
    try {
      await fh.write(bytes);
    } catch (e) {
      throw new PrintError(`写入打印机失败：${(e as Error).message}`, 'unknown', e);
    } finally {
      await fh.close().catch(() => undefined);
    }
  }
}
