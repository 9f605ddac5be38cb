// A cash sale's drawer must open even when its receipt has to wait. The drawer kick (ESC p) travels
// inside the receipt job; when the printer is out of paper or its cover is open the job waits, so
// the queue opens the drawer at once with the real-time pulse DLE DC4 1 m t (which a printer executes
// even while stopped), ONCE per job, and the receipt prints later without its kick. An offline
// printer cannot get anything: the job waits (离线) and prints with its kick when it is back.
// Real Till on a temporary folder (real SQLite), real cash sales through the API, the fake TCP
// printer; the drawer box case over a socat serial pair.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceConfigInput } from '../../../shared/api/devices';
import type { TillEventName } from '../../../shared/api/events';
import type { SaleResult } from '../../../shared/api/sales';
import { createRegistry } from '../../../electron/api/handlers';
import type { Registry } from '../../../electron/api/registry';
import { startDevices, type DeviceManager } from '../../../electron/devices/manager';
import { PrintQueue, type DrawerEvent, type PrintJobRow } from '../../../electron/devices/print-queue';
import { NetworkPrinter } from '../../../electron/devices/printer/network';
import { PrintError, status, type PrinterStatus, type ReceiptPrinter } from '../../../electron/devices/printer/types';
import { DRAWER_KICK, DRAWER_PULSE } from '../../../electron/devices/receipt/escpos';
import { demoUsers } from '../../../electron/till/demo-catalog';
import { demoBarcode } from '../../../electron/till/seed';
import type { TillDb } from '../../../electron/till/db';
import * as schema from '../../../electron/till/schema';
import { printJobs } from '../../../electron/till/schema';
import { Till } from '../../../electron/till/till';
import { decodeEscpos, decodedToText } from '../../fakes/escpos-decoder';
import { FakePrinter, type FakeJob } from '../../fakes/fake-printer';
import { FakeDisplayReader } from '../../fakes/serial-display';
import { SAMPLE_SALE, sampleSettings } from '../../fakes/render-samples';
import { startSerialPair, waitFor } from '../../support/peers';
import { networkPrinter } from '../../support/device-configs';

const COKE_500 = demoBarcode(2); // 可口可乐 500ml ¥3.50
const KICK_PIN2 = '1b700019fa';
const KICK_PIN5 = '1b700119fa';

let dir: string;
let till: Till | undefined;
let registry: Registry;
let manager: DeviceManager | undefined;
let fake: FakePrinter;
let events: { name: TillEventName; payload: any }[];
const cleanups: (() => Promise<void> | void)[] = [];

const printer = networkPrinter;

async function call<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.result as T;
}

/** A till with devices, a cashier logged in and a shift open. */
async function open(devices: DeviceConfigInput[]): Promise<void> {
  till = new Till({ dataDir: dir, seedDemo: true });
  events = [];
  till.events.onAny((name, payload) => events.push({ name, payload }));
  manager = startDevices(till, {
    env: { TILL_DEVICES_JSON: JSON.stringify(devices) },
    statusPollMs: 100,
    minBackoffMs: 20,
    maxBackoffMs: 100,
    idlePollMs: 50,
    reconnectMs: 200,
  });
  registry = createRegistry({ till, devices: manager }, 'browser');
  const cashier = demoUsers.find((u) => u.role === 'cashier')!;
  const { id } = till.sqlite.prepare('SELECT id FROM users WHERE name = ?').get(cashier.name) as { id: string };
  await call('auth.login', { userId: id, pin: cashier.pin });
  await call('shift.open', { openingCashFen: 50000 });
}

/** A real cash sale (one cola, paid with ¥10): its receipt job carries the drawer kick. Returns the job. */
async function cashSale(): Promise<{ sale: SaleResult; job: PrintJobRow }> {
  await call('cart.scan', { code: COKE_500 });
  const sale = await call<SaleResult>('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] });
  const job = till!.db.select().from(printJobs).where(and(eq(printJobs.kind, 'sale'), eq(printJobs.refId, sale.saleId))).get()!;
  expect(job).toBeDefined();
  return { sale, job };
}

const jobRow = (id: string) => till!.db.select().from(printJobs).where(eq(printJobs.id, id)).get()!;
const hexCount = (bytes: Buffer, hex: string) => bytes.toString('hex').match(new RegExp(`(?:..)*?${hex}`, 'g'))?.length ?? 0;
const receiptNo = (j: FakeJob) => j.decoded.barcodes[0]?.data;

/** Resolves once the printer has answered `n` more status queries (3 per status check). */
const morePolls = (n: number) => {
  const from = fake.answered;
  return waitFor(() => fake.answered >= from + 3 * n, { what: `${n} more status checks` });
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drawer-pulse-'));
  fake = await FakePrinter.start();
});

