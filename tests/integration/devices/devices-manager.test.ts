// The device manager with a real Till on a temporary folder, against real peers: the fake TCP
// printer (tests/fakes/fake-printer.ts) and socat virtual serial ports with the serial fakes.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { CustomerDisplayState, DeviceConfigInput, DeviceStatusView } from '../../../shared/api/devices';
import type { TillEventName } from '../../../shared/api/events';
import { priceCart } from '../../../shared/pricing';
import { createRegistry } from '../../../electron/api/handlers';
import { statusOf } from '../../../electron/api/handlers/app';
import type { Registry } from '../../../electron/api/registry';
import { INTERRUPTED } from '../../../electron/devices/print-queue';
import { eq } from 'drizzle-orm';
import { enqueuePrint, type PrintJob } from '../../../electron/till/ledger';
import { printJobs } from '../../../electron/till/schema';
import { DeviceManager, startDevices } from '../../../electron/devices/manager';
import { demoUsers } from '../../../electron/till/demo-catalog';
import { Till } from '../../../electron/till/till';
import { FakePrinter } from '../../fakes/fake-printer';
import { FakeDisplayReader } from '../../fakes/serial-display';
import { FakeSerialScanner } from '../../fakes/serial-scanner';
import { SAMPLE_SALE } from '../../fakes/render-samples';
import { startSerialPair, waitFor, type SerialPair } from '../../support/peers';
import { networkPrinter } from '../../support/device-configs';

let dir: string;
let till: Till;
let registry: Registry;
let manager: DeviceManager;
let fake: FakePrinter;
let events: { name: TillEventName; payload: any }[];
const cleanups: (() => Promise<void> | void)[] = [];

const printer = networkPrinter;
const jobOf = (id: string) => till.db.select().from(printJobs).where(eq(printJobs.id, id)).get()!;
/** A job the till wrote outside the queue, in its own transaction (as a sale does). */
const writeJob = (t: Till, job: Omit<PrintJob, 'at'>) => t.tx(() => enqueuePrint(t.db, { ...job, at: t.now() }));

function start(devices: DeviceConfigInput[] | null, before?: (t: Till) => void, now?: () => number): void {
  till = new Till({ dataDir: dir, seedDemo: true, now });
  before?.(till);
  events = [];
  till.events.onAny((name, payload) => events.push({ name, payload }));
  const services: { till: Till; devices: DeviceManager | null } = { till, devices: null };
  manager = startDevices(till, {
    env: devices ? { TILL_DEVICES_JSON: JSON.stringify(devices) } : {},
    statusPollMs: 100,
    minBackoffMs: 20,
    maxBackoffMs: 100,
    idlePollMs: 50,
    reconnectMs: 200,
    onLightChange: () => till.events.emit('status', statusOf(services)), // as boot() does
  });
  services.devices = manager;
  registry = createRegistry(services, 'browser');
}

async function call<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.result as T;
}

async function loginAs(role: 'cashier' | 'manager'): Promise<string> {
  const u = demoUsers.find((x) => x.role === role)!;
  const row = till.sqlite.prepare('SELECT id FROM users WHERE name = ?').get(u.name) as { id: string };
  await call('auth.login', { userId: row.id, pin: u.pin });
  return row.id;
}

const auditRows = () =>
  till.sqlite.prepare('SELECT action, user_id, approver_id, details FROM audit_log ORDER BY seq').all() as {
    action: string;
    user_id: string;
    approver_id: string | null;
    details: string | null;
  }[];

function deviceEvent(id: string, pred: (s: DeviceStatusView) => boolean): Promise<DeviceStatusView> {
  return waitFor(() => events.find((e) => e.name === 'device' && e.payload.id === id && pred(e.payload))?.payload as DeviceStatusView, {
    timeoutMs: 10_000,
    what: `device ${id} status`,
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'devices-it-'));
  fake = await FakePrinter.start();
});

