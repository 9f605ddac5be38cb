// The device manager: one per till, started in boot() for both transports and handed to the
// handlers in the service context. It owns the life cycle — open the configured devices, run the
// print queue over them, close and reopen them all on reconfigure, stop on till.onClose — and
// is the one door the handlers use. The work itself is in modules named for it:
//   device-factory.ts   builds each device and turns its events into till events
//   fleet.ts            the running devices and the routing of print roles to printers
//   printer-status.ts   device statuses, printer polling (DLE EOT), the status bar's light
//   job-render.ts       a job's document and bytes as its printer prints them
//   drawer-route.ts     where the drawer is: printer pin or trigger box, also while a job waits
//   scale-reading.ts    weight and tare
//   device-tests.ts     the settings screen's 测试 button
//   serial-ports.ts     the PC's serial ports
//   job-views.ts        print jobs and virtual receipts as the UI lists them
//   customer-display-feed.ts  the customer displays, fed from 'cart' and 'sale' events
// Nothing here blocks the main thread: device I/O is asynchronous, pictures are drawn by resvg
// and PC/SC lives in its own process with a watchdog.
import type { StatusInfo } from '../../shared/api/app';
import type { CustomerDisplayState, DeviceConfig, DeviceStatusView, DevicesList, ScaleReading, SerialPortInfo } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import type { Till } from '../till/till';
import { driversInfo } from './drivers';
import { applyEnvOverride, readDevices, virtualDirOf, virtualRoot } from './config';
import { CustomerDisplayFeed } from './customer-display-feed';
import { openDevice } from './device-factory';
import { testDevice, type TestAction } from './device-tests';
import { DrawerRouting } from './drawer-route';
import { Fleet, isPrinter } from './fleet';
import { jobDocument, renderJob } from './job-render';
import { PrintQueue, payloadOf, type PrintJobRow } from './print-queue';
import type { ReceiptPrinter } from './printer';
import { StatusBoard } from './printer-status';
import { readReceiptSettings, templateSettings } from './receipt-settings';
import type { ReceiptDocument } from './receipt/document';
import type { ReceiptJobPayload } from './receipt/templates';
import { scaleReading, tareScale } from './scale-reading';
import { listSerialPorts } from './serial-ports';

export interface DeviceManagerOptions {
  /** Status check of idle printers, ms. Default TILL_PRINTER_POLL_MS or 2500. */
  statusPollMs?: number;
  /** Print queue retry backoff bounds (ms). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  idlePollMs?: number;
  /** Serial devices' reconnect period (ms). */
  reconnectMs?: number;
  /** Called when the status bar's printer light may have changed (boot emits a 'status' event). */
  onLightChange?: () => void;
  /** Thank-you screen duration on the customer display (ms). */
  displayDoneMs?: number;
  /** Apply TILL_DEVICES_JSON at start (default true). */
  env?: NodeJS.ProcessEnv;
}

/** Builds and starts the till's device manager; stopped when the till closes. */
export function startDevices(till: Till, opts: DeviceManagerOptions = {}): DeviceManager {
  applyEnvOverride(till, opts.env ?? process.env);
  const m = new DeviceManager(till, opts);
  till.onClose(() => {
    m.stop().catch((e) => log.warn('device stop failed', { error: String(e) }));
  });
  m.start();
  return m;
}

export class DeviceManager {
  readonly virtualRoot: string;
  readonly feed: CustomerDisplayFeed;
  private readonly fleet = new Fleet();
  private readonly statuses: StatusBoard;
  private readonly drawers: DrawerRouting;
  private queue: PrintQueue | null = null;
  private stopped = true;
  /** Bumped on every close: events and answers from an older fleet are dropped. */
  private generation = 0;
  private changing: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;
  private offEvents: (() => void) | null = null;

  constructor(
    readonly till: Till,
    private readonly opts: DeviceManagerOptions = {},
  ) {
    this.virtualRoot = virtualRoot(till);
    this.statuses = new StatusBoard(till, this.fleet, {
      pollMs: opts.statusPollMs ?? (Number(process.env.TILL_PRINTER_POLL_MS) || 2500),
      onLightChange: opts.onLightChange,
      wakeQueue: () => this.queue?.wake(),
      generation: () => this.generation,
      stopped: () => this.stopped,
    });
    this.drawers = new DrawerRouting(this.fleet, (r) => void this.statuses.poll(r));
    this.feed = new CustomerDisplayFeed(till, { serialDisplay: () => this.fleet.customerDisplay(), doneMs: opts.displayDoneMs });
  }

