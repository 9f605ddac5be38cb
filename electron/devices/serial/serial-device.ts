// Base class for serial devices: owns the port, reconnects when it vanishes (USB-serial
// adapters get unplugged, shops kick cables) and keeps a cashier-readable status.
// Subclasses only deal with bytes: onData() in, write() out.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type {
  Device,
  DeviceEvents,
  DeviceStatus,
  PortFactory,
  PortOpenOptions,
  SerialDeviceOptions,
  SerialPortLike,
} from './types.js';

const defaultPortFactory: PortFactory = (o) => new SerialPort({ ...o, autoOpen: false });

/** Any byte stream error we classify for the cashier. */
function describeOpenError(err: Error): { state: 'missing' | 'error'; reason: string } {
  const m = err.message;
  // Real binding: "No such file or directory"; MockBinding: "Port does not exist"; Windows: "File not found".
  if (/ENOENT|No such file|does not exist|File not found|cannot find/i.test(m)) return { state: 'missing', reason: m };
  if (/EACCES|Permission denied|Access denied/i.test(m)) return { state: 'error', reason: '没有权限' };
  if (/EBUSY|busy|locked|in use/i.test(m)) return { state: 'error', reason: '串口被其他程序占用' };
  return { state: 'error', reason: m };
}

export abstract class SerialDevice<E extends Record<keyof E, unknown[]> & DeviceEvents>
  extends EventEmitter<E>
  implements Device<E>
{
  protected readonly path: string;
  protected readonly label: string;
  private readonly openOptions: PortOpenOptions;
  private readonly portFactory: PortFactory;
  private readonly reconnectMs: number;
  private port: SerialPortLike | null = null;
  private wanted = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pathWatch: NodeJS.Timeout | null = null;
  private statusNow: DeviceStatus;

  constructor(options: SerialDeviceOptions, defaultLabel: string) {
    super();
    this.path = options.path;
    this.label = options.label ?? defaultLabel;
    this.openOptions = {
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      dataBits: options.dataBits ?? 8,
      stopBits: options.stopBits ?? 1,
      parity: options.parity ?? 'none',
    };
    this.portFactory = options.portFactory ?? defaultPortFactory;
    this.reconnectMs = options.reconnectMs ?? 2000;
    this.statusNow = { state: 'offline', message: `${this.label}未启用` };
  }

  status(): DeviceStatus {
    return { ...this.statusNow };
  }

  isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  /** Resolves after the first attempt; if it failed the status says why and we keep retrying. */
  async open(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    await this.connect();
  }

  async close(): Promise<void> {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopPathWatch();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.onPortClosed();
    this.setStatus({ state: 'offline', message: `${this.label}未启用` });
  }

  /** Write and wait until the bytes left our buffers. Rejects when the port is not open. */
  protected write(data: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new Error(`${this.label}未连接`));
    return new Promise((resolve, reject) => {
      port.write(data, (err) => {
        if (err) return reject(err);
        port.drain((err2) => (err2 ? reject(err2) : resolve()));
      });
    });
  }

  protected setStatus(next: DeviceStatus): void {
    if (next.state === this.statusNow.state && next.message === this.statusNow.message) return;
    this.statusNow = next;
    // The generic map E always contains 'status' (E extends DeviceEvents); TS cannot see that through the generic.
    (this as unknown as EventEmitter<DeviceEvents>).emit('status', { ...next });
  }

  /** Bytes from the device. */
  protected abstract onData(chunk: Buffer): void;
  /** Called after every successful (re)open, e.g. to send an init sequence. */
  protected onPortOpened(): void | Promise<void> {}
  /** Called when the port closed for any reason (drop partial frames here). */
  protected onPortClosed(): void {}

  private connect(): Promise<void> {
    if (!this.wanted) return Promise.resolve();
    const port = this.portFactory(this.openOptions);
    return new Promise<void>((resolve) => {
      port.open((err) => {
        if (err || !this.wanted) {
          if (err && this.wanted) {
            const { state, reason } = describeOpenError(err);
            this.setStatus({
              state,
              message:
                state === 'missing'
                  ? `${this.label}未连接（找不到串口 ${this.path}）`
                  : `${this.label}串口打不开（${reason}）`,
            });
          } else if (!err) {
            port.close(() => undefined); // close() raced with a successful open()
          }
          this.scheduleReconnect();
          return resolve();
        }
        this.port = port;
        port.on('data', (chunk: Buffer) => this.onData(chunk));
        // Without a listener an 'error' (e.g. a failed write) would crash the main process.
        port.on('error', () => undefined);
        port.on('close', () => this.lost(port));
        this.startPathWatch(port);
        this.setStatus({ state: 'ok', message: `${this.label}已连接` });
        Promise.resolve(this.onPortOpened())
          .catch(() => undefined)
          .finally(resolve);
      });
    });
  }

  /** The port closed under us (unplugged) or its device node vanished. */
  private lost(port: SerialPortLike): void {
    if (this.port !== port) return; // our own close()
    this.port = null;
    this.stopPathWatch();
    if (port.isOpen) port.close(() => undefined);
    this.onPortClosed();
    if (!this.wanted) return;
    this.setStatus({ state: 'offline', message: `${this.label}已断开，正在重新连接…` });
    this.scheduleReconnect();
  }

  /**
   * Safety net for unplugs the read loop misses: if the hangup comes before serialport's poller is
   * armed (seen with ptys), no 'close' ever fires. When the device node is a real file, we also
   * check every reconnectMs that it still exists. (Skipped on Windows and for mock ports, whose
   * paths are not files.)
   */
  private startPathWatch(port: SerialPortLike): void {
    if (process.platform === 'win32' || !existsSync(this.path)) return;
    this.pathWatch = setInterval(() => {
      if (!existsSync(this.path)) this.lost(port);
    }, this.reconnectMs);
    this.pathWatch.unref();
  }

  private stopPathWatch(): void {
    if (this.pathWatch) clearInterval(this.pathWatch);
    this.pathWatch = null;
  }

  private scheduleReconnect(): void {
    if (!this.wanted || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.reconnectMs);
    // A retry loop must not keep a test runner or a quitting app alive.
    this.retryTimer.unref();
  }
}
