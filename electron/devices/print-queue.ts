// The print queue worker over the `print_jobs` table.
//
// Jobs are rows written by the till in the same transaction as the sale (ledger.ts enqueuePrint), so a
// sale never exists without its receipt job, nor a job without its sale. The payload is a
// ReceiptJobPayload: { v: 1, template, data, settings? } — the template kind and its plain data,
// so that a reprint re-renders the same receipt (with a 重印 mark) — or { v: 1, template:
// 'document', doc } for free-form prints.
//
// One worker per printer role (receipt, label, kitchen …), so a jammed kitchen printer never
// holds up receipts. For the oldest pending job of its role a worker:
//   1. asks the printer's status BEFORE sending; if it cannot print (缺纸 / 上盖打开 / 离线 /
//      故障) the job stays 'pending' with wait_reason set, a 'printer' and 'job' event tell the UI
//      why, and the worker retries with a backoff (min → max, doubling) — it resumes by itself
//      when the printer is back. 纸将尽 still prints.
//   2. claims the job: pending → printing (a conditional UPDATE, so it is claimed once), sends
//      the bytes, then printing → printed with printed_at.
//   3. if sending fails and the driver proves nothing reached the printer (connection refused),
//      the job goes back to pending; if bytes may have reached it, the job is 'failed' with
//      wait_reason 打印中断，请确认后重印 — a person looks at the paper and decides.
//
// Drawer while waiting: a cash sale's drawer kick (ESC p) travels inside its receipt, so a job that
// waits would keep the drawer shut and the cashier could not give change. When a job that carries
// a kick has to wait because of 缺纸 or 上盖打开, the worker opens the drawer at once with the
// real-time pulse DLE DC4 1 (a printer executes it even while stopped by paper end or an open
// cover; a printer that is really offline cannot get it, so 离线 jobs just wait as before). The
// device manager may route it elsewhere (a serial drawer box, which opens whatever the printer's
// state); earlyDrawer() below is the one rule for both. Each job's drawer is opened ahead ONCE: drawer_opened_at is set before the pulse is sent
// (a conditional UPDATE), so retries never pulse again, and the job later prints without its kick.
// If the pulse provably did not reach the printer (connection refused) the mark is cleared and the
// kick stays in the job. A crash between the mark and the pulse loses that early opening rather
// than opening the drawer twice (the same rule as for print data below).
//
// Crash window: a job found 'printing' at start-up was being sent when the app died. Whether the
// printer printed it cannot be known (printers do not answer print data, and a status query after
// the fact says nothing about a past job), so it is NOT sent again silently: it becomes 'failed'
// with 打印中断，请确认后重印 and is surfaced. The person then either confirms it did not print
// (confirmNotPrinted → pending again, printed as the original) or asks for a reprint (a NEW job,
// is_copy = 1, marked 重印). A job is never printed twice unless a person asks.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { EventEmitter } from 'node:events';
import type { TillDb } from '../till/db';
import { enqueuePrint, type PrintJob } from '../till/ledger';
import { arg, argSql, LIMIT_1, prepared } from '../till/prepared';
import { printJobs } from '../till/schema';
import { PrintError, canPrint, canPulseDrawer, status as mkStatus, type PrinterStatus, type ReceiptPrinter } from './printer/types';
import { NORMAL, type Block, type ReceiptDocument } from './receipt/document';
import { DRAWER_PULSE, renderEscpos } from './receipt/escpos';
import { buildDocument, formatTime, type ReceiptJobPayload, type ReceiptTemplateSettings } from './receipt/templates';

export const INTERRUPTED = '打印中断，请确认后重印';

/** A print_jobs row (schema.ts); `payload` is the ReceiptJobPayload, parsed. */
export type PrintJobRow = typeof printJobs.$inferSelect;
export type PrintJobStatus = PrintJobRow['status'];

/** A job to print now, outside a sale (a reprint, a test page): `at` defaults to now. */
export type NewPrintJob = Omit<PrintJob, 'at' | 'id'> & { at?: number };

