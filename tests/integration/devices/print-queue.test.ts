// The print queue on a real SQLite file (drizzle migrations) against the fake network printer.
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTERRUPTED, PrintQueue, type JobEvent, type PrinterEvent } from '../../../electron/devices/print-queue';
import type { TillDb } from '../../../electron/till/db';
import { enqueuePrint } from '../../../electron/till/ledger';
import * as schema from '../../../electron/till/schema';
import { NetworkPrinter } from '../../../electron/devices/printer/network';
import type { ReceiptJobPayload, SaleReceiptData } from '../../../electron/devices/receipt/templates';
import { FakePrinter, type FakeJob } from '../../fakes/fake-printer';
import { SAMPLE_SALE, sampleSettings } from '../../fakes/render-samples';

let dir: string;
let db: Database.Database;
let tdb: TillDb;
let fake: FakePrinter;
let queue: PrintQueue;
let events: JobEvent[];
let printerEvents: PrinterEvent[];

const sale = (n: number): SaleReceiptData => ({ ...SAMPLE_SALE, receiptNo: `T01-20261125-${String(n).padStart(4, '0')}`, openDrawer: undefined });
const payload = (n: number): ReceiptJobPayload => ({ v: 1, template: 'sale', data: sale(n) });
const receiptNos = (jobs: FakeJob[]) => jobs.map((j) => j.decoded.barcodes[0]?.data);
const row = (id: string) => tdb.select().from(schema.printJobs).where(eq(schema.printJobs.id, id)).get()!;
/** A job written by the till outside the queue (a sale's transaction). */
const writeJob = (job: { kind: 'sale'; refId?: string; payload: ReceiptJobPayload }) => db.transaction(() => enqueuePrint(tdb, { ...job, at: Date.now() }))();

/** Polls `fn` until true, or fails at the deadline. */
async function until(fn: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves on the first 'job' event matching `pred` (or if the row already matches). */
function jobEvent(pred: (e: JobEvent) => boolean, what: string, ms = 10_000): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      queue.off('job', on);
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const on = (e: JobEvent) => {
      if (pred(e)) {
        clearTimeout(t);
        queue.off('job', on);
        resolve(e);
      }
    };
    queue.on('job', on);
  });
}

function newQueue(): PrintQueue {
  const q = new PrintQueue(tdb, {
    printers: { receipt: new NetworkPrinter({ host: '127.0.0.1', port: fake.port, statusTimeoutMs: 500 }) },
    settings: sampleSettings(58, false),
    minBackoffMs: 10,
    maxBackoffMs: 80,
    idlePollMs: 50,
  });
  q.on('job', (e) => events.push(e));
  q.on('printer', (e) => printerEvents.push(e));
  return q;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'print-queue-'));
  db = new Database(join(dir, 'till.db'));
  db.pragma('journal_mode = WAL');
  tdb = drizzle(db, { schema });
  migrate(tdb, { migrationsFolder: 'migrations' });
  fake = await FakePrinter.start();
  events = [];
  printerEvents = [];
  queue = newQueue();
});

