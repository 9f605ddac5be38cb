// 店员 (staff): a role of its own for the pickup/voucher counter. Checked in the main process: a staff
// session is refused selling (cart.scan, sales.pay), refunds and the drawer with a Chinese reason, and
// may use pickup.* and redeem vouchers (its own redemptions only in the log).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_RANK } from '../../../shared/api';
import { demoBarcode } from '../../../electron/till/seed';
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
});
afterEach(() => t.cleanup());

const chinese = /[\u4e00-\u9fff]/;

describe('staff (店员)', () => {
  it('ranks below cashier; the role row exists and the demo shop has a staff user who can log in', async () => {
    expect(ROLE_RANK.staff).toBeLessThan(ROLE_RANK.cashier);
    const row = t.till.sqlite.prepare("SELECT name_zh AS zh, rank FROM roles WHERE id = 'staff'").get();
    expect(row).toEqual({ zh: '店员', rank: 0 });
    await t.loginAs('staff');
    expect((await t.call('auth.session'))?.role).toBe('staff');
  });

  it('is refused selling, paying, refunds and the drawer with a Chinese reason; nothing is written', async () => {
    await t.loginAs('staff');
    const before = t.till.sqlite.prepare('SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM carts) AS carts').get();
    for (const [name, input] of [
      ['cart.scan', { code: demoBarcode(1) }],
      ['sales.pay', { requestId: randomUUID(), tenders: [{ method: 'cash', amountFen: 100 }] }],
      ['cart.get', {}],
      ['shift.open', { openingCashFen: 0 }],
      ['vouchers.undo', { id: 'x' }],
    ] as const) {
      const err = await t.callRaw(name, input).then(() => null, (e) => e);
      expect(err, name).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(chinese) });
    }
    const err = await t.callRaw('cart.scan', { code: demoBarcode(1) }).catch((e) => e);
    expect(err.message).toContain('店员');
    expect(t.till.sqlite.prepare('SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM carts) AS carts').get()).toEqual(before);
  });

  it('may look up a pickup code and redeem a voucher; sees only their own redemptions', async () => {
    await t.loginAs('staff');
    // Not FORBIDDEN: the lookup runs (no Youzan shop here, so the code is refused for what it is).
    const lookup = await t.callRaw('pickup.lookup', { code: '12345678' }).then(() => null, (e) => e);
    expect(lookup?.code).not.toBe('FORBIDDEN');
    expect((await t.call('pickup.log', {})).rows).toEqual([]);

    const v = f.douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800 });
    const preview = await t.call('vouchers.prepare', { code: v.url });
    const r = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: preview.prepareId, uses: 1 });
    expect(r).toMatchObject({ state: 'REDEEMED', createdBy: t.userId('staff') });
    expect(f.douyin.appliedVerifies).toBe(1);
    expect((await t.call('vouchers.log', {})).rows.map((x) => x.id)).toEqual([r.id]);

    await t.loginAs('cashier');
    expect((await t.call('vouchers.log', {})).rows).toEqual([]); // a cashier sees their own only
  });
});
