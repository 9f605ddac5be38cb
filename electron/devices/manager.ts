// The device manager: one per till, built in boot() for both transports. It
//  - reads the device configuration (config.ts) and runs each enabled device;
//  - runs the print queue worker over the till's sqlite with the configured printers, routed by
//    role (receipt / label / kitchen), and forwards its events to till.events ('printJob',
//    'printer', 'device', and 'status' for the status bar's printer light);
//  - asks every printer's status (DLE EOT) every few seconds when idle, so the UI shows 缺纸 /
//    上盖打开 / 离线 before a sale needs the printer, and at once after a failed job;
//  - opens the serial scanner, scale, customer display and drawer box and the PC/SC card reader
//    (in its child process) and turns their events into till events ('scan', 'weight', 'card');
//  - feeds the customer displays from the 'cart' and 'sale' events (customer-display-feed.ts);
//  - opens the cash drawer (through the printer's ESC p or a serial trigger box); when a cash
//    sale's receipt has to wait (缺纸 / 上盖打开) its drawer opens at once anyway (a real-time
//    DLE DC4 pulse on the configured pin, or the trigger box) and the receipt prints without its kick;
//  - stops everything on till.onClose.
// Nothing here blocks the main thread: device I/O is asynchronous, pictures are drawn by a child
// process (rsvg-convert) and PC/SC lives in its own process with a watchdog.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatusInfo } from '../../shared/api/app';
import type {
  DeviceConfig,
  DeviceStatusView,
  DevicesList,
  PrintJobView,
  ScaleReading,
  SerialPortInfo,
  VirtualReceipt,
} from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import { resolveResource } from '../till/paths';
import type { Till } from '../till/till';
import { PcscCardReader } from './cardreader/card-reader';
import { applyEnvOverride, readDevices, readReceiptSettings, templateSettings } from './config';
import { CustomerDisplayFeed } from './customer-display-feed';
import { PrintQueue, markCopy, withoutDrawer, type EarlyDrawer, type PrintJobRow } from './print-queue';
import { NetworkPrinter, SerialPrinter, UsbPrinter, VirtualPrinter, type PrinterStatus, type ReceiptPrinter } from './printer';
import { PrintError, canPrint, canPulseDrawer } from './printer/types';
import { type Block, type ReceiptDocument } from './receipt/document';
import { DRAWER_KICK, DRAWER_PULSE, renderEscpos } from './receipt/escpos';
import { buildDocument, formatTime, type ReceiptJobPayload } from './receipt/templates';
import { CustomerDisplay } from './serial/customer-display';
import { SerialDrawerBox } from './serial/drawer-box';
import { SerialScale } from './serial/scale';
import { SerialScanner } from './serial/scanner';
import type { DeviceStatus } from './serial/types';
import { testPage } from './test-page';

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

/** Serializes a printer's calls: a status query never races a job on the same connection/port. */
class SerializedPrinter implements ReceiptPrinter {
  readonly name: string;
  private chain: Promise<unknown> = Promise.resolve();
  constructor(readonly inner: ReceiptPrinter) {
    this.name = inner.name;
  }
  private run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }
  status(): Promise<PrinterStatus> {
    return this.run(() => this.inner.status());
  }
  print(bytes: Buffer): Promise<void> {
    return this.run(() => this.inner.print(bytes));
  }
  close(): Promise<void> {
    return this.run(async () => this.inner.close?.());
  }
}

type Running =
  | { config: Extract<DeviceConfig, { kind: 'printer' }>; printer: SerializedPrinter; virtual: VirtualPrinter | null }
  | { config: Extract<DeviceConfig, { kind: 'drawer_box' }>; dev: SerialDrawerBox }
  | { config: Extract<DeviceConfig, { kind: 'customer_display' }>; dev: CustomerDisplay }
  | { config: Extract<DeviceConfig, { kind: 'scale' }>; dev: SerialScale }
  | { config: Extract<DeviceConfig, { kind: 'scanner' }>; dev: SerialScanner; lastCode?: string }
  | { config: Extract<DeviceConfig, { kind: 'card_reader' }>; dev: PcscCardReader; lastUid?: string };