afterEach(async () => {
  await queue.stop();
  await fake.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('print queue', () => {
  it('a job written in the sale transaction prints once and is marked printed', async () => {
    queue.start();
    const id = writeJob({ kind: 'sale', refId: 'sale-1', payload: payload(1) });
    queue.wake();
    await jobEvent((e) => e.id === id && e.status === 'printed', 'printed');
    const r = row(id);
    expect(r.status).toBe('printed');
    expect(r.attempts).toBe(1);
    expect(r.printedAt).toBeGreaterThan(0);
    await fake.waitForJobs(1); // the printer finishes reading after the driver hung up
    expect(receiptNos(fake.jobs())).toEqual(['T01-20261125-0001']);
    expect(events.filter((e) => e.id === id).map((e) => e.status)).toEqual(['printing', 'printed']);
  });

  it('paper out mid-shift: the job waits with 缺纸, then prints ONCE when paper is back', async () => {
    queue.start();
    const first = queue.enqueue({ kind: 'sale', payload: payload(1) });
    await jobEvent((e) => e.id === first && e.status === 'printed', 'first printed');
    await fake.waitForJobs(1);

    fake.setPaper('out');
    const waiting = jobEvent((e) => e.waitReason === '缺纸', 'wait reason 缺纸');
    const second = queue.enqueue({ kind: 'sale', payload: payload(2) });
    const ev = await waiting;
    expect(ev).toMatchObject({ id: second, status: 'pending', waitReason: '缺纸' });
    expect(row(second)).toMatchObject({ status: 'pending', waitReason: '缺纸', attempts: 0 });
    expect(queue.printerStatus('receipt')).toMatchObject({ state: 'paper_out', message: '缺纸' });
    expect(printerEvents.at(-1)).toMatchObject({ role: 'receipt', status: { state: 'paper_out' } });
    // let the worker retry a few times while the paper is out: still nothing sent
    const retries = printerEvents.length;
    const asked = fake.answered;
    await until(() => fake.answered >= asked + 9, 'three more status checks'); // 3 queries per check
    expect(row(second)).toMatchObject({ status: 'pending', waitReason: '缺纸', attempts: 0 });
    expect(fake.allJobs()).toHaveLength(1);
    expect(printerEvents.length).toBe(retries); // no event storm while nothing changes

    fake.setPaper('ok');
    await jobEvent((e) => e.id === second && e.status === 'printed', 'second printed');
    expect(row(second)).toMatchObject({ status: 'printed', waitReason: null, attempts: 1 });
    // a third job after it proves the worker moved on without resending the second
    const third = queue.enqueue({ kind: 'sale', payload: payload(3) });
    await jobEvent((e) => e.id === third && e.status === 'printed', 'third printed');
    await fake.waitForJobs(3);
    expect(receiptNos(fake.allJobs())).toEqual(['T01-20261125-0001', 'T01-20261125-0002', 'T01-20261125-0003']);
    expect(fake.allJobs().every((j) => j.printed)).toBe(true);
    expect(printerEvents.at(-1)).toMatchObject({ status: { state: 'ok', message: '正常' } });
  });

  it('printer switched off for a while: nothing is lost or doubled when it comes back', async () => {
    queue.start();
    await fake.setOnline(false);
    const offline = jobEvent((e) => e.waitReason?.startsWith('离线') === true, 'wait reason 离线');
    const ids = [1, 2, 3, 4, 5].map((n) => queue.enqueue({ kind: 'sale', payload: payload(n) }));
    await offline;
    await until(() => ids.every((id) => row(id).waitReason?.startsWith('离线')), 'all jobs wait 离线');
    expect(ids.map((id) => row(id).status)).toEqual(Array(5).fill('pending'));
    expect(queue.printerStatus('receipt')?.state).toBe('offline');

    await fake.setOnline(true);
    await fake.waitForJobs(5);
    await until(() => ids.every((id) => row(id).status === 'printed'), 'all printed');
    // one more job as a barrier: if anything were resent it would show before this one
    const last = queue.enqueue({ kind: 'sale', payload: payload(6) });
    await jobEvent((e) => e.id === last && e.status === 'printed', 'barrier printed');
    await fake.waitForJobs(6);
    expect(receiptNos(fake.allJobs())).toEqual([1, 2, 3, 4, 5, 6].map((n) => `T01-20261125-000${n}`));
    expect(ids.map((id) => row(id).attempts)).toEqual([1, 1, 1, 1, 1]);
  });

  it('a reprint is a NEW job marked as copy, and its receipt shows 重印', async () => {
    queue.start();
    const id = queue.enqueue({ kind: 'sale', refId: 'sale-7', payload: { v: 1, template: 'sale', data: { ...sale(7), openDrawer: 2 } } });
    await jobEvent((e) => e.id === id && e.status === 'printed', 'original printed');
    const copy = queue.reprint(id, { by: '李四' });
    expect(copy).not.toBe(id);
    await jobEvent((e) => e.id === copy && e.status === 'printed', 'reprint printed');
    await fake.waitForJobs(2);
    expect(row(copy)).toMatchObject({ kind: 'reprint', isCopy: true, refId: 'sale-7', status: 'printed' });
    expect(row(id)).toMatchObject({ isCopy: false, status: 'printed', attempts: 1 });
    const [orig, again] = fake.jobs();
    expect(orig.decoded.lines.some((l) => l.text.includes('重印'))).toBe(false);
    expect(orig.decoded.drawerKicks).toHaveLength(1);
    const mark = again.decoded.lines.find((l) => l.text.includes('重印') && l.size.w === 2);
    expect(mark).toBeDefined();
    expect(again.decoded.lines.some((l) => l.text.startsWith('重印人') && l.text.endsWith('李四'))).toBe(true);
    expect(again.decoded.drawerKicks).toEqual([]); // a reprint never opens the drawer
    expect(again.decoded.barcodes[0].data).toBe('T01-20261125-0007');
  });

  it('a job left "printing" by a crash is not sent again: it is failed for a person to decide', async () => {
    const id = writeJob({ kind: 'sale', payload: payload(9) });
    db.prepare(`UPDATE print_jobs SET status = 'printing', attempts = 1 WHERE id = ?`).run(id);
    const later = writeJob({ kind: 'sale', payload: payload(10) });
    queue.start();
    expect(row(id)).toMatchObject({ status: 'failed', waitReason: INTERRUPTED });
    expect(events.find((e) => e.id === id)).toMatchObject({ status: 'failed', waitReason: '打印中断，请确认后重印' });
    await jobEvent((e) => e.id === later && e.status === 'printed', 'later job printed');
    await fake.waitForJobs(1);
    expect(receiptNos(fake.allJobs())).toEqual(['T01-20261125-0010']);
    expect(queue.attention().map((r) => r.id)).toEqual([id]);
    // the person checked the paper: not printed → it prints now, once, as the original
    queue.confirmNotPrinted(id);
    await jobEvent((e) => e.id === id && e.status === 'printed', 'confirmed job printed');
    await fake.waitForJobs(2);
    expect(receiptNos(fake.allJobs())).toEqual(['T01-20261125-0010', 'T01-20261125-0009']);
    expect(row(id).attempts).toBe(2);
  });

  it('jobs survive a restart of the queue while waiting for paper', async () => {
    fake.setPaper('out');
    queue.start();
    const id = queue.enqueue({ kind: 'sale', payload: payload(11) });
    await until(() => row(id).waitReason === '缺纸', '缺纸');
    await queue.stop();
    queue = newQueue();
    fake.setPaper('ok');
    queue.start();
    await jobEvent((e) => e.id === id && e.status === 'printed', 'printed after restart');
    await fake.waitForJobs(1);
    expect(receiptNos(fake.allJobs())).toEqual(['T01-20261125-0011']);
  });
});