export const payloadOf = (row: Pick<PrintJobRow, 'payload'>): ReceiptJobPayload => row.payload as ReceiptJobPayload;

const jobs = prepared((db) => {
  const byRole = and(eq(printJobs.status, 'pending'), eq(printJobs.printerRole, arg('role')));
  const setStatus = (status: PrintJobStatus, where: ReturnType<typeof and>) =>
    db.update(printJobs).set({ status, waitReason: argSql<string | null>('reason') }).where(where).prepare();
  const thisJob = eq(printJobs.id, arg('id'));
  return {
    byId: db.select().from(printJobs).where(thisJob).prepare(),
    inStatus: db.select().from(printJobs).where(eq(printJobs.status, 'printing')).prepare(),
    attention: db.select().from(printJobs).where(inArray(printJobs.status, ['pending', 'failed'])).orderBy(asc(printJobs.createdAt), asc(printJobs.id)).prepare(),
    next: db.select().from(printJobs).where(byRole).orderBy(asc(printJobs.createdAt), asc(printJobs.id)).limit(LIMIT_1).prepare(),
    drawerNotOpened: db
      .select()
      .from(printJobs)
      .where(and(byRole, isNull(printJobs.drawerOpenedAt)))
      .orderBy(asc(printJobs.createdAt), asc(printJobs.id))
      .prepare(),
    waitingOtherwise: db
      .select({ id: printJobs.id })
      .from(printJobs)
      .where(and(byRole, sql`${printJobs.waitReason} IS NOT ${arg('reason')}`))
      .prepare(),
    interrupted: setStatus('failed', and(thisJob, eq(printJobs.status, 'printing'))),
    requeue: setStatus('pending', and(thisJob, eq(printJobs.status, 'failed'))),
    cancel: db.update(printJobs).set({ status: 'cancelled' }).where(and(thisJob, inArray(printJobs.status, ['pending', 'failed']))).prepare(),
    waitReason: db.update(printJobs).set({ waitReason: argSql<string | null>('reason') }).where(and(thisJob, eq(printJobs.status, 'pending'))).prepare(),
    claim: db
      .update(printJobs)
      .set({ status: 'printing', attempts: sql`${printJobs.attempts} + 1`, waitReason: null })
      .where(and(thisJob, eq(printJobs.status, 'pending')))
      .prepare(),
    failed: setStatus('failed', thisJob),
    backToPending: setStatus('pending', thisJob),
    printed: db.update(printJobs).set({ status: 'printed', printedAt: argSql<number>('at'), waitReason: null }).where(thisJob).prepare(),
    markDrawer: db
      .update(printJobs)
      .set({ drawerOpenedAt: argSql<number>('at') })
      .where(and(thisJob, eq(printJobs.status, 'pending'), isNull(printJobs.drawerOpenedAt)))
      .prepare(),
    unmarkDrawer: db
      .update(printJobs)
      .set({ drawerOpenedAt: null })
      .where(and(thisJob, eq(printJobs.drawerOpenedAt, arg('at'))))
      .prepare(),
  };
});

export interface JobEvent {
  id: string;
  status: PrintJobStatus;
  kind: string;
  role: string;
  waitReason: string | null;
  isCopy: boolean;
}

export interface PrinterEvent {
  role: string;
  status: PrinterStatus;
}

/** A waiting job's drawer was opened ahead of it. */
export interface DrawerEvent {
  id: string;
  role: string;
  /** Where: e.g. 'pulse:pin2', 'printer:p1:pin5', 'drawer_box'. */
  via: string;
  /** The printer state that made the job wait. */
  state: PrinterStatus['state'];
}

/** How to open a waiting job's drawer now. */
export interface EarlyDrawer {
  via: string;
  /** Rejects with PrintError delivered 'none' when certainly nothing was sent. */
  open(): Promise<void>;
}

