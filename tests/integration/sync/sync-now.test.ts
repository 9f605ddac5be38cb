// 立即同步 (sync.now) pulls every enabled platform's orders at once: a customer's order placed in the
// fake shops shows in the order inbox after one sync.now, with the scheduled poll an hour away (on the
// old code sync.now only polled when the poll was due, so the orders waited for the next minute).
import { afterEach, describe, expect, it } from 'vitest';
import { demoBarcode } from '../../../electron/till/seed';
import { apiRig, FAST_POLICY, until, type ApiRig } from './api-rig';

const COKE_330 = demoBarcode(1);
const YZ = { itemId: '100001', skuId: '200001' };
const DD = { productId: '3589000000000000010', skuId: '1789000000000000010' };

let rig: ApiRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('sync.now', () => {
  it('polls every enabled platform at once: orders placed in the fakes appear after one sync.now', async () => {
    rig = await apiRig({ policy: { ...FAST_POLICY, pollEveryMs: 3_600_000 } });
    const r = rig;
    r.youzan.setStock(YZ.itemId, YZ.skuId, 999);
    r.doudian.setStock(DD.productId, DD.skuId, 999);
    await r.enableBoth();
    const skuId = r.skuOf(COKE_330);
    await r.tt.loginAs('manager');
    await r.call('sync.mapping.link', { skuId, platform: 'youzan', itemId: YZ.itemId, platformSkuId: YZ.skuId });
    await r.call('sync.mapping.link', { skuId, platform: 'doudian', itemId: DD.productId, platformSkuId: DD.skuId });
    const n = r.pieces(skuId);
    await until('both fakes to show the linked figure', () => [r.youzan.getStock(YZ.itemId, YZ.skuId), r.doudian.getStock(DD.productId, DD.skuId)], (v) => v[0] === n && v[1] === n);
    // Both platforms had their first poll when the agent started; the next is an hour away.
    await until('the first polls', () => r.call('sync.status'), (s) => s.backlog === 0 && s.platforms.filter((p) => p.enabled).every((p) => p.lastPollAt !== null));
    const polls = () => [r.youzan.requests().filter((q) => /trades\.sold\.get/.test(q.path)).length, r.doudian.requests().filter((q) => /order\/searchList/.test(q.path)).length];
    const pollsBefore = polls();
    expect(pollsBefore.every((k) => k >= 1)).toBe(true);

    const tid = r.youzan.placeOrder([{ itemId: YZ.itemId, skuId: YZ.skuId, num: 2 }], { payment: '6.00' }).tid;
    const orderId = r.doudian.placeOrder([{ productId: DD.productId, skuId: DD.skuId, num: 1 }], 300).orderId;
    await r.tt.loginAs('cashier');
    expect((await r.call('orders.list', {})).items).toEqual([]); // not polled by itself

    await r.call('sync.now');
    const ids = (await r.call('orders.list', {})).items.map((o) => `${o.platform}:${o.platformOrderId}`).sort();
    expect(ids).toEqual([`doudian:${orderId}`, `youzan:${tid}`]);
    const pollsAfter = polls();
    expect(pollsAfter[0]).toBeGreaterThan(pollsBefore[0]);
    expect(pollsAfter[1]).toBeGreaterThan(pollsBefore[1]);
  });
});