type RunningPrinter = Extract<Running, { printer: SerializedPrinter }>;

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

const PRINTER_LIGHT: Record<string, DeviceStatusView['light']> = {
  ok: 'ok',
  paper_near_end: 'warn',
  paper_out: 'error',
  cover_open: 'error',
  offline: 'error',
  error: 'error',
};

export const jobTitle = (row: PrintJobRow): string => {
  try {
    const p = JSON.parse(row.payload) as ReceiptJobPayload;
    const d = (p as { data?: Record<string, unknown> }).data;
    const inner = (d?.original as { data?: Record<string, unknown> } | undefined)?.data;
    const no = d?.receiptNo ?? d?.returnNo ?? d?.orderNo ?? d?.shiftNo ?? d?.businessDay ?? inner?.receiptNo ?? inner?.returnNo;
    return typeof no === 'string' ? no : (row.ref_id ?? '');
  } catch {
    return row.ref_id ?? '';
  }
};

export function jobView(row: PrintJobRow): PrintJobView {
  return {
    id: row.id,
    kind: row.kind,
    role: row.printer_role,
    status: row.status,
    waitReason: row.wait_reason,
    isCopy: row.is_copy === 1,
    attempts: row.attempts,
    createdAt: row.created_at,
    printedAt: row.printed_at,
    refId: row.ref_id,
    title: jobTitle(row),
    needsDecision: row.status === 'failed',
  };
}

export class DeviceManager {
  readonly virtualRoot: string;
  private running = new Map<string, Running>();
  private statuses = new Map<string, DeviceStatusView>();
  private byRole = new Map<string, RunningPrinter>();
  private queue: PrintQueue | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = new Set<string>();
  private stopped = true;
  private generation = 0;
  private changing: Promise<void> = Promise.resolve();
  private kickedJobs = new Set<string>();
  private lastLight = '';
  private offEvents: (() => void) | null = null;
  readonly feed: CustomerDisplayFeed;
  private readonly pollMs: number;

  constructor(
    readonly till: Till,
    private readonly opts: DeviceManagerOptions = {},
  ) {
    this.virtualRoot = join(till.options.dataDir, 'virtual-printer');
    this.pollMs = opts.statusPollMs ?? (Number(process.env.TILL_PRINTER_POLL_MS) || 2500);
    this.feed = new CustomerDisplayFeed(till, {
      serialDisplay: () => {
        for (const r of this.running.values()) if (r.config.kind === 'customer_display') return (r as { dev: CustomerDisplay }).dev;
        return null;
      },
      doneMs: opts.displayDoneMs,
    });
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
    this.open(readDevices(this.till.sqlite));
  }