/** Where a waiting job's drawer is: a kick pin through a printer, or a serial trigger box. */
export type DrawerTarget =
  | { via: string; printer: ReceiptPrinter; pin: 2 | 5 }
  | { via: string; box: { status(): { state: string }; openDrawer(): Promise<unknown> }; opened?: () => void };

/**
 * The rule for opening a waiting job's drawer ahead of it (see "Drawer while waiting"), for the
 * queue's default and the device manager's routing alike: through a printer only as the real-time
 * pulse, and only when the printer is stopped by paper end or an open cover (an offline printer
 * cannot get it); through a trigger box whatever the printer's state, when the box is connected.
 */
export function earlyDrawer(st: PrinterStatus, target: DrawerTarget | null): EarlyDrawer | null {
  if (!target) return null;
  if ('printer' in target) {
    if (!canPulseDrawer(st)) return null;
    return { via: target.via, open: () => target.printer.print(DRAWER_PULSE[target.pin]) };
  }
  const box = target.box;
  if (box.status().state !== 'ok') return null;
  return {
    via: target.via,
    open: async () => {
      if (box.status().state !== 'ok') throw new PrintError('钱箱触发盒未连接', 'none');
      target.opened?.();
      await box.openDrawer();
    },
  };
}

export interface PrintQueueOptions {
  /** Routing table: printer role → printer. */
  printers: Record<string, ReceiptPrinter>;
  /** Template settings used when a payload carries none. */
  settings: ReceiptTemplateSettings | (() => ReceiptTemplateSettings);
  /** Backoff while a printer cannot print: from min, doubling, up to max (ms). Default 500 / 10000. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often an idle worker looks for jobs written without wake() (ms, default 1000). */
  idlePollMs?: number;
  /** Custom bytes for a job (default: build the document and render ESC/POS). */
  render?: (payload: ReceiptJobPayload, row: PrintJobRow) => Buffer;
  /**
   * For a pending job that waits in status `st`: how its drawer kick can open the drawer now, or
   * null (no kick, or the drawer cannot be reached in this state). Default: the pin of the job's
   * kick as a real-time pulse through the role's printer, when 缺纸 / 上盖打开. A custom `render`
   * should strip the kick of a job whose drawer_opened_at is set (withoutDrawer).
   */
  earlyDrawer?: (row: PrintJobRow, st: PrinterStatus, printer: ReceiptPrinter) => EarlyDrawer | null;
  now?: () => number;
}

export interface PrintQueueEvents {
  job: [JobEvent];
  printer: [PrinterEvent];
  drawer: [DrawerEvent];
}

export class PrintQueue extends EventEmitter<PrintQueueEvents> {
  private stopped = true;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private lastStatus = new Map<string, PrinterStatus>();
  private readonly now: () => number;

  constructor(
    private readonly db: TillDb,
    private readonly opts: PrintQueueOptions,
  ) {
    super();
    this.now = opts.now ?? Date.now;
  }

  private get q() {
    return jobs(this.db);
  }

  /** Recovers interrupted jobs, then starts one worker per printer role. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const row of this.q.inStatus.all()) {
      this.q.interrupted.run({ id: row.id, reason: INTERRUPTED });
      this.emitJob(row.id);
    }
    this.loops = Object.keys(this.opts.printers).map((role) => this.loop(role));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Makes idle or backing-off workers look again now (after an insert, or "printer fixed"). */
  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Inserts a job (outside a sale: its own transaction) and wakes the workers. */
  enqueue(job: NewPrintJob): string {
    const id = this.db.$client.transaction(() => enqueuePrint(this.db, { ...job, at: job.at ?? this.now() }))();
    this.emitJob(id);
    this.wake();
    return id;
  }

