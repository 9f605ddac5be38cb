// Undo by a manager within the platform's window (Douyin 1 hour, on the simulated clock), refused after
// and refused for a cashier; bad input refused with a clear Chinese reason and nothing redeemed; a voucher
// applied to a cart with a cash add-on commits one sale with two tender lines, which the Z report counts.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeEan13 } from '../../../shared/barcode';
import { startFakes, voucherTill, type Fakes, type VoucherTill } from './voucher-till';

let f: Fakes;
let t: VoucherTill;

beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
});
beforeEach(async () => {
  f.douyin.reset();
  f.meituan.reset();
  t = voucherTill(f);
  await t.loginAs('cashier');
});
afterEach(() => t.cleanup());

async function redeemDouyin(uses = 1, total = uses) {
  const v = f.douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800, uses: total });
  const p = await t.call('vouchers.prepare', { code: v.url });
  return t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses });
}

describe('undo', () => {
  it('a manager undoes within 1 hour: the platform gives the voucher back, the log says who and when, the audit has it', async () => {
    const r = await redeemDouyin(2, 2);
    expect(f.douyin.appliedVerifies).toBe(2);
    f.advance(59 * 60);
    await t.loginAs('manager');
    const u = await t.call('vouchers.undo', { id: r.id, reason: '顾客改期' });
    expect(u).toMatchObject({ state: 'UNDONE', undoneBy: t.userId('manager'), undoUntil: null });
    expect(f.douyin.appliedVerifies).toBe(0);
    const d = await t.call('vouchers.get', { id: r.id });
    expect(d.events.at(-1)).toMatchObject({ from: 'REDEEMED', to: 'UNDONE', by: t.userId('manager') });
    const audit = t.till.sqlite.prepare("SELECT user_id AS userId, target FROM audit_log WHERE action = 'voucher.undo'").all();
    expect(audit).toEqual([{ userId: t.userId('manager'), target: r.id }]);
    // Undone: the voucher can be used again.
    const v = f.douyin.state().orders[0];
    expect(v.certificates.every((c) => c.state === 'cancelled_back')).toBe(true);
  });

  it('after the hour it is refused with the reason, by the till and by the platform; nothing changes', async () => {
    const r = await redeemDouyin();
    await t.loginAs('manager');
    f.advance(61 * 60);
    await expect(t.call('vouchers.undo', { id: r.id })).rejects.toMatchObject({ code: 'VOUCHER_UNDO_WINDOW', message: expect.stringContaining('1 小时') });
    expect(f.douyin.appliedVerifies).toBe(1);
    expect((await t.call('vouchers.get', { id: r.id })).state).toBe('REDEEMED');
    expect(f.douyin.requests().filter((x) => x.op === 'cancel')).toHaveLength(0); // the till knew without asking
  });

  it('the platform refuses a late undo the till thought was in time (its clock behind): same clear reason', async () => {
    let tillLag = 0;
    t.cleanup();
    t = voucherTill(f, { now: () => f.douyin.now() - tillLag });
    await t.loginAs('cashier');
    const r = await redeemDouyin();
    await t.loginAs('manager');
    f.advance(61 * 60);
    tillLag = 2 * 60_000; // the till's clock says 59 minutes have passed
    await expect(t.call('vouchers.undo', { id: r.id })).rejects.toMatchObject({ code: 'VOUCHER_UNDO_WINDOW' });
    expect(f.douyin.requests().filter((x) => x.op === 'cancel').map((x) => x.errorCode)).toEqual([3000001]);
    expect((await t.call('vouchers.get', { id: r.id })).state).toBe('REDEEMED');
  });

  it('a cashier may not undo without a manager (checked in the main process); Meituan undo by the manager works the same way', async () => {
    const r = await redeemDouyin();
    await expect(t.call('vouchers.undo', { id: r.id })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect((await t.call('vouchers.get', { id: r.id })).state).toBe('REDEEMED');
    // Even called past the registry, the service asks for the manager.
    await expect(t.svc.undo({ id: r.id })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect(f.douyin.appliedVerifies).toBe(1);

    const m = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900, uses: 2 });
    const p = await t.call('vouchers.prepare', { code: m.code });
    const rm = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 2 });
    await t.loginAs('manager');
    expect((await t.call('vouchers.undo', { id: rm.id })).state).toBe('UNDONE');
    expect(f.meituan.appliedConsumes).toBe(0);
  });
});