  private stopping: Promise<void> | null = null;

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
      this.open(readDevices(this.till.sqlite));
    });
    this.changing = next.catch((e) => log.error('device reconfigure failed', { error: String(e) }));
    return next;
  }

  private open(configs: DeviceConfig[]): void {
    const gen = ++this.generation;
    this.statuses.clear();
    for (const c of configs) {
      if (!c.enabled) {
        this.setStatus(c, { light: 'off', code: 'disabled', message: '已停用' });
        continue;
      }
      try {
        this.openOne(c, gen);
      } catch (e) {
        log.warn('device could not start', { id: c.id, error: String(e) });
        this.setStatus(c, { light: 'error', code: 'error', message: `无法启动：${(e as Error).message}` });
      }
    }
    // Routing: the first enabled printer with a role gets that role's jobs.
    this.byRole.clear();
    for (const r of this.running.values()) {
      if (r.config.kind !== 'printer') continue;
      for (const role of r.config.roles) if (!this.byRole.has(role)) this.byRole.set(role, r as RunningPrinter);
    }
    const printers: Record<string, ReceiptPrinter> = {};
    for (const [role, r] of this.byRole) printers[role] = r.printer;
    const queue = new PrintQueue(this.till.sqlite, {
      printers,
      settings: () => templateSettings(this.till, readReceiptSettings(this.till), 80),
      render: (payload, row) => this.renderForPrinter(payload, row),
      earlyDrawer: (row, st) => this.earlyDrawer(row, st),
      minBackoffMs: this.opts.minBackoffMs ?? 500,
      maxBackoffMs: this.opts.maxBackoffMs ?? 3000,
      idlePollMs: this.opts.idlePollMs ?? 500,
      now: this.till.now,
    });
    queue.on('job', (e) => {
      if (gen !== this.generation) return;
      this.till.events.emit('printJob', e);
      const r = this.byRole.get(e.role);
      if (r) {
        if (e.status === 'failed' || (e.status === 'pending' && e.waitReason)) void this.pollPrinter(r);
        this.refreshWaiting(r);
      }
    });
    queue.on('drawer', (e) => {
      if (gen === this.generation) log.info('drawer opened for a waiting receipt', { job: e.id, via: e.via, state: e.state });
    });
    queue.on('printer', (e) => {
      if (gen !== this.generation) return;
      const r = this.byRole.get(e.role);
      if (r) this.setPrinterStatus(r, e.status);
    });
    this.queue = queue;
    queue.start();
    this.markUnrouted();
    this.schedulePoll(0);
    this.lightChanged();
  }

  private openOne(c: DeviceConfig, gen: number): void {
    const reconnectMs = this.opts.reconnectMs;
    const onStatus = (s: DeviceStatus) => {
      if (gen === this.generation) this.setSerialStatus(c, s);
    };
    switch (c.kind) {
      case 'printer': {
        let inner: ReceiptPrinter;
        let virtual: VirtualPrinter | null = null;
        const d = c.driver;
        if (d.type === 'network') inner = new NetworkPrinter({ host: d.host, port: d.port });
        else if (d.type === 'usb') inner = new UsbPrinter({ path: d.path });
        else if (d.type === 'serial') inner = new SerialPrinter({ path: d.path, baudRate: d.baud });
        else {
          virtual = new VirtualPrinter({ dir: this.virtualDirOf(c.id), paper: c.paper });
          inner = virtual;
        }
        const r: RunningPrinter = { config: c, printer: new SerializedPrinter(inner), virtual };
        this.running.set(c.id, r);
        this.setStatus(c, { light: 'off', code: 'unknown', message: '正在检测…' });
        return;
      }
      case 'drawer_box': {
        const dev = new SerialDrawerBox({ path: c.driver.path, baudRate: c.driver.baud, reconnectMs, label: c.name });
        this.running.set(c.id, { config: c, dev });
        dev.on('status', onStatus);
        this.setSerialStatus(c, dev.status());
        void dev.open();
        return;
      }
      case 'customer_display': {
        const dev = new CustomerDisplay({
          path: c.driver.path,
          baudRate: c.driver.baud,
          model: c.driver.protocol,
          reconnectMs,
          label: c.name,
          idleLines: ['WELCOME', ''],
        });
        this.running.set(c.id, { config: c, dev });
        dev.on('status', onStatus);
        this.setSerialStatus(c, dev.status());
        void dev.open().then(() => this.feed.resendSerial());
        return;
      }
      case 'scale': {
        const dev = new SerialScale({ path: c.driver.path, baudRate: c.driver.baud, protocol: c.driver.protocol, reconnectMs, label: c.name });
        this.running.set(c.id, { config: c, dev });
        dev.on('status', onStatus);
        dev.on('weight', (w) => {
          if (gen !== this.generation) return;
          this.till.events.emit('weight', { grams: w.grams, stable: w.stable, tareGrams: w.tareGrams, net: w.net, overload: w.overload });
        });
        this.setSerialStatus(c, dev.status());
        void dev.open();
        return;
      }
      case 'scanner': {
        const dev = new SerialScanner({ path: c.driver.path, baudRate: c.driver.baud, reconnectMs, label: c.name });
        const r = { config: c, dev } as Extract<Running, { config: { kind: 'scanner' } }>;
        this.running.set(c.id, r);
        dev.on('status', onStatus);
        dev.on('scan', (code) => {
          if (gen !== this.generation) return;
          r.lastCode = code;
          this.till.events.emit('scan', { code, source: 'serial' });
        });
        this.setSerialStatus(c, dev.status());
        void dev.open();
        return;
      }
      case 'card_reader': {
        const filter = c.driver.readerFilter;
        const dev = new PcscCardReader({
          workerPath: resolveResource(join('electron', 'devices', 'cardreader', 'pcsc-worker.cjs')),
          readerFilter: filter ? (n) => n.includes(filter) : undefined,
        });
        const r = { config: c, dev } as Extract<Running, { config: { kind: 'card_reader' } }>;
        this.running.set(c.id, r);
        dev.on('status', onStatus);
        dev.on('card', (e) => {
          if (gen !== this.generation) return;
          r.lastUid = e.uid;
          this.till.events.emit('card', { uid: e.uid, reader: e.reader });
        });
        dev.on('cardRemoved', (e) => {
          if (gen === this.generation) this.till.events.emit('card', { uid: null, reader: e.reader });
        });
        dev.on('cardError', (e) => log.info('card not read', { reader: e.reader, sw: e.sw }));
        this.setSerialStatus(c, dev.status());
        void dev.open();
        return;
      }
    }
  }

  private async closeAll(): Promise<void> {
    this.generation++;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    const queue = this.queue;
    this.queue = null;
    const closing: Promise<unknown>[] = [];
    if (queue) closing.push(queue.stop().finally(() => queue.removeAllListeners()));
    for (const r of this.running.values()) {
      if ('printer' in r) closing.push(r.printer.close());
      else {
        closing.push(r.dev.close());
      }
    }
    await Promise.allSettled(closing);
    for (const r of this.running.values()) if (!('printer' in r)) r.dev.removeAllListeners();
    this.running.clear();
    this.byRole.clear();
    this.polling.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Printing

  /** The virtual printer's folder: the demo printer at the root, any other in a sub-folder. */
  virtualDirOf(id: string): string {
    return id === 'virtual-receipt' ? this.virtualRoot : join(this.virtualRoot, id);
  }

  /** The job's document as the printer of its role prints it (paper, template settings, drawer). */
  documentFor(payload: ReceiptJobPayload, row: Pick<PrintJobRow, 'printer_role' | 'is_copy' | 'created_at'>, paper?: 58 | 80): ReceiptDocument {
    const printer = this.byRole.get(row.printer_role);
    const p = paper ?? printer?.config.paper ?? 80;
    const settings = templateSettings(this.till, readReceiptSettings(this.till), p);
    const pl = (payload.settings ? { ...payload, settings: { ...payload.settings, paper: p } } : payload) as ReceiptJobPayload;
    let doc = buildDocument(pl, settings);
    if (row.is_copy && pl.template !== 'reprint') doc = markCopy(doc, formatTime(row.created_at, settings.timeZone));
    return doc;
  }

  /**
   * The queue's renderer. The drawer kick a cash sale's job carries goes where the drawer is: the
   * printer's RJ11 with the configured pin, or a serial trigger box (fired once per job, here, as
   * the job goes out), or nowhere.
   */
  private renderForPrinter(payload: ReceiptJobPayload, row: PrintJobRow): Buffer {
    const printer = this.byRole.get(row.printer_role);
    let doc = this.documentFor(payload, row);
    // Opened while the job waited (earlyDrawer): not a second time.
    if (row.drawer_opened_at) doc = withoutDrawer(doc);
    if (doc.blocks.some((b) => b.type === 'drawer')) {
      const pin = printer?.config.drawerPin ?? null;
      if (pin) {
        doc = { ...doc, blocks: doc.blocks.map((b): Block => (b.type === 'drawer' ? { type: 'drawer', pin } : b)) };
      } else {
        doc = { ...doc, blocks: doc.blocks.filter((b) => b.type !== 'drawer') };
        const box = this.drawerBox();
        if (box && !this.kickedJobs.has(row.id)) {
          this.kickedJobs.add(row.id);
          box.openDrawer().catch((e) => log.warn('drawer box did not open', { error: String(e) }));
        }
      }
    }
    return renderEscpos(doc);
  }

  /**
   * The queue's earlyDrawer: a waiting job whose document carries a kick opens the drawer now —
   * through its printer's pin as a real-time DLE DC4 pulse when paper is out or the cover is open
   * (not when the printer is offline: nothing can reach it), or through a connected serial trigger
   * box whatever the printer's state (the box does not need the printer).
   */
  private earlyDrawer(row: PrintJobRow, st: PrinterStatus): EarlyDrawer | null {
    const r = this.byRole.get(row.printer_role);
    if (!r) return null;
    const doc = this.documentFor(JSON.parse(row.payload) as ReceiptJobPayload, row);
    if (!doc.blocks.some((b) => b.type === 'drawer')) return null;
    const pin = r.config.drawerPin ?? null;
    if (pin) {
      if (!canPulseDrawer(st) || r.virtual) return null;
      return { via: `printer:${r.config.id}:pin${pin}`, open: () => r.printer.print(DRAWER_PULSE[pin]) };
    }
    const box = this.drawerBox();
    if (!box || box.status().state !== 'ok' || this.kickedJobs.has(row.id)) return null;
    return {
      via: 'drawer_box',
      open: async () => {
        if (box.status().state !== 'ok') throw new PrintError('钱箱触发盒未连接', 'none');
        this.kickedJobs.add(row.id);
        await box.openDrawer();
      },
    };
  }

  printQueue(): PrintQueue {
    if (!this.queue) throw new TillError('NO_DEVICES', '打印队列未启动');
    return this.queue;
  }

  jobs(limit: number, attentionOnly: boolean): PrintJobView[] {
    const rows = this.till.sqlite
      .prepare(
        attentionOnly
          ? `SELECT * FROM print_jobs WHERE status IN ('pending', 'failed', 'printing') ORDER BY created_at DESC, id DESC LIMIT ?`
          : `SELECT * FROM print_jobs ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(limit) as PrintJobRow[];
    return rows.map(jobView);
  }

  job(id: string): PrintJobRow {
    const row = this.till.sqlite.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as PrintJobRow | undefined;
    if (!row) throw new TillError('NOT_FOUND', '没有这个打印任务');
    return row;
  }

  async virtualJobs(limit: number): Promise<VirtualReceipt[]> {
    const dirs = new Set([this.virtualRoot]);
    for (const c of readDevices(this.till.sqlite)) if (c.kind === 'printer' && c.driver.type === 'virtual') dirs.add(this.virtualDirOf(c.id));
    const all = [];
    for (const dir of dirs) all.push(...(await new VirtualPrinter({ dir }).list()));
    // Ids start with a UTC stamp (YYYYMMDD-HHMMSS), so they sort by time.
    all.sort((a, b) => (a.id < b.id ? 1 : -1));
    return Promise.all(
      all.slice(0, limit).map(async (j) => {
        const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(j.id);
        const at = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : 0;
        const text = await readFile(j.txt, 'utf8').catch(() => '');
        const png = j.png ? await readFile(j.png).then((b) => `data:image/png;base64,${b.toString('base64')}`, () => null) : null;
        return { id: j.id, at, text, png };
      }),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Status

  private setStatus(c: DeviceConfig, s: Omit<DeviceStatusView, 'id' | 'kind' | 'at'>): void {
    const prev = this.statuses.get(c.id);
    const next: DeviceStatusView = { id: c.id, kind: c.kind, ...s, at: this.till.now() };
    this.statuses.set(c.id, next);
    if (
      !prev ||
      prev.code !== next.code ||
      prev.message !== next.message ||
      prev.drawerOpen !== next.drawerOpen ||
      prev.waitingJobs !== next.waitingJobs ||
      prev.light !== next.light
    ) {
      this.till.events.emit('device', next);
      if (c.kind === 'printer') this.lightChanged();
    }
  }

  private setSerialStatus(c: DeviceConfig, s: DeviceStatus): void {
    this.setStatus(c, { light: s.state === 'ok' ? 'ok' : 'error', code: s.state, message: s.message });
  }

  private waitingFor(r: RunningPrinter): number {
    if (!r.config.roles.length) return 0;
    const roles = r.config.roles.filter((role) => this.byRole.get(role) === r);
    if (!roles.length) return 0;
    const row = this.till.sqlite
      .prepare(`SELECT COUNT(*) AS n FROM print_jobs WHERE status IN ('pending', 'printing', 'failed') AND printer_role IN (${roles.map(() => '?').join(',')})`)
      .get(...roles) as { n: number };
    return row.n;
  }

  private setPrinterStatus(r: RunningPrinter, st: PrinterStatus): void {
    const prev = this.statuses.get(r.config.id);
    const virtual = r.config.driver.type === 'virtual';
    const message = virtual && st.state === 'ok' ? '正常（虚拟打印机）' : st.message;
    this.setStatus(r.config, {
      light: PRINTER_LIGHT[st.state] ?? 'error',
      code: st.state,
      message,
      ...(st.drawerOpen !== undefined ? { drawerOpen: st.drawerOpen } : {}),
      waitingJobs: this.waitingFor(r),
    });
    if (!prev || prev.code !== st.state || prev.message !== message) {
      for (const role of r.config.roles) {
        if (this.byRole.get(role) === r) this.till.events.emit('printer', { role, state: st.state, message });
      }
    }
  }

  private refreshWaiting(r: RunningPrinter): void {
    const cur = this.statuses.get(r.config.id);
    if (!cur) return;
    const n = this.waitingFor(r);
    if (cur.waitingJobs !== n) this.setStatus(r.config, { light: cur.light, code: cur.code, message: cur.message, drawerOpen: cur.drawerOpen, waitingJobs: n });
  }

  /** Asks one printer now (skipped when a query for it is already running). */
  private async pollPrinter(r: RunningPrinter): Promise<void> {
    if (this.polling.has(r.config.id)) return;
    const gen = this.generation;
    this.polling.add(r.config.id);
    try {
      let st: PrinterStatus;
      try {
        st = await r.printer.status();
      } catch (e) {
        st = { state: 'offline', message: `离线（${(e as Error).message}）` };
      }
      if (gen !== this.generation || this.stopped) return;
      this.setPrinterStatus(r, st);
      // Paper back / cover closed: wake the queue now instead of at its next backoff.
      if (canPrint(st)) this.queue?.wake();
    } finally {
      this.polling.delete(r.config.id);
    }
  }

  private schedulePoll(ms: number): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (this.stopped) return;
      const printers = [...this.running.values()].filter((r): r is RunningPrinter => 'printer' in r);
      void Promise.allSettled(printers.map((r) => this.pollPrinter(r))).then(() => {
        if (this.stopped) return;
        this.markUnrouted();
        this.schedulePoll(this.pollMs);
      });
    }, ms);
    this.pollTimer.unref();
  }

  /** Jobs whose role has no printer say so instead of waiting silently. */
  private markUnrouted(): string[] {
    const roles = (
      this.till.sqlite.prepare(`SELECT DISTINCT printer_role AS role FROM print_jobs WHERE status = 'pending'`).all() as { role: string }[]
    )
      .map((r) => r.role)
      .filter((role) => !this.byRole.has(role));
    for (const role of roles) {
      const reason = '没有设置这种用途的打印机';
      this.till.sqlite
        .prepare(`UPDATE print_jobs SET wait_reason = ? WHERE status = 'pending' AND printer_role = ? AND wait_reason IS NOT ?`)
        .run(reason, role, reason);
    }
    return roles;
  }

  statusOf(id: string): DeviceStatusView {
    const c = readDevices(this.till.sqlite).find((d) => d.id === id);
    return (
      this.statuses.get(id) ?? {
        id,
        kind: c?.kind ?? 'printer',
        light: 'off',
        code: 'unknown',
        message: '正在检测…',
        at: this.till.now(),
      }
    );
  }

  list(): DevicesList {
    const configs = readDevices(this.till.sqlite);
    return {
      devices: configs.map((config) => ({ config, status: this.statusOf(config.id) })),
      virtualDir: this.virtualRoot,
      unroutedRoles: this.markUnrouted(),
    };
  }

  /** The status bar's printer light: the receipt printer. */
  printerLight(): StatusInfo['printer'] {
    const r = this.byRole.get('receipt');
    if (!r) return { state: 'warn', message: '未设置小票打印机' };
    const s = this.statuses.get(r.config.id);
    if (!s || s.code === 'unknown') return { state: 'none', message: '正在检测打印机…' };
    const state = s.light === 'off' ? 'none' : s.light;
    const waiting = s.waitingJobs ? `，${s.waitingJobs} 张待打印` : '';
    return { state, message: `${s.message}${waiting}` };
  }

  private lightChanged(): void {
    const l = this.printerLight();
    const key = `${l.state}|${l.message}`;
    if (key === this.lastLight) return;
    this.lastLight = key;
    this.opts.onLightChange?.();
  }

  // ---------------------------------------------------------------------------------------------
  // Drawer

  private drawerBox(): SerialDrawerBox | null {
    for (const r of this.running.values()) if (r.config.kind === 'drawer_box') return (r as { dev: SerialDrawerBox }).dev;
    return null;
  }

  /** Where the drawer is: the receipt printer's pin, else a drawer box. */
  /** The first enabled scale, if one is configured. */
  private scale(): SerialScale | null {
    for (const r of this.running.values()) if (r.config.kind === 'scale') return (r as Extract<Running, { config: { kind: 'scale' } }>).dev;
    return null;
  }

  /** The scale's current reading, or null when no scale is configured. */
  weight(): ScaleReading | null {
    const w = this.scale()?.current();
    return w ? { grams: w.grams, stable: w.stable, tareGrams: w.tareGrams, net: w.net, overload: w.overload } : null;
  }

  /** Tares (or clears the tare of) the scale; refuses in Chinese when there is none or it is moving. */
  async tare(clear: boolean): Promise<ScaleReading | null> {
    const scale = this.scale();
    if (!scale) throw new TillError('NO_SCALE', '未配置电子秤');
    try {
      if (clear) await scale.clearTare();
      else await scale.tare();
    } catch (e) {
      throw new TillError('SCALE_REFUSED', e instanceof Error ? e.message : '电子秤去皮失败');
    }
    return this.weight();
  }

  drawerRoute(): { via: 'printer'; printer: RunningPrinter; pin: 2 | 5 } | { via: 'box'; box: SerialDrawerBox } | null {
    const receipt = this.byRole.get('receipt');
    if (receipt?.config.drawerPin) return { via: 'printer', printer: receipt, pin: receipt.config.drawerPin };
    for (const r of this.running.values()) {
      if ('printer' in r && r.config.drawerPin) return { via: 'printer', printer: r, pin: r.config.drawerPin };
    }
    const box = this.drawerBox();
    return box ? { via: 'box', box } : null;
  }

  /** Opens the drawer now. Throws a Chinese TillError when it cannot. */
  async openDrawer(): Promise<{ via: string }> {
    const route = this.drawerRoute();
    if (!route) throw new TillError('NO_DRAWER', '没有设置钱箱（在设置 → 设备中为打印机选择钱箱接口，或添加钱箱触发盒）');
    if (route.via === 'box') {
      try {
        await route.box.openDrawer();
      } catch (e) {
        throw new TillError('DRAWER_FAILED', `钱箱打不开：${(e as Error).message}`);
      }
      return { via: 'drawer_box' };
    }
    return this.kickThrough(route.printer, route.pin);
  }

  private async kickThrough(r: RunningPrinter, pin: 2 | 5): Promise<{ via: string }> {
    if (r.virtual) return { via: `virtual:${r.config.id}` };
    try {
      await r.printer.print(DRAWER_KICK[pin]);
    } catch (e) {
      void this.pollPrinter(r);
      throw new TillError('DRAWER_FAILED', `钱箱打不开：打印机${r.config.name}连接失败（${(e as Error).message}）`);
    }
    return { via: `printer:${r.config.id}` };
  }

  // ---------------------------------------------------------------------------------------------
  // Tests from the settings screen

  async test(id: string, action?: 'print' | 'drawer' | 'display' | 'scale'): Promise<string> {
    const r = this.running.get(id);
    const config = readDevices(this.till.sqlite).find((d) => d.id === id);
    if (!config) throw new TillError('NOT_FOUND', '没有这个设备');
    if (!r) throw new TillError('DEVICE_OFF', `${config.name}已停用或未启动`);
    if ('printer' in r) {
      if (action === 'drawer') {
        if (!r.config.drawerPin) throw new TillError('NO_DRAWER', '这台打印机没有设置钱箱接口');
        await this.kickThrough(r, r.config.drawerPin);
        return '已发送开钱箱指令';
      }
      const st = await r.printer.status();
      this.setPrinterStatus(r, st);
      if (!canPrint(st)) throw new TillError('PRINTER_NOT_READY', `打印机${st.message}，请处理后再试`);
      const d = r.config.driver;
      const driver =
        d.type === 'network' ? `网络 ${d.host}:${d.port}` : d.type === 'usb' ? `USB ${d.path}` : d.type === 'serial' ? `串口 ${d.path}` : '虚拟打印机';
      const doc = testPage({ deviceName: r.config.name, driver, paper: r.config.paper, at: this.till.now(), shopName: this.till.settings.get('shop.name') });
      try {
        await r.printer.print(renderEscpos(doc));
      } catch (e) {
        void this.pollPrinter(r);
        throw new TillError('PRINT_FAILED', `测试页没有打出：${(e as Error).message}`);
      }
      return r.virtual ? '测试页已保存到虚拟打印机' : '测试页已发送到打印机';
    }
    switch (r.config.kind) {
      case 'drawer_box':
        try {
          await (r.dev as SerialDrawerBox).openDrawer();
        } catch (e) {
          throw new TillError('DRAWER_FAILED', `钱箱打不开：${(e as Error).message}`);
        }
        return '已发送开钱箱指令';
      case 'customer_display': {
        const ok = await (r.dev as CustomerDisplay).showItem('TEST 123 ABC', 1230);
        if (!ok) throw new TillError('DISPLAY_FAILED', `客显没有连接：${r.dev.status().message}`);
        setTimeout(() => this.feed.resendSerial(), 5000).unref();
        return '客显应显示 TEST 123 ABC 和 12.30';
      }
      case 'scale': {
        const w = (r.dev as SerialScale).current();
        if (!w) throw new TillError('NO_WEIGHT', `没有收到电子秤数据：${r.dev.status().message}`);
        if (w.overload) return '电子秤超载或未归零';
        return `当前重量 ${(w.grams / 1000).toFixed(3)} kg（${w.stable ? '稳定' : '不稳定'}${w.tareGrams ? `，皮重 ${(w.tareGrams / 1000).toFixed(3)} kg` : ''}）`;
      }
      case 'scanner': {
        const last = (r as { lastCode?: string }).lastCode;
        return `${r.dev.status().message}${last ? `；最近扫码：${last}` : '；请扫一个条码试试'}`;
      }
      case 'card_reader': {
        const dev = r.dev as PcscCardReader;
        const names = dev.readers();
        const last = (r as { lastUid?: string }).lastUid;
        return `${dev.status().message}${names.length ? `；读卡器：${names.join('、')}` : ''}${last ? `；最近卡号：${last}` : ''}`;
      }
    }
    throw new TillError('BAD_INPUT', '这种设备不能测试');
  }

  async serialPorts(): Promise<{ ports: SerialPortInfo[]; note: string | null }> {
    try {
      const { SerialPort } = await import('serialport');
      const list = await SerialPort.list();
      const ports = list.map((p) => ({
        path: p.path,
        manufacturer: p.manufacturer,
        serialNumber: p.serialNumber,
        vendorId: p.vendorId,
        productId: p.productId,
      }));
      return {
        ports,
        note: ports.length ? null : '没有找到串口。USB 转串口线请插好后再查找；虚拟串口不会列出，可直接填写路径。',
      };
    } catch (e) {
      return { ports: [], note: `本机不能自动查找串口（${(e as Error).message}），请直接填写端口，例如 COM3 或 /dev/ttyUSB0。` };
    }
  }
}
