// Voucher redemption through the API against the Douyin 来客 and Meituan simulators over real HTTP:
// the "applied, then timed out" verify retried with the same token/requestid (redeemed exactly once,
// locally and on the platform), a used code scanned again, several uses, idempotent redeem calls, and
// start-up recovery of a redemption left unknown.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VoucherService } from '../../../electron/vouchers/service';
import { connectorsFor, startFakes, voucherTill, type Fakes, type VoucherTill } from './voucher-till';

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

const verifyCalls = () => f.douyin.requests().filter((r) => r.op === 'verify');
const consumeCalls = () => f.meituan.requests().filter((r) => r.op === 'consume');

describe('a verify that timed out after the platform applied it', () => {
  it('Douyin: the retry with the same verify_token returns the stored success; redeemed once here and on the platform', async () => {
    const v = f.douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800 });
    const preview = await t.call('vouchers.prepare', { code: v.url });
    expect(preview).toMatchObject({ platform: 'douyin', title: '双人套餐', unitValueFen: 8800, usesLeft: 1 });
    // Applied on the platform, answer held well past the client's 1.5 s timeout.
    f.douyin.setScenario({ op: 'verify', fault: 'timeout', delayMs: 6_000 });
    const pushed: string[] = [];
    const off = t.till.events.onAny((name, payload) => name === 'voucher' && pushed.push((payload as { state: string }).state));
    const r = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: preview.prepareId, uses: 1 });
    off();
    expect(pushed).toEqual(['CREATED', 'PENDING', 'UNKNOWN', 'REDEEMED']); // the screens follow it

    expect(r.state).toBe('REDEEMED');
    expect(r.valueFen).toBe(8800);
    expect(f.douyin.appliedVerifies).toBe(1);
    expect(t.count()).toBe(1);
    expect(t.count('REDEEMED')).toBe(1);
    // Two verify calls, the second a replay: same token and body (the fake refuses different params with the same token).
    expect(verifyCalls()).toHaveLength(2);
    expect(verifyCalls().every((c) => c.errorCode === undefined)).toBe(true);
    const detail = await t.call('vouchers.get', { id: r.id });
    expect(detail.events.map((e) => e.to)).toEqual(['CREATED', 'PENDING', 'UNKNOWN', 'REDEEMED']);
    // The code itself is not stored, only its mask; the call's params are erased once final.
    const row = t.till.sqlite.prepare('SELECT * FROM voucher_redemptions').get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(v.shortId);
    expect(row.pending_params).toBeNull();
  });

  it('Meituan: the retry with the same requestid returns the stored success; consumed once', async () => {
    const v = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900 });
    const preview = await t.call('vouchers.prepare', { code: v.code });
    expect(preview).toMatchObject({ platform: 'meituan', unitValueFen: 3900, usesLeft: 1 });
    f.meituan.setScenario({ op: 'consume', fault: 'timeout', delayMs: 6_000 });
    const r = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: preview.prepareId, uses: 1 });
    expect(r.state).toBe('REDEEMED');
    expect(f.meituan.appliedConsumes).toBe(1);
    expect(consumeCalls()).toHaveLength(2);
    expect(t.count('REDEEMED')).toBe(1);
    const row = t.till.sqlite.prepare('SELECT * FROM voucher_redemptions').get() as Record<string, unknown>;
    expect(row.pending_params).toBeNull();
    expect(String(row.code_mask)).not.toBe(v.code);
  });

  it('Douyin: a retry refused because its verify_token lapsed is not a failure: the certificate status says it was redeemed', async () => {
    const v = f.douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800 });
    const other = f.douyin.addVoucher({ title: '单人餐', unitValueFen: 3000 });
    let waits = 0;
    const svc = t.newService({ retryDelaysMs: [5, 5], sleep: async () => {
      if (waits++ === 0) f.douyin.forgetVerifyTokens(); // a long outage between the lost answer and the retry
    } });
    f.douyin.setScenario({ op: 'verify', fault: 'drop' }); // applied, connection cut
    const r = await svc.redeem({ requestId: randomUUID(), prepareId: (await svc.prepare({ code: v.code })).prepareId, uses: 1 });
    expect(r).toMatchObject({ state: 'REDEEMED', valueFen: 8800 });
    expect(r.detail).toContain('经向抖音查询');
    expect(f.douyin.appliedVerifies).toBe(1);
    // Not applied at all, then refused on the retry: the status says unused, so it failed and the voucher is still usable.
    f.douyin.setScenario({ op: 'verify', fault: 'server_error' });
    waits = 0;
    const r2 = await svc.redeem({ requestId: randomUUID(), prepareId: (await svc.prepare({ code: other.code })).prepareId, uses: 1 });
    expect(r2.state).toBe('FAILED');
    expect(f.douyin.appliedVerifies).toBe(1);
    expect((await svc.prepare({ code: other.code })).usesLeft).toBe(1);
  });

  it('Meituan: a retry refused as "used" after the platform forgot the requestid is checked with getconsumed: redeemed, once', async () => {
    const v = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900 });
    let waits = 0;
    const svc = t.newService({ retryDelaysMs: [5, 5], sleep: async () => {
      if (waits++ === 0) f.meituan.forgetRequestIds();
    } });
    f.meituan.setScenario({ op: 'consume', fault: 'drop' }); // applied, connection cut
    const r = await svc.redeem({ requestId: randomUUID(), prepareId: (await svc.prepare({ code: v.code })).prepareId, uses: 1 });
    expect(r).toMatchObject({ state: 'REDEEMED', valueFen: 3900 });
    expect(r.detail).toContain('经向美团查询');
    expect(f.meituan.appliedConsumes).toBe(1);
  });

  it('a retry refused for the credentials (not the voucher) stays unknown and is asked again, never failed', async () => {
    const v = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900 });
    const svc = t.newService({ retryDelaysMs: [5] });
    f.meituan.setScenario([{ op: 'consume', fault: 'drop' }, { op: 'consume', fault: 'bad_session' }]);
    const r = await svc.redeem({ requestId: randomUUID(), prepareId: (await svc.prepare({ code: v.code })).prepareId, uses: 1 });
    expect(r.state).toBe('UNKNOWN');
    expect(r.detail).toContain('无法确认');
    const settled = await svc.settle(r.id); // the background retry: the session works again, the replay answers
    expect(settled.state).toBe('REDEEMED');
    expect(f.meituan.appliedConsumes).toBe(1);
  });

  it('a redemption left unknown by a run that stopped is settled by the next start-up with the same call', async () => {
    const v = f.douyin.addVoucher({ title: '单人餐', unitValueFen: 3000 });
    const preview = await t.call('vouchers.prepare', { code: v.code });
    f.douyin.setScenario({ op: 'verify', fault: 'drop' }); // applied, connection cut
    // This run gives up at once and never gets to retry (its waits never end, as if the till died).
    const stuck = t.newService({ retryDelaysMs: [], sleep: () => new Promise(() => undefined) });
    const r = await stuck.redeem({ requestId: randomUUID(), prepareId: (await stuck.prepare({ code: v.code })).prepareId, uses: 1 });
    expect(preview.usesLeft).toBe(1);
    expect(r.state).toBe('UNKNOWN');
    expect(f.douyin.appliedVerifies).toBe(1);

    const next = t.newService();
    const recovered = await next.recover();
    expect(recovered.map((x) => x.state)).toEqual(['REDEEMED']);
    expect(f.douyin.appliedVerifies).toBe(1);
    expect(t.count('REDEEMED')).toBe(1);
  });
});