describe('bad input: refused in Chinese, nothing redeemed', () => {
  const cases: [string, () => { code: string; platform?: 'douyin' | 'meituan' }, string][] = [
    ['an unknown Douyin code', () => ({ code: '123456789012345' }), 'VOUCHER_NOT_FOUND'],
    ['an unknown Meituan code', () => ({ code: '7000000001' }), 'VOUCHER_NOT_FOUND'],
    ['a Douyin QR told to be Meituan', () => ({ code: f.douyin.addVoucher({ title: 'x', unitValueFen: 100 }).url, platform: 'meituan' }), 'VOUCHER_OTHER_PLATFORM'],
    ['a Meituan code told to be Douyin', () => ({ code: f.meituan.addVoucher({ title: 'x', unitValueFen: 100 }).code, platform: 'douyin' }), 'VOUCHER_OTHER_PLATFORM'],
    ['a short link cut off after the host', () => ({ code: 'https://v.douyin.com/' }), 'VOUCHER_BAD_QR'],
    ['a short link id cut short', () => ({ code: 'https://v.douyin.com/iRN' }), 'VOUCHER_BAD_QR'],
    ['a long link with its object_id cut short', () => ({ code: 'https://www.douyin.com/life/coupon/verify?object_id=CgYIAS' }), 'VOUCHER_BAD_QR'],
    ['a short link whose id was cut to another id', () => ({ code: `https://v.douyin.com/${f.douyin.addVoucher({ title: 'x', unitValueFen: 100 }).shortId.slice(0, 6)}/` }), 'VOUCHER_NOT_FOUND'],
    ['a product barcode', () => ({ code: makeEan13('692000001007') }), 'VOUCHER_IS_PRODUCT'],
    ['a WeChat payment code', () => ({ code: '134567890123456789' }), 'VOUCHER_IS_PAYMENT_CODE'],
    ['letters', () => ({ code: 'hello voucher' }), 'VOUCHER_BAD_CODE'],
  ];
  for (const [what, input, code] of cases) {
    it(what, async () => {
      const err = await t.call('vouchers.prepare', input()).then(
        () => null,
        (e) => e,
      );
      expect(err).toMatchObject({ code });
      expect(err.message).toMatch(/[\u4e00-\u9fff]/);
      expect(t.count()).toBe(0);
      expect(f.douyin.appliedVerifies + f.meituan.appliedConsumes).toBe(0);
    });
  }

  it('a code expired on the platform', async () => {
    const v = f.douyin.addVoucher({ title: 'x', unitValueFen: 100, expiresInSeconds: 60 });
    f.advance(120);
    await expect(t.call('vouchers.prepare', { code: v.code })).rejects.toMatchObject({ code: 'VOUCHER_EXPIRED', message: expect.stringContaining('过期') });
    expect(t.count()).toBe(0);
  });
});