  /**
   * A person asked for a reprint: a NEW job with is_copy = 1 whose document carries a 重印 mark
   * and the reprint time (a sale or return re-renders through the reprint template; other
   * kinds get the mark added). The original job is not touched.
   */
  reprint(jobId: string, o: { by?: string; at?: number } = {}): string {
    const row = this.get(jobId);
    if (!row) throw new Error(`没有这个打印任务：${jobId}`);
    const p = payloadOf(row);
    const at = o.at ?? this.now();
    let payload: ReceiptJobPayload;
    if (p.template === 'sale' || p.template === 'return') {
      payload = { v: 1, template: 'reprint', data: { original: { template: p.template, data: p.data } as never, reprintAt: at, by: o.by }, settings: p.settings };
    } else if (p.template === 'reprint') {
      payload = { ...p, data: { ...p.data, reprintAt: at, by: o.by } };
    } else {
      payload = p; // marked at render time because is_copy = 1
    }
    return this.enqueue({ kind: 'reprint', role: row.printerRole, refId: row.refId, payload, isCopy: true, at });
  }

  /** A person checked the paper: the interrupted job did not print. It is queued again as is. */
  confirmNotPrinted(jobId: string): void {
    if (this.q.requeue.run({ id: jobId, reason: null }).changes !== 1) throw new Error('只有失败的打印任务可以重新排队');
    this.emitJob(jobId);
    this.wake();
  }

  /** Drops a pending or failed job. */
  cancel(jobId: string): void {
    if (this.q.cancel.run({ id: jobId }).changes !== 1) throw new Error('只有等待中或失败的打印任务可以取消');
    this.emitJob(jobId);
  }

  get(id: string): PrintJobRow | undefined {
    return this.q.byId.get({ id });
  }

  /** Jobs a person should see: waiting and failed, oldest first. */
  attention(): PrintJobRow[] {
    return this.q.attention.all();
  }

  /** Last status seen per role. */
  printerStatus(role: string): PrinterStatus | undefined {
    return this.lastStatus.get(role);
  }

  /** The bytes a job prints (also for a preview of a queued job). */
  renderJob(row: PrintJobRow): Buffer {
    const payload = payloadOf(row);
    if (this.opts.render) return this.opts.render(payload, row);
    let doc = this.buildDoc(payload, row);
    if (row.drawerOpenedAt) doc = withoutDrawer(doc); // the drawer was opened while the job waited
    return renderEscpos(doc);
  }

  private buildDoc(payload: ReceiptJobPayload, row: PrintJobRow): ReceiptDocument {
    const settings = typeof this.opts.settings === 'function' ? this.opts.settings() : this.opts.settings;
    const doc = buildDocument(payload, settings);
    if (row.isCopy && payload.template !== 'reprint') return markCopy(doc, formatTime(row.createdAt, (payload.settings ?? settings).timeZone));
    return doc;
  }

  /** Default earlyDrawer: the job's own kick pin, as a real-time pulse, when paper is out or the cover open. */
  private defaultEarlyDrawer(row: PrintJobRow, st: PrinterStatus, printer: ReceiptPrinter): EarlyDrawer | null {
    const kick = this.buildDoc(payloadOf(row), row).blocks.find((b) => b.type === 'drawer');
    return earlyDrawer(st, kick ? { via: `pulse:pin${kick.pin}`, printer, pin: kick.pin } : null);
  }

  /**
   * The printer cannot print (st): opens the drawer of each waiting job of the role that carries a
   * kick and has not had its drawer opened yet — once per job (oldest first).
   */
  private async openDrawersEarly(role: string, printer: ReceiptPrinter, st: PrinterStatus): Promise<void> {
    for (const row of this.q.drawerNotOpened.all({ role })) {
      if (this.stopped) return;
      let early: EarlyDrawer | null;
      try {
        early = this.opts.earlyDrawer ? this.opts.earlyDrawer(row, st, printer) : this.defaultEarlyDrawer(row, st, printer);
      } catch {
        early = null; // a payload that does not render: it will fail visibly when it prints
      }
      if (!early) continue;
      const at = this.now();
      if (this.q.markDrawer.run({ id: row.id, at }).changes !== 1) continue;
      try {
        await early.open();
      } catch (e) {
        if (e instanceof PrintError && e.delivered === 'none') {
          // Nothing reached the drawer: the kick stays in the job (and the next wait may try again).
          this.q.unmarkDrawer.run({ id: row.id, at });
          return;
        }
        // It may have opened: never open it a second time.
      }
      this.emit('drawer', { id: row.id, role, via: early.via, state: st.state });
    }
  }