afterEach(async () => {
  // Stopping is asynchronous (the queue finishes what it is sending): wait for it, then close the till.
  await manager?.stop();
  till?.close();
  for (const c of cleanups.splice(0).reverse()) await c();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('device manager: printing', () => {
  it('a print job written in a transaction prints once, with the drawer kick on the configured pin', async () => {
    start([printer(fake.port, { drawerPin: 5 })]);
    const id = till.tx(() =>
      enqueuePrint(till.db, { kind: 'sale', payload: { v: 1, template: 'sale', data: { ...SAMPLE_SALE, openDrawer: 2 } }, at: till.now() }),
    );
    const [job] = await fake.waitForJobs(1);
    expect(job.decoded.barcodes.map((b) => b.data)).toEqual([SAMPLE_SALE.receiptNo]);
    expect(job.decoded.lines.map((l) => l.text).join('\n')).toContain('可口可乐');
    // The job carried pin 2 (what checkout writes); the printer's drawer is on pin 5: the kick follows the config.
    expect(job.decoded.drawerKicks.map((k) => k.raw)).toEqual([[0x1b, 0x70, 0x01, 0x19, 0xfa]]);
    await waitFor(() => jobOf(id).status === 'printed', {
      what: 'job printed',
    });
    // Several more status rounds later (the poller keeps asking), still exactly one job printed.
    const answered = fake.answered;
    await waitFor(() => fake.answered >= answered + 9, { what: 'three more status polls' });
    expect(fake.allJobs()).toHaveLength(1);
    expect(events.some((e) => e.name === 'printJob' && e.payload.id === id && e.payload.status === 'printed')).toBe(true);
  });

  it('paper out shows as 缺纸 on the device, the printer event and the status bar; paper back → 正常', async () => {
    start([printer(fake.port)]);
    await call('auth.login', {
      userId: (till.sqlite.prepare("SELECT id FROM users WHERE role_id = 'cashier'").get() as { id: string }).id,
      pin: '1111',
    });
    await deviceEvent('p1', (s) => s.code === 'ok');
    fake.setPaper('out');
    const out = await deviceEvent('p1', (s) => s.code === 'paper_out');
    expect(out.message).toBe('缺纸');
    expect(out.light).toBe('error');
    expect(events.some((e) => e.name === 'printer' && e.payload.role === 'receipt' && e.payload.message === '缺纸')).toBe(true);
    expect(events.some((e) => e.name === 'status' && e.payload.printer.message.startsWith('缺纸'))).toBe(true);
    expect((await call('app.status')).printer).toMatchObject({ state: 'error', message: '缺纸' });
    const list = await call('devices.list');
    expect(list.devices[0].status.code).toBe('paper_out');

    // A job written now waits with the reason, and prints once when the paper is back.
    const id = till.tx(() => enqueuePrint(till.db, { kind: 'sale', payload: { v: 1, template: 'sale', data: SAMPLE_SALE }, at: till.now() }));
    await waitFor(() => events.some((e) => e.name === 'printJob' && e.payload.id === id && e.payload.waitReason === '缺纸'), {
      what: 'job waiting for paper',
    });
    expect((await call('app.status')).printer.message).toBe('缺纸，1 张待打印');
    fake.setPaper('ok');
    await deviceEvent('p1', (s) => s.code === 'ok' && s.waitingJobs === 0);
    const printed = await fake.waitForJobs(1);
    expect(printed.map((j) => j.decoded.barcodes[0]?.data)).toEqual([SAMPLE_SALE.receiptNo]);
    expect(fake.allJobs()).toHaveLength(1); // nothing was sent while the paper was out
    expect((await call('app.status')).printer).toMatchObject({ state: 'ok', message: '正常' });
  });

  it('a test print from devices.test carries the Chinese test line and a QR; saving a device is manager-only and audited', async () => {
    start([printer(fake.port)]);
    await loginAs('cashier');
    await expect(call('devices.test', { id: 'p1' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(call('devices.save', { device: printer(fake.port, { name: '改名' }) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const managerId = await loginAs('manager');
    const r = await call('devices.test', { id: 'p1' });
    expect(r.message).toMatch(/测试页已发送/);
    const [job] = await fake.waitForJobs(1);
    expect(job.decoded.lines.map((l) => l.text).join('\n')).toContain('中文测试：欢迎光临 龘𠀀 ￥12.30');
    expect(job.decoded.qrs.map((q) => q.data)).toEqual(['https://xiaodian.example/printer-test']);

    const saved = await call('devices.save', { device: printer(fake.port, { name: '收银台打印机', paper: 80 }) });
    expect(saved.devices[0].config).toMatchObject({ name: '收银台打印机', paper: 80 });
    const row = auditRows().find((a) => a.action === 'devices.save')!;
    expect(row.user_id).toBe(managerId);
    expect(JSON.parse(row.details!).before.name).toBe('前台小票机');
    await expect(call('devices.save', { device: { ...printer(fake.port), roles: [] } })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('device manager: no-sale drawer', () => {
  it('a cashier without approval is refused and nothing happens; with a manager approval the drawer kicks and both users are audited', async () => {
    start([printer(fake.port)]);
    const cashierId = await loginAs('cashier');
    await deviceEvent('p1', (s) => s.code === 'ok');
    const drawerRows = () => auditRows().filter((a) => a.action.startsWith('drawer.'));
    const askOf = (input: object) => call('drawer.open', input).then(() => expect.fail('expected APPROVAL_REQUIRED'), (e) => e.details.ask);
    const ask = await askOf({ reason: '换零钱' });
    expect(ask).toMatchObject({ action: 'drawer_open', summary: '不销售开钱箱（换零钱）' });
    // A token the manager gave for another open (another reason) does not open this one.
    const other = await call('auth.approve', { pin: '2222', askId: (await askOf({ reason: '别的' })).id });
    await expect(call('drawer.open', { approval: other.token, reason: '换零钱' })).rejects.toMatchObject({ code: 'APPROVAL_MISMATCH' });
    expect(fake.allJobs()).toHaveLength(0);
    expect(drawerRows()).toHaveLength(0);

    const approval = await call('auth.approve', { pin: '2222', askId: ask.id });
    const r = await call('drawer.open', { approval: approval.token, reason: '换零钱' });
    expect(r.via).toBe('printer:p1');
    const [job] = await fake.waitForJobs(1);
    expect([...job.bytes]).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect(job.decoded.drawerKicks).toHaveLength(1);
    const rows = auditRows().filter((a) => a.action === 'drawer.no_sale');
    expect(rows).toHaveLength(1);
    expect(rows[0].user_id).toBe(cashierId);
    expect(rows[0].approver_id).toBe(approval.approverId);
    expect(JSON.parse(rows[0].details!).reason).toBe('换零钱');
    // The approval was single-use.
    await expect(call('drawer.open', { approval: approval.token, reason: '换零钱' })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect(fake.allJobs()).toHaveLength(1);
  });
});

describe('device manager: serial devices over socat', () => {
  let pair: SerialPair;
  beforeEach(async () => {
    pair = await startSerialPair();
    cleanups.push(() => pair.stop());
  });

  it('a serial scanner’s code arrives as a till scan event', async () => {
    start([{ id: 'sc1', name: '串口扫码枪', kind: 'scanner', enabled: true, driver: { type: 'serial', path: pair.a, baud: 9600, protocol: 'cr' } }]);
    await deviceEvent('sc1', (s) => s.code === 'ok');
    const scanner = new FakeSerialScanner(pair.b);
    await scanner.open();
    cleanups.push(() => scanner.close());
    await scanner.scan('6901234567892');
    await scanner.scan('6920000010001', { crlf: true });
    await waitFor(() => events.filter((e) => e.name === 'scan').length >= 2, { what: 'two scan events' });
    expect(events.filter((e) => e.name === 'scan').map((e) => e.payload)).toEqual([
      { code: '6901234567892', source: 'serial' },
      { code: '6920000010001', source: 'serial' },
    ]);
  });

  it('the customer display (CD5220) shows the cart item, the total at payment and paid/change after the sale', async () => {
    start([{ id: 'cd', name: '客显', kind: 'customer_display', enabled: true, driver: { type: 'serial', path: pair.a, baud: 9600, protocol: 'cd5220' } }]);
    const reader = new FakeDisplayReader(pair.b);
    await reader.open();
    cleanups.push(() => reader.close());
    await deviceEvent('cd', (s) => s.code === 'ok');
    // The display is reset and shows the idle screen when it connects.
    await waitFor(() => reader.screen().upper?.trim() === 'WELCOME', { what: 'idle screen' });

    const priced = priceCart({
      lines: [{ id: 'l1', skuId: 's1', name: '可口可乐', unitPriceFen: 350, originalUnitPriceFen: 350, qty: 2000 }],
      rounding: 'none',
    });
    const cart = {
      id: 'c1',
      lines: [{ id: 'l1', skuId: 's1', name: '可口可乐', unit: '瓶', weighed: false, scannedCode: null, note: null, priceOverriddenBy: null }],
      priced,
      member: { id: 'm1', name: '王芳', phone: '138****0001', level: '金卡会员', points: 1280, balanceFen: 0 },
      subtotaled: false,
      focusLineId: 'l1',
      heldCount: 0,
    } as CartView;
    till.events.emit('cart', cart);
    await waitFor(() => reader.screen().upper?.startsWith('KE KOU KE LE'), { what: 'item name in pinyin' });
    expect(reader.screen().lower).toBe('PRICE           3.50');

    till.events.emit('cart', { ...cart, subtotaled: true });
    await waitFor(() => reader.screen().upper === 'TOTAL           7.00', { what: 'total at payment' });
    const paying = events.filter((e) => e.name === 'customerDisplay').at(-1)!.payload as CustomerDisplayState;
    expect(paying).toMatchObject({ phase: 'paying', totalFen: 700, paying: { dueFen: 700 }, member: { name: '王芳', points: 1280 } });

    till.events.emit('sale', { receiptNo: 'T01-20261125-0001', totalFen: 700, paidFen: 1000, changeFen: 300, kind: 'sale' });
    // The checkout starts a new, empty cart right after the sale: the thank-you stays.
    till.events.emit('cart', { ...cart, id: 'c2', lines: [], priced: priceCart({ lines: [], rounding: 'none' }), member: null, subtotaled: false, focusLineId: null });
    await waitFor(() => reader.screen().lower === 'CHANGE          3.00', { what: 'change line' });
    expect(reader.screen().upper).toBe('PAID           10.00');
    const done = await call<CustomerDisplayState>('devices.displayState');
    expect(done).toMatchObject({ phase: 'done', done: { receiptNo: 'T01-20261125-0001', changeFen: 300 } });
  });
});

describe('device manager: virtual printer, queue decisions, preview', () => {
  it('a fresh shop prints to the virtual printer: txt + png in <dataDir>/virtual-printer, listed with pictures', async () => {
    start(null);
    await loginAs('cashier');
    const list = await call('devices.list');
    expect(list.devices.map((d: any) => d.config.driver.type)).toEqual(['virtual']);
    const id = till.tx(() => enqueuePrint(till.db, { kind: 'sale', payload: { v: 1, template: 'sale', data: SAMPLE_SALE }, at: till.now() }));
    await waitFor(() => jobOf(id).status === 'printed', {
      what: 'virtual job printed',
      timeoutMs: 15_000,
    });
    const jobs = await call('print.virtualJobs', { limit: 5 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0].text).toContain(SAMPLE_SALE.receiptNo);
    expect(jobs[0].png).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(existsSync(join(dir, 'virtual-printer'))).toBe(true);
    expect((await call('app.status')).printer).toMatchObject({ state: 'ok', message: '正常（虚拟打印机）' });
  });

  it('an interrupted job waits for a person: reprint makes a marked copy, 没有打出 prints the original once; unrouted jobs say why', async () => {
    let interrupted = '';
    start([printer(fake.port)], (t) => {
      interrupted = writeJob(t, { kind: 'sale', payload: { v: 1, template: 'sale', data: { ...SAMPLE_SALE, openDrawer: 2 } } });
      t.sqlite.prepare("UPDATE print_jobs SET status = 'printing' WHERE id = ?").run(interrupted);
    });
    await loginAs('cashier');
    const views = await call('print.jobs', { attentionOnly: true });
    expect(views).toEqual([expect.objectContaining({ id: interrupted, status: 'failed', waitReason: INTERRUPTED, needsDecision: true, title: SAMPLE_SALE.receiptNo })]);
    // Nothing is printed by itself.
    const answered = fake.answered;
    await waitFor(() => fake.answered >= answered + 6, { what: 'two status polls' });
    expect(fake.allJobs()).toHaveLength(0);

    const copy = await call('print.reprintJob', { jobId: interrupted });
    expect(copy.isCopy).toBe(true);
    const [c] = await fake.waitForJobs(1);
    expect(c.decoded.lines.map((l) => l.text).join('\n')).toContain('重印');
    expect(c.decoded.drawerKicks).toHaveLength(0); // a reprint never opens the drawer

    await call('print.confirmNotPrinted', { jobId: interrupted });
    const [, original] = await fake.waitForJobs(2);
    expect(original.decoded.lines.map((l) => l.text).join('\n')).not.toContain('重印');
    expect(original.decoded.drawerKicks).toHaveLength(1);
    await expect(call('print.confirmNotPrinted', { jobId: interrupted })).rejects.toMatchObject({ code: 'BAD_STATE' });

    const kitchen = writeJob(till, { kind: 'pickup', role: 'kitchen', payload: { v: 1, template: 'document', doc: { paper: 58, blocks: [] } } });
    await waitFor(() => jobOf(kitchen).waitReason === '没有设置这种用途的打印机', {
      what: 'unrouted reason',
    });
    expect((await call('devices.list')).unroutedRoles).toEqual(['kitchen']);
    expect((await call('print.cancel', { jobId: kitchen })).status).toBe('cancelled');
    const actions = auditRows().map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['print.reprint', 'print.confirm_not_printed', 'print.cancel']));
  });

  it('the receipt template preview follows an unsaved draft; saving is manager-only and audited', async () => {
    start(null, undefined, () => SAMPLE_SALE.at); // a fixed clock: the sample receipt prints the time
    await loginAs('cashier');
    const base = await call('receipt.settings');
    expect(base).toMatchObject({ shopName: '小店便利', paper: 80, logo: null });
    const { paper: _p, logo: _l, ...fields } = base;
    const a = await call('print.preview', {});
    const b = await call('print.preview', { draft: { ...fields, footer: '另一个页脚' } });
    expect(a.png).toMatch(/^data:image\/png;base64,/);
    expect((await call('print.preview', {})).png).toBe(a.png); // same settings, same picture
    expect(b.png).not.toBe(a.png);
    await expect(call('receipt.saveSettings', { ...fields, footer: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await loginAs('manager');
    const logo = `data:image/png;base64,${readFileSync('resources/receipts/sample-logo.png').toString('base64')}`;
    const saved = await call('receipt.saveSettings', { ...fields, shopName: '街角小店', footer: '谢谢', logo });
    expect(saved).toMatchObject({ shopName: '街角小店', footer: '谢谢' });
    expect(saved.logo).toMatch(/^data:image\/png;base64,/);
    expect((await call('app.info')).shopName).toBe('街角小店');
    expect(auditRows().some((r) => r.action === 'receipt.settings')).toBe(true);
    await expect(call('receipt.saveSettings', { ...fields, logo: 'data:image/png;base64,AAAA' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