describe('stored before the first call', () => {
  it('when the platform is called, the redemption is already stored (PENDING) with the exact call; each retry sends that same call', async () => {
    const real = connectorsFor(f)('douyin');
    const seen: { state: string; stored: unknown; sent: unknown }[] = [];
    const watching = {
      ...real,
      redeem: async (params: Record<string, unknown>) => {
        const row = t.till.sqlite.prepare('SELECT state, pending_params AS p FROM voucher_redemptions').get() as { state: string; p: string } | undefined;
        seen.push({ state: row?.state ?? 'none', stored: row ? JSON.parse(row.p) : null, sent: structuredClone(params) });
        return real.redeem(params);
      },
    };
    t.svc.stop();
    const svc = new VoucherService(t.till, (p) => (p === 'douyin' ? watching : null), { retryDelaysMs: [5, 5, 5] });
    const v = f.douyin.addVoucher({ title: '套餐', unitValueFen: 5000, uses: 2 });
    f.douyin.setScenario({ op: 'verify', fault: 'drop', times: 2 });
    const r = await svc.redeem({ requestId: randomUUID(), prepareId: (await svc.prepare({ code: v.url })).prepareId, uses: 2 });
    expect(r.state).toBe('REDEEMED');
    expect(seen).toHaveLength(3);
    expect(seen.map((x) => x.state)).toEqual(['PENDING', 'UNKNOWN', 'UNKNOWN']);
    for (const x of seen) expect(x.sent).toEqual(seen[0].stored);
    expect((seen[0].sent as { encrypted_codes: string[] }).encrypted_codes).toHaveLength(2);
    expect(f.douyin.appliedVerifies).toBe(2);
  });
});