describe('a voucher as a tender of the sale', () => {
  it('voucher + cash add-on: one sale, two tender lines, the voucher linked to it, in the Z report by tender', async () => {
    const cart = await t.ringUp([1, 2, 3]);
    const m = f.meituan.addVoucher({ title: '零食套餐', unitValueFen: Math.min(500, cart.priced.totalFen - 1) });
    const p = await t.call('vouchers.prepare', { code: m.code });
    const r = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 });
    const forCart = await t.call('vouchers.forCart');
    expect(forCart.toInclude).toEqual([{ method: 'voucher', amountFen: r.valueFen, redemptionId: r.id }]);

    const rest = cart.priced.totalFen - r.valueFen;
    const sale = await t.call('sales.pay', { requestId: randomUUID(), payments: [...forCart.toInclude, { method: 'cash', amountFen: rest }] });
    const view = await t.call('sales.get', { saleId: sale.saleId });
    expect(view.payments.map((x) => [x.method, x.amountFen]).sort()).toEqual([['cash', rest], ['voucher', r.valueFen]].sort());
    expect(view.totalFen).toBe(cart.priced.totalFen);
    // Its own line on the receipt, named for what it is.
    const job = t.till.sqlite.prepare('SELECT payload FROM print_jobs WHERE id = ?').get(sale.printJobId) as { payload: string };
    expect(job.payload).toContain('"method":"团购券"');
    const after = await t.call('vouchers.get', { id: r.id });
    expect(after.receiptNo).toBe(sale.receiptNo);
    expect((await t.call('vouchers.forCart')).redeemed).toHaveLength(0);

    // The same voucher cannot pay a second sale.
    await t.ringUp([1]);
    await expect(
      t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'voucher', amountFen: 100, redemptionId: r.id }, { method: 'cash', amountFen: 100_000 }] }),
    ).rejects.toMatchObject({ code: 'VOUCHER_ALREADY_USED' });

    await t.loginAs('manager');
    const z = await t.call('day.preview', { businessDay: t.till.businessDay() });
    expect(z.tenders.find((x) => x.method === 'voucher')).toMatchObject({ label: '团购券', receivedFen: r.valueFen, count: 1 });
    // The log shows it, and what the platform owes.
    const logView = await t.call('vouchers.log', { platform: 'meituan' });
    expect(logView.total).toBe(1);
    expect(logView.totals).toEqual([{ platform: 'meituan', redemptions: 1, uses: 1, valueFen: r.valueFen }]);
    // Undo of a voucher that paid a sale goes through the return, not the log.
    await expect(t.call('vouchers.undo', { id: r.id })).rejects.toMatchObject({ code: 'VOUCHER_IN_SALE' });
  });

  it('a voucher redeemed for another cart cannot pay this one', async () => {
    await t.ringUp([1]);
    const m = f.meituan.addVoucher({ title: '零食', unitValueFen: 100 });
    const r = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: (await t.call('vouchers.prepare', { code: m.code })).prepareId, uses: 1 });
    await t.loginAs('manager'); // the cashier's cart is set aside; the manager starts another
    const cart = await t.ringUp([2]);
    await expect(
      t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'voucher', amountFen: 100, redemptionId: r.id }, { method: 'cash', amountFen: cart.priced.totalFen - 100 }] }),
    ).rejects.toMatchObject({ code: 'VOUCHER_OTHER_CART' });
    expect((t.till.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(0);
    expect((await t.call('vouchers.get', { id: r.id })).saleId).toBeNull();
  });

  it('a voucher not redeemed (or undone) cannot pay; the sale is refused and nothing is written', async () => {
    const r = await redeemDouyin();
    await t.loginAs('manager');
    await t.call('vouchers.undo', { id: r.id });
    await t.loginAs('cashier');
    const cart = await t.ringUp([1]);
    await expect(
      t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'voucher', amountFen: Math.min(cart.priced.totalFen, r.valueFen), redemptionId: r.id }] }),
    ).rejects.toMatchObject({ code: 'VOUCHER_NOT_REDEEMED' });
    expect((t.till.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(0);
  });
});