  // ---------------------------------------------------------------------------------------------
  // Life cycle

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.feed.start();
    // A sale's receipt job is written in the sale's transaction: look for it now, not at the next poll.
    this.offEvents = this.till.events.onAny((name) => {
      if (name === 'sale') this.queue?.wake();
    });
    this.open(readDevices(this.till.db));
  }

  /** Stops every device and the queue (the same promise for every caller). */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.feed.stop();
    this.offEvents?.();
    this.offEvents = null;
    await this.closeAll();
  }

  /** Re-reads the configuration and restarts the devices (after devices.save / remove). */
  reconfigure(): Promise<void> {
    const next = this.changing.then(async () => {
      if (this.stopped) return;
      await this.closeAll();
      if (this.stopped) return;
      this.open(readDevices(this.till.db));
    });
    this.changing = next.catch((e) => log.error('device reconfigure failed', { error: String(e) }));
    return next;
  }

  private open(configs: DeviceConfig[]): void {
    const gen = ++this.generation;
    const live = () => gen === this.generation;
    this.statuses.reset();
    for (const c of configs) {
      if (!c.enabled) {
        this.statuses.set(c, { light: 'off', code: 'disabled', message: '已停用' });
        continue;
      }
      try {
        const r = openDevice(c, {
          events: this.till.events,
          live,
          status: (s) => this.statuses.setSerial(c, s),
          displayOpened: () => this.feed.resendSerial(),
          virtualDir: (id) => virtualDirOf(this.till, id),
          reconnectMs: this.opts.reconnectMs,
        });
        this.fleet.add(r);
        if (isPrinter(r)) this.statuses.set(c, { light: 'off', code: 'unknown', message: '正在检测…' });
        else this.statuses.setSerial(c, r.dev.status());
      } catch (e) {
        log.warn('device could not start', { id: c.id, error: String(e) });
        this.statuses.set(c, { light: 'error', code: 'error', message: `无法启动：${(e as Error).message}` });
      }
    }
    this.fleet.route();
    const printers: Record<string, ReceiptPrinter> = {};
    for (const [role, r] of this.fleet.routes()) printers[role] = r.printer;
    const queue = new PrintQueue(this.till.db, {
      printers,
      settings: () => templateSettings(this.till, readReceiptSettings(this.till), 80),
      render: (payload, row) => renderJob(this.till, this.fleet, this.drawers, payload, row),
      earlyDrawer: (row, st) => this.drawers.early(row, st, this.documentFor(payloadOf(row), row)),
      minBackoffMs: this.opts.minBackoffMs ?? 500,
      maxBackoffMs: this.opts.maxBackoffMs ?? 3000,
      idlePollMs: this.opts.idlePollMs ?? 500,
      now: this.till.now,
    });
    queue.on('job', (e) => {
      if (!live()) return;
      this.till.events.emit('printJob', e);
      const r = this.fleet.printerFor(e.role);
      if (r) {
        if (e.status === 'failed' || (e.status === 'pending' && e.waitReason)) void this.statuses.poll(r);
        this.statuses.refreshWaiting(r);
      }
    });
    queue.on('drawer', (e) => {
      if (live()) log.info('drawer opened for a waiting receipt', { job: e.id, via: e.via, state: e.state });
    });
    queue.on('printer', (e) => {
      if (!live()) return;
      const r = this.fleet.printerFor(e.role);
      if (r) this.statuses.setPrinter(r, e.status);
    });
    this.queue = queue;
    queue.start();
    this.statuses.markUnrouted();
    this.statuses.schedule(0);
    this.statuses.lightChanged();
  }

  private async closeAll(): Promise<void> {
    this.generation++;
    this.statuses.stop();
    const queue = this.queue;
    this.queue = null;
    const closing: Promise<unknown>[] = [];
    if (queue) closing.push(queue.stop().finally(() => queue.removeAllListeners()));
    for (const r of this.fleet.running.values()) closing.push(isPrinter(r) ? r.printer.close() : r.dev.close());
    await Promise.allSettled(closing);
    for (const r of this.fleet.running.values()) if (!isPrinter(r)) r.dev.removeAllListeners();
    this.fleet.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // What the handlers ask

  list(): DevicesList {
    const configs = readDevices(this.till.db);
    return {
      devices: configs.map((config) => ({ config, status: this.statuses.of(config.id) })),
      virtualDir: this.virtualRoot,
      unroutedRoles: this.statuses.markUnrouted(),
      drivers: driversInfo(),
    };
  }

  statusOf(id: string): DeviceStatusView {
    return this.statuses.of(id);
  }

  /** The status bar's printer light: the receipt printer. */
  printerLight(): StatusInfo['printer'] {
    return this.statuses.printerLight();
  }

  printQueue(): PrintQueue {
    if (!this.queue) throw new TillError('NO_DEVICES', '打印队列未启动');
    return this.queue;
  }

  /** A job's document as the printer of its role prints it (for its preview: `paper` overrides). */
  documentFor(payload: ReceiptJobPayload, row: Pick<PrintJobRow, 'printerRole' | 'isCopy' | 'createdAt'>, paper?: 58 | 80): ReceiptDocument {
    return jobDocument(this.till, this.fleet, payload, row, paper);
  }

  /** Opens the drawer now (no-sale). Throws a Chinese TillError when it cannot. */
  openDrawer(): Promise<{ via: string }> {
    return this.drawers.open();
  }

  weight(): ScaleReading | null {
    return scaleReading(this.fleet);
  }

  tare(clear: boolean): Promise<ScaleReading | null> {
    return tareScale(this.fleet, clear);
  }

  test(id: string, action?: TestAction): Promise<string> {
    return testDevice({ till: this.till, fleet: this.fleet, statuses: this.statuses, drawers: this.drawers, feed: this.feed }, id, action);
  }

  serialPorts(): Promise<{ ports: SerialPortInfo[]; note: string | null }> {
    return listSerialPorts();
  }

  displayState(): CustomerDisplayState {
    return this.feed.current();
  }
}
