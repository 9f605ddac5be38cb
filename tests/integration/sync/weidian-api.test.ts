// Weidian (微店) in the running till, through the API: the owner saves its appkey and secret (sealed,
// never echoed), the service starts the worker with the Weidian connector, auto-match reads the fake's
// item list (vdian.item.list.get, fields UNVERIFIED) and links by 商家编码, a counter sale's stock
// reaches the Weidian fake as an absolute figure, and the full reconcile repairs a hand-made drift.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { demoBarcode } from '../../../electron/till/seed';
import { refusal } from '../../support/till-asserts';
import { WeidianFake } from '../../fakes/weidian';
import { apiRig, until, type ApiRig } from './api-rig';

const COKE_330 = demoBarcode(1);
const WD = { itemId: '5100001', skuId: '6100001' };

let rig: ApiRig | null = null;
let weidian: WeidianFake | null = null;
afterEach(async () => {
  await rig?.close();
  await weidian?.close();
  rig = null;
  weidian = null;
});

async function sell(r: ApiRig, barcode: string, qty: number): Promise<void> {
  await r.tt.loginAs('cashier');
  const status = await r.call('app.status');
  if (!status.shift.open) await r.call('shift.open', { openingCashFen: 50_000 });
  await r.call('cart.scan', { code: barcode, multiplier: qty });
  await r.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 100_000 }] });
}

describe('Weidian through the API', () => {
  it('enabled against its fake: settings sealed, auto-match by 商家编码, a counter sale reaches the Weidian fake, reconcile repairs drift', async () => {
    rig = await apiRig();
    const fake = (weidian = await WeidianFake.start());
    const skuId = rig.skuOf(COKE_330);
    fake.setStock(WD.itemId, WD.skuId, 999);
    fake.setItemInfo(WD.itemId, WD.skuId, { title: '330ml', merchantCode: COKE_330 });
    fake.setStock('5100002', null, 7); // an item nothing local fits

    await rig.tt.loginAs('owner');
    const w = fake.clientConfig();
    // Enabling without the secret is refused and writes nothing.
    const incomplete = await refusal(rig.call('sync.saveSettings', { platform: 'weidian', enabled: true, baseUrl: w.baseUrl, appKey: w.appKey }));
    expect(incomplete.code).toBe('SYNC_SETTINGS_INCOMPLETE');
    expect(incomplete.message).toContain('secret');
    expect((await rig.call('sync.settings')).weidian.updatedAt).toBeNull();

    const view = await rig.call('sync.saveSettings', { platform: 'weidian', enabled: true, baseUrl: w.baseUrl, appKey: w.appKey, secret: w.secret });
    expect(view.weidian).toMatchObject({ enabled: true, complete: true, appKey: w.appKey, secret: { set: true, hint: `…${w.secret.slice(-4)}` }, effectiveBaseUrl: w.baseUrl });
    expect(JSON.stringify(view)).not.toContain(w.secret);
    const stored = rig.tt.till.sqlite.prepare(`SELECT value FROM settings WHERE key = 'sync.platform.weidian'`).pluck().get() as string;
    expect(stored).not.toContain(w.secret); // sealed at rest
    await rig.sync.settled();
    expect(rig.sync.currentAgent?.running).toBe(true);
    expect(await rig.call('sync.testConnection', { platform: 'weidian' })).toMatchObject({ ok: true });

    await rig.tt.loginAs('manager');
    const report = await rig.call('sync.mapping.autoMatch', { platform: 'weidian' });
    expect(report.platforms).toEqual([{ platform: 'weidian', ok: true, error: null, listed: 2, matched: 1, alreadyLinked: 0, ambiguous: 0, unmatched: 1 }]);
    const row = (await rig.call('sync.mapping.list', { platform: 'weidian', filter: 'matched' })).rows.find((r) => r.skuId === skuId)!;
    expect(row.links).toMatchObject([{ platform: 'weidian', itemId: WD.itemId, platformSkuId: WD.skuId, matchedBy: 'barcode' }]);

    const before = rig.pieces(skuId);
    await until('Weidian to show the linked figure', () => fake.getStock(WD.itemId, WD.skuId), (v) => v === before);
    await sell(rig, COKE_330, 3);
    expect(rig.pieces(skuId)).toBe(before - 3);
    await until('Weidian to show the sale', () => fake.getStock(WD.itemId, WD.skuId), (v) => v === before - 3);

    await rig.tt.loginAs('manager');
    const status = await until('the backlog to drain', () => rig!.call('sync.status'), (s) => s.backlog === 0 && s.platforms.find((p) => p.platform === 'weidian')?.connected === true);
    expect(status.platforms.find((p) => p.platform === 'weidian')).toMatchObject({ enabled: true, configured: true, deadLetters: 0 });

    // Someone changes the stock in the Weidian shop by hand: the full reconcile finds it and pushes the figure again.
    fake.setStock(WD.itemId, WD.skuId, 5);
    const rec = await rig.call('sync.reconcile', { platform: 'weidian' });
    expect(rec.platforms[0]).toMatchObject({ platform: 'weidian', ok: true, checked: 1, repaired: 1, drifts: [{ skuId, platformQty: 5, expectedQty: before - 3 }] });
    await until('Weidian to be repaired', () => fake.getStock(WD.itemId, WD.skuId), (v) => v === before - 3);
  });
});