describe('used, several uses, idempotent calls', () => {
  it('a second scan of a used code is refused with the reason; nothing new is recorded', async () => {
    const d = f.douyin.addVoucher({ title: '套餐', unitValueFen: 5000 });
    const m = f.meituan.addVoucher({ title: '套餐', unitValueFen: 5000 });
    for (const code of [d.url, m.code]) {
      const p = await t.call('vouchers.prepare', { code });
      await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 });
    }
    await expect(t.call('vouchers.prepare', { code: d.url })).rejects.toMatchObject({ code: 'VOUCHER_USED', message: expect.stringContaining('已核销') });
    await expect(t.call('vouchers.prepare', { code: d.code })).rejects.toMatchObject({ code: 'VOUCHER_USED' });
    await expect(t.call('vouchers.prepare', { code: m.code })).rejects.toMatchObject({ code: 'VOUCHER_USED', message: expect.stringContaining('已使用') });
    expect(t.count()).toBe(2);
    expect(f.douyin.appliedVerifies).toBe(1);
    expect(f.meituan.appliedConsumes).toBe(1);
  });

  it('a voucher for several uses redeems the number asked, and says how many are left', async () => {
    const d = f.douyin.addVoucher({ title: '洗车次卡', unitValueFen: 2500, uses: 3 });
    const p = await t.call('vouchers.prepare', { code: d.url });
    expect(p.usesLeft).toBe(3);
    await expect(t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 4 })).rejects.toMatchObject({ code: 'VOUCHER_USES_OVER' });
    const r = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 2 });
    expect(r).toMatchObject({ state: 'REDEEMED', uses: 2, valueFen: 5000 });
    expect(f.douyin.appliedVerifies).toBe(2);
    expect((await t.call('vouchers.prepare', { code: d.url })).usesLeft).toBe(1);

    const m = f.meituan.addVoucher({ title: '自助餐', unitValueFen: 6800, uses: 4 });
    const pm = await t.call('vouchers.prepare', { code: m.code });
    const rm = await t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: pm.prepareId, uses: 3 });
    expect(rm).toMatchObject({ state: 'REDEEMED', uses: 3, valueFen: 20400 });
    expect(f.meituan.appliedConsumes).toBe(3);
    expect((await t.call('vouchers.prepare', { code: m.code })).usesLeft).toBe(1);
  });

  it('the same requestId returns the same redemption; with another body it is refused and nothing is sent', async () => {
    const d = f.douyin.addVoucher({ title: '套餐', unitValueFen: 5000, uses: 2 });
    const p = await t.call('vouchers.prepare', { code: d.code });
    const requestId = randomUUID();
    const a = await t.call('vouchers.redeem', { requestId, prepareId: p.prepareId, uses: 1 });
    const b = await t.call('vouchers.redeem', { requestId, prepareId: p.prepareId, uses: 1 });
    expect(b.id).toBe(a.id);
    await expect(t.call('vouchers.redeem', { requestId, prepareId: p.prepareId, uses: 2 })).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    expect(f.douyin.appliedVerifies).toBe(1);
    expect(verifyCalls()).toHaveLength(1);
    // The preview was spent by its verify (a Douyin verify_token pairs with one verify): a new scan is needed.
    await expect(t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 })).rejects.toMatchObject({ code: 'VOUCHER_PREPARE_EXPIRED' });
  });
});