afterEach(async () => {
  await manager?.stop();
  manager = undefined;
  till?.close();
  till = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('decoder and fake printer: DLE DC4 1 (real-time drawer pulse)', () => {
  it('decodes the pulse as a real-time command that prints nothing', () => {
    const job = decodeEscpos(Buffer.concat([DRAWER_PULSE[5], Buffer.from([0x10, 0x14, 0x01, 0x00, 0x03])]));
    expect(job.drawerPulses).toEqual([
      { pin: 5, pulseMs: 100, raw: [0x10, 0x14, 0x01, 0x01, 0x01] },
      { pin: 2, pulseMs: 300, raw: [0x10, 0x14, 0x01, 0x00, 0x03] },
    ]);
    expect(job.drawerKicks).toEqual([]);
    expect(job.printsSomething).toBe(false);
    expect(job.errors).toEqual([]);
    expect(job.lines).toEqual([]);
    expect(decodedToText(job, 32)).toContain('[钱箱实时脉冲 pin5 100ms]');
    expect([...DRAWER_PULSE[2]]).toEqual([0x10, 0x14, 0x01, 0x00, 0x01]);
    // Mid-job and split across chunks, it is still one pulse and the text around it prints.
    const withText = decodeEscpos(Buffer.concat([Buffer.from('AB'), DRAWER_PULSE[2], Buffer.from('C\n')]));
    expect(withText.drawerPulses).toHaveLength(1);
    expect(withText.lines.map((l) => l.text)).toEqual(['ABC']);
  });

  it('the fake fires a pulse while paper is out or the cover is open, and still loses print data then', async () => {
    const p = new NetworkPrinter({ host: '127.0.0.1', port: fake.port });
    fake.setPaper('out');
    await p.print(DRAWER_PULSE[2]);
    await fake.waitForPulses(1);
    await p.print(Buffer.concat([Buffer.from('lost\n'), DRAWER_KICK[2]]));
    await waitFor(() => fake.allJobs().length === 1, { what: 'the lost job recorded' });
    fake.setPaper('ok');
    fake.setCover(true);
    await p.print(DRAWER_PULSE[5]);
    await fake.waitForPulses(2);
    expect(fake.pulses().map((x) => ({ pin: x.pin, paper: x.paper, coverOpen: x.coverOpen }))).toEqual([
      { pin: 2, paper: 'out', coverOpen: false },
      { pin: 5, paper: 'ok', coverOpen: true },
    ]);
    // Pulse-only connections are not jobs; the print data sent while paper was out did not print.
    expect(fake.allJobs().map((j) => ({ printed: j.printed, lostReason: j.lostReason }))).toEqual([{ printed: false, lostReason: '缺纸' }]);
    expect(fake.jobs()).toEqual([]);
  });
});

describe('a cash sale while the receipt printer cannot print', () => {
  it('paper out: the job waits with 缺纸, the drawer opens at once by ONE pulse on the configured pin; paper back → the receipt prints once without a kick', async () => {
    await open([printer(fake.port, { drawerPin: 5 })]);
    await waitFor(() => manager!.statusOf('p1').code === 'ok', { what: 'printer ok' });
    fake.setPaper('out');
    const { sale, job } = await cashSale();
    const [pulse] = await fake.waitForPulses(1);
    expect(pulse).toMatchObject({ pin: 5, pulseMs: 100, raw: [...DRAWER_PULSE[5]], paper: 'out' });
    await waitFor(() => jobRow(job.id).waitReason === '缺纸', { what: 'job waits with 缺纸' });
    expect(jobRow(job.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(jobRow(job.id).drawerOpenedAt).toBeGreaterThan(0);
    expect(events.some((e) => e.name === 'printJob' && e.payload.id === job.id && e.payload.waitReason === '缺纸')).toBe(true);

    // Many retries later: still exactly one pulse, nothing printed.
    await morePolls(10);
    expect(fake.pulses()).toHaveLength(1);
    expect(fake.allJobs()).toEqual([]);
    expect(jobRow(job.id)).toMatchObject({ status: 'pending', waitReason: '缺纸', attempts: 0 });

    fake.setPaper('ok');
    const [receipt] = await fake.waitForJobs(1);
    expect(receiptNo(receipt)).toBe(sale.receiptNo);
    expect(receipt.decoded.drawerKicks).toEqual([]);
    expect(hexCount(receipt.bytes, '1b70')).toBe(0);
    expect(receipt.decoded.drawerPulses).toEqual([]);
    await waitFor(() => jobRow(job.id).status === 'printed', { what: 'job printed' });
    expect(jobRow(job.id)).toMatchObject({ attempts: 1, waitReason: null });

    // The next cash sale with paper prints its kick as usual; the first receipt was not resent and no new pulse fired.
    const next = await cashSale();
    await fake.waitForJobs(2);
    const [, second] = fake.jobs();
    expect(receiptNo(second)).toBe(next.sale.receiptNo);
    expect(second.decoded.drawerKicks.map((k) => Buffer.from(k.raw).toString('hex'))).toEqual([KICK_PIN5]);
    expect(fake.allJobs()).toHaveLength(2);
    expect(fake.pulses()).toHaveLength(1);
  });

  it('cover open behaves the same: one pulse at once (pin 2), the receipt prints once without a kick when the cover closes', async () => {
    await open([printer(fake.port)]);
    fake.setCover(true);
    const { sale, job } = await cashSale();
    const [pulse] = await fake.waitForPulses(1);
    expect(pulse).toMatchObject({ pin: 2, raw: [...DRAWER_PULSE[2]], coverOpen: true });
    await waitFor(() => jobRow(job.id).waitReason === '上盖打开', { what: 'job waits with 上盖打开' });
    await morePolls(10);
    expect(fake.pulses()).toHaveLength(1);
    expect(fake.allJobs()).toEqual([]);

    fake.setCover(false);
    const [receipt] = await fake.waitForJobs(1);
    expect(receiptNo(receipt)).toBe(sale.receiptNo);
    expect(receipt.decoded.drawerKicks).toEqual([]);
    expect(hexCount(receipt.bytes, '1b70')).toBe(0);
    await waitFor(() => jobRow(job.id).status === 'printed', { what: 'job printed' });
    await morePolls(3);
    expect(fake.allJobs()).toHaveLength(1);
    expect(fake.pulses()).toHaveLength(1);
  });

  it('two cash sales while paper is out: each opens the drawer once; both receipts print once, in order, without kicks', async () => {
    await open([printer(fake.port)]);
    fake.setPaper('out');
    const a = await cashSale();
    await fake.waitForPulses(1);
    const b = await cashSale();
    await fake.waitForPulses(2);
    await morePolls(10);
    expect(fake.pulses().map((p) => p.pin)).toEqual([2, 2]);
    expect([jobRow(a.job.id).drawerOpenedAt, jobRow(b.job.id).drawerOpenedAt].every((t) => (t ?? 0) > 0)).toBe(true);

    fake.setPaper('ok');
    const printed = await fake.waitForJobs(2);
    expect(printed.map(receiptNo)).toEqual([a.sale.receiptNo, b.sale.receiptNo]);
    expect(printed.map((j) => j.decoded.drawerKicks.length)).toEqual([0, 0]);
    await waitFor(() => jobRow(b.job.id).status === 'printed', { what: 'second printed' });
    expect(fake.pulses()).toHaveLength(2);
  });

  it('printer offline: no pulse, the job waits with 离线, and prints once WITH its kick when the printer is back', async () => {
    await open([printer(fake.port)]);
    await fake.setOnline(false);
    const { sale, job } = await cashSale();
    await waitFor(() => jobRow(job.id).waitReason?.startsWith('离线'), { what: 'job waits with 离线' });
    expect(events.some((e) => e.name === 'printJob' && e.payload.id === job.id && String(e.payload.waitReason).startsWith('离线'))).toBe(true);
    await waitFor(() => manager!.statusOf('p1').code === 'offline', { what: 'device offline' });
    expect(jobRow(job.id)).toMatchObject({ status: 'pending', attempts: 0, drawerOpenedAt: null });

    await fake.setOnline(true);
    const [receipt] = await fake.waitForJobs(1);
    expect(receiptNo(receipt)).toBe(sale.receiptNo);
    expect(receipt.decoded.drawerKicks.map((k) => Buffer.from(k.raw).toString('hex'))).toEqual([KICK_PIN2]);
    await waitFor(() => jobRow(job.id).status === 'printed', { what: 'job printed' });
    await morePolls(5);
    expect(fake.pulses()).toEqual([]);
    expect(fake.allJobs()).toHaveLength(1);
    expect(jobRow(job.id).drawerOpenedAt).toBeNull();
  });

  it('paper ok: exactly one ESC p 1b 70 00 19 fa inside the receipt and no pulse', async () => {
    await open([printer(fake.port)]);
    const { sale, job } = await cashSale();
    const [receipt] = await fake.waitForJobs(1);
    expect(receiptNo(receipt)).toBe(sale.receiptNo);
    expect(hexCount(receipt.bytes, KICK_PIN2)).toBe(1);
    expect(hexCount(receipt.bytes, '1b70')).toBe(1);
    expect(receipt.decoded.drawerKicks).toHaveLength(1);
    await waitFor(() => jobRow(job.id).status === 'printed', { what: 'job printed' });
    await morePolls(5);
    expect(fake.pulses()).toEqual([]);
    expect(fake.allJobs()).toHaveLength(1);
    expect(jobRow(job.id).drawerOpenedAt).toBeNull();
  });
});

describe('a serial drawer box', () => {
  it('opens at once for a cash sale whose receipt waits for paper (once), and the receipt later prints with no kick', async () => {
    const pair = await startSerialPair();
    cleanups.push(() => pair.stop());
    const box = new FakeDisplayReader(pair.b); // collects the trigger bytes
    await box.open();
    cleanups.push(() => box.close());
    await open([
      printer(fake.port, { drawerPin: null }),
      { id: 'box', name: '钱箱', kind: 'drawer_box', enabled: true, driver: { type: 'serial', path: pair.a, baud: 9600, protocol: 'trigger' } } as DeviceConfigInput,
    ]);
    await waitFor(() => manager!.statusOf('box').code === 'ok', { what: 'drawer box connected' });
    fake.setPaper('out');
    const { sale, job } = await cashSale();
    await waitFor(() => box.bytes.length >= 1, { what: 'trigger byte' });
    expect(jobRow(job.id)).toMatchObject({ status: 'pending', waitReason: '缺纸' });
    await morePolls(10);
    expect(box.bytes.toString('hex')).toBe('07');
    expect(fake.pulses()).toEqual([]); // the printer has no drawer: no pulse to it

    fake.setPaper('ok');
    const [receipt] = await fake.waitForJobs(1);
    expect(receiptNo(receipt)).toBe(sale.receiptNo);
    expect(receipt.decoded.drawerKicks).toEqual([]);
    await waitFor(() => jobRow(job.id).status === 'printed', { what: 'job printed' });
    await morePolls(3);
    expect(box.bytes.toString('hex')).toBe('07'); // not a second time when it printed
  });
});

describe('a serial drawer box, printer offline', () => {
  it('the box does not need the printer: it opens at once while the receipt waits with 离线, and not again when it prints', async () => {
    const pair = await startSerialPair();
    cleanups.push(() => pair.stop());
    const box = new FakeDisplayReader(pair.b);
    await box.open();
    cleanups.push(() => box.close());
    await open([
      printer(fake.port, { drawerPin: null }),
      { id: 'box', name: '钱箱', kind: 'drawer_box', enabled: true, driver: { type: 'serial', path: pair.a, baud: 9600, protocol: 'trigger' } } as DeviceConfigInput,
    ]);
    await waitFor(() => manager!.statusOf('box').code === 'ok', { what: 'drawer box connected' });
    await fake.setOnline(false);
    const { sale, job } = await cashSale();
    await waitFor(() => box.bytes.length >= 1, { what: 'trigger byte' });
    await waitFor(() => jobRow(job.id).waitReason?.startsWith('离线'), { what: 'job waits with 离线' });
    expect(jobRow(job.id).status).toBe('pending');
    await fake.setOnline(true);
    const [receipt] = await fake.waitForJobs(1);
    expect(receiptNo(receipt)).toBe(sale.receiptNo);
    expect(receipt.decoded.drawerKicks).toEqual([]);
    await waitFor(() => jobRow(job.id).status === 'printed', { what: 'job printed' });
    await morePolls(3);
    expect(box.bytes.toString('hex')).toBe('07');
  });
});

describe('print queue on its own (default drawer handling)', () => {
  let db: Database.Database;
  let tdb: TillDb;
  let queue: PrintQueue | undefined;
  beforeEach(() => {
    db = new Database(join(dir, 'q.db'));
    tdb = drizzle(db, { schema });
    migrate(tdb, { migrationsFolder: 'migrations' });
  });
  afterEach(async () => {
    await queue?.stop();
    queue = undefined;
    db.close();
  });

  /** A printer that reports `state` and whose first pulse is refused (nothing delivered). */
  function stubPrinter(): ReceiptPrinter & { state: PrinterStatus['state']; sent: Buffer[]; refuseNext: number } {
    const p = {
      name: 'stub',
      state: 'paper_out' as PrinterStatus['state'],
      sent: [] as Buffer[],
      refuseNext: 1,
      async status() {
        return status(p.state);
      },
      async print(bytes: Buffer) {
        if (p.refuseNext > 0) {
          p.refuseNext--;
          throw new PrintError('refused', 'none');
        }
        p.sent.push(bytes);
      },
    };
    return p;
  }

  it('the pulse uses the pin of the job’s kick; a refused pulse is tried again and then sent once; the job prints without its kick', async () => {
    const p = stubPrinter();
    const drawerEvents: DrawerEvent[] = [];
    queue = new PrintQueue(tdb, { printers: { receipt: p }, settings: sampleSettings(58, false), minBackoffMs: 5, maxBackoffMs: 20, idlePollMs: 20 });
    queue.on('drawer', (e) => drawerEvents.push(e));
    queue.start();
    const id = queue.enqueue({ kind: 'sale', payload: { v: 1, template: 'sale', data: { ...SAMPLE_SALE, openDrawer: 5 } } });
    const plain = queue.enqueue({ kind: 'sale', payload: { v: 1, template: 'sale', data: { ...SAMPLE_SALE, openDrawer: undefined } } });
    await waitFor(() => p.sent.length >= 1, { what: 'pulse sent' });
    expect(p.refuseNext).toBe(0); // the first attempt was refused and not counted
    await waitFor(() => drawerEvents.length >= 1, { what: 'drawer event' });
    // Let it retry a while: no second pulse, none for the job without a kick.
    const seen = { n: 0 };
    const statusCalls = p.status.bind(p);
    p.status = async () => (seen.n++, statusCalls());
    await waitFor(() => seen.n >= 10, { what: 'ten more retries' });
    expect(p.sent.map((b) => b.toString('hex'))).toEqual([DRAWER_PULSE[5].toString('hex')]);
    expect(drawerEvents).toEqual([{ id, role: 'receipt', via: 'pulse:pin5', state: 'paper_out' }]);
    expect(queue.get(plain)?.drawerOpenedAt).toBeNull();

    p.state = 'ok';
    await waitFor(() => queue!.get(plain)?.status === 'printed', { what: 'both printed' });
    expect(queue.get(id)?.status).toBe('printed');
    const [, first, second] = p.sent.map((b) => decodeEscpos(b));
    expect(first.barcodes[0].data).toBe(SAMPLE_SALE.receiptNo);
    expect(first.drawerKicks).toEqual([]);
    expect(second.drawerKicks).toEqual([]);
    expect(p.sent).toHaveLength(3);
  });

  it('offline or a printer fault: no pulse; the job keeps its kick', async () => {
    const p = stubPrinter();
    p.refuseNext = 0;
    p.state = 'offline';
    queue = new PrintQueue(tdb, { printers: { receipt: p }, settings: sampleSettings(58, false), minBackoffMs: 5, maxBackoffMs: 20, idlePollMs: 20 });
    queue.start();
    const id = queue.enqueue({ kind: 'sale', payload: { v: 1, template: 'sale', data: { ...SAMPLE_SALE, openDrawer: 2 } } });
    await waitFor(() => queue!.get(id)?.waitReason === '离线', { what: '离线' });
    p.state = 'error';
    await waitFor(() => queue!.get(id)?.waitReason === '打印机故障', { what: '打印机故障' });
    expect(p.sent).toEqual([]);
    p.state = 'ok';
    await waitFor(() => queue!.get(id)?.status === 'printed', { what: 'printed' });
    expect(p.sent).toHaveLength(1);
    expect(decodeEscpos(p.sent[0]).drawerKicks.map((k) => Buffer.from(k.raw).toString('hex'))).toEqual([KICK_PIN2]);
    expect(queue.get(id)?.drawerOpenedAt).toBeNull();
  });
});