  // -------------------------------------------------------------------------------------------

  private emitJob(id: string): void {
    const r = this.get(id);
    if (!r) return;
    this.emit('job', {
      id,
      status: r.status,
      kind: r.kind,
      role: r.printerRole,
      waitReason: r.waitReason,
      isCopy: r.isCopy,
    });
  }

  private setStatus(role: string, s: PrinterStatus): void {
    const prev = this.lastStatus.get(role);
    this.lastStatus.set(role, s);
    if (!prev || prev.state !== s.state || prev.message !== s.message || prev.drawerOpen !== s.drawerOpen) {
      this.emit('printer', { role, status: s });
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wakers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private next(role: string): PrintJobRow | undefined {
    return this.q.next.get({ role });
  }

  /** Records why the role's pending jobs wait; emits 'job' for each one whose reason changed. */
  private markWaiting(role: string, reason: string | null): void {
    for (const r of this.q.waitingOtherwise.all({ role, reason })) {
      this.q.waitReason.run({ id: r.id, reason });
      this.emitJob(r.id);
    }
  }

  private async loop(role: string): Promise<void> {
    const printer = this.opts.printers[role];
    const min = this.opts.minBackoffMs ?? 500;
    const max = this.opts.maxBackoffMs ?? 10_000;
    let backoff = min;
    while (!this.stopped) {
      const job = this.next(role);
      if (!job) {
        await this.sleep(this.opts.idlePollMs ?? 1000);
        continue;
      }
      let st: PrinterStatus;
      try {
        st = await printer.status();
      } catch (e) {
        st = mkStatus('offline', `离线（${(e as Error).message}）`);
      }
      if (this.stopped) break;
      this.setStatus(role, st);
      if (!canPrint(st)) {
        this.markWaiting(role, st.message);
        await this.openDrawersEarly(role, printer, st);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, max);
        continue;
      }
      backoff = min;
      if (this.q.claim.run({ id: job.id }).changes !== 1) continue; // cancelled meanwhile
      this.emitJob(job.id);
      let bytes: Buffer;
      try {
        bytes = this.renderJob(job);
      } catch (e) {
        this.q.failed.run({ id: job.id, reason: `小票生成失败：${(e as Error).message}` });
        this.emitJob(job.id);
        continue;
      }
      try {
        await printer.print(bytes);
        this.q.printed.run({ id: job.id, at: this.now() });
        this.emitJob(job.id);
      } catch (e) {
        if (e instanceof PrintError && e.delivered === 'none') {
          this.q.backToPending.run({ id: job.id, reason: '离线' });
          this.emitJob(job.id);
          this.setStatus(role, mkStatus('offline'));
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, max);
        } else {
          this.q.failed.run({ id: job.id, reason: INTERRUPTED });
          this.emitJob(job.id);
        }
      }
    }
  }
}

/** The document without its drawer kicks. */
export function withoutDrawer(doc: ReceiptDocument): ReceiptDocument {
  return doc.blocks.some((b) => b.type === 'drawer') ? { ...doc, blocks: doc.blocks.filter((b) => b.type !== 'drawer') } : doc;
}

/** Adds the 重印 mark and time to any document, and removes drawer kicks. */
export function markCopy(doc: ReceiptDocument, at: string): ReceiptDocument {
  const mark: Block[] = [
    { type: 'text', text: '** 重印 **', align: 'center', size: { w: 2, h: 2 }, bold: true },
    { type: 'text', text: `重印时间 ${at}`, align: 'center', size: NORMAL },
  ];
  return { ...doc, blocks: [...mark, ...doc.blocks.filter((b) => b.type !== 'drawer')] };
}