describe('a return of a sale a voucher paid', () => {
  async function voucherSale() {
    const cart = await t.ringUp([1, 2]);
    const v = f.douyin.addVoucher({ title: '套餐', unitValueFen: Math.min(300, cart.priced.totalFen - 1) });
    const p = await t.call('vouchers.prepare', { code: v.code });
    const r = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 });
    const sale = await t.call('sales.pay', {
      requestId: randomUUID(), payments: [{ method: 'voucher', amountFen: r.valueFen, redemptionId: r.id }, { method: 'cash', amountFen: cart.priced.totalFen - r.valueFen }],
    });
    return { r, sale };
  }

  it('a whole return within the hour undoes the voucher on the platform (the customer gets it back) and pays the rest in cash', async () => {
    const { r, sale } = await voucherSale();
    await t.loginAs('manager');
    const view = await t.call('sales.get', { saleId: sale.saleId });
    const ret = await t.call('sales.return', { requestId: randomUUID(), saleId: sale.saleId, lines: view.lines.map((l) => ({ lineId: l.id, qty: l.qty })) });
    const back = await t.call('sales.get', { saleId: ret.saleId });
    expect(back.payments.map((p) => [p.method, p.amountFen]).sort()).toEqual([['cash', -(view.totalFen - r.valueFen)], ['voucher', -r.valueFen]].sort());
    expect((await t.call('vouchers.get', { id: r.id })).state).toBe('UNDONE');
    expect(f.douyin.appliedVerifies).toBe(0);
  });

  it('after the hour the return is refused with the reason, and nothing is returned', async () => {
    const { sale } = await voucherSale();
    await t.loginAs('manager');
    f.advance(61 * 60);
    const view = await t.call('sales.get', { saleId: sale.saleId });
    await expect(
      t.call('sales.return', { requestId: randomUUID(), saleId: sale.saleId, lines: view.lines.map((l) => ({ lineId: l.id, qty: l.qty })) }),
    ).rejects.toMatchObject({ code: 'VOUCHER_UNDO_WINDOW' });
    expect((t.till.sqlite.prepare("SELECT count(*) AS n FROM sales WHERE kind = 'return'").get() as { n: number }).n).toBe(0);
    expect(f.douyin.appliedVerifies).toBe(1);
  });
});

describe('the log', () => {
  it('filters by platform, result and who, pages, and exports to csv and xlsx', async () => {
    await redeemDouyin();
    const undone = await redeemDouyin();
    const m = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900 });
    await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: (await t.call('vouchers.prepare', { code: m.code })).prepareId, uses: 1 });
    await t.loginAs('manager');
    await t.call('vouchers.undo', { id: undone.id });
    const all = await t.call('vouchers.log', { pageSize: 2 });
    expect(all.total).toBe(3);
    expect(all.rows).toHaveLength(2);
    expect((await t.call('vouchers.log', { page: 2, pageSize: 2 })).rows).toHaveLength(1);
    expect((await t.call('vouchers.log', { result: 'undone' })).rows.map((x) => x.id)).toEqual([undone.id]);
    expect((await t.call('vouchers.log', { platform: 'douyin', result: 'redeemed' })).total).toBe(1);
    expect((await t.call('vouchers.log', { by: t.userId('manager') })).total).toBe(0);
    const day = t.till.businessDay();
    expect((await t.call('vouchers.log', { from: day, to: day, by: t.userId('cashier') })).total).toBe(3);
    const csv = await t.call('vouchers.export', { format: 'csv' });
    expect(csv.rows).toBe(3);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(csv.file, 'utf8');
    expect(text.startsWith('\uFEFF核销时间,平台,券码')).toBe(true);
    expect(text).toContain('已撤销核销');
    expect(text).not.toContain(m.code);
    const xlsx = await t.call('vouchers.export', { format: 'xlsx', platform: 'meituan' });
    expect(xlsx.rows).toBe(1);
    expect(readFileSync(xlsx.file).subarray(0, 2).toString()).toBe('PK');

    // The manager redeems one too; a cashier sees only their own three, whatever `by` they ask for.
    const m2 = f.meituan.addVoucher({ title: '咖啡', unitValueFen: 1500 });
    await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: (await t.call('vouchers.prepare', { code: m2.code })).prepareId, uses: 1 });
    expect((await t.call('vouchers.log', {})).total).toBe(4);
    await t.loginAs('cashier');
    expect((await t.call('vouchers.log', {})).total).toBe(3);
    expect((await t.call('vouchers.log', { by: t.userId('manager') })).total).toBe(3);
    await expect(t.call('vouchers.export', { format: 'csv' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
