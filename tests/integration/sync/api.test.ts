// The sync service through the API: the agent starts from the service context once a platform is
// enabled, a counter sale's stock change reaches both fake shops, settings are owner-only, validated
// and never echo a secret, mapping by barcode / 商家编码 leaves ambiguous entries for a person, and a
// worker restart after a settings change loses nothing.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { demoBarcode } from '../../../electron/till/seed';
import { refusal } from '../../support/till-asserts';
import { apiRig, until, type ApiRig } from './api-rig';

const COKE_330 = demoBarcode(1);
const SECOND = demoBarcode(2);
const THIRD = demoBarcode(3);
const YZ = { itemId: '100001', skuId: '200001' };
const DD = { productId: '3589000000000000010', skuId: '1789000000000000010' };

let rig: ApiRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function sell(r: ApiRig, barcode: string, qty: number): Promise<void> {
  await r.tt.loginAs('cashier');
  const status = await r.call('app.status');
  if (!status.shift.open) await r.call('shift.open', { openingCashFen: 50_000 });
  await r.call('cart.scan', { code: barcode, multiplier: qty });
  await r.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 100_000 }] });
}

async function linkCoke(r: ApiRig): Promise<string> {
  const skuId = r.skuOf(COKE_330);
  r.youzan.setStock(YZ.itemId, YZ.skuId, 999);
  r.doudian.setStock(DD.productId, DD.skuId, 999);
  await r.tt.loginAs('manager');
  await r.call('sync.mapping.link', { skuId, platform: 'youzan', itemId: YZ.itemId, platformSkuId: YZ.skuId });
  const row = await r.call('sync.mapping.link', { skuId, platform: 'doudian', itemId: DD.productId, platformSkuId: DD.skuId });
  expect(row.links.map((l) => `${l.platform}:${l.matchedBy}`).sort()).toEqual(['doudian:manual', 'youzan:manual']);
  return skuId;
}

const bothShow = (r: ApiRig, n: number) =>
  until(
    `both fakes to show ${n}`,
    () => [r.youzan.getStock(YZ.itemId, YZ.skuId), r.doudian.getStock(DD.productId, DD.skuId)],
    (v) => v[0] === n && v[1] === n,
  );

describe('sync through the API', () => {
  it('starts nothing with no platform enabled, and the till sells', async () => {
    rig = await apiRig();
    await rig.sync.start();
    expect(rig.sync.currentAgent).toBeNull();
    await sell(rig, COKE_330, 2);
    const s = await rig.call('sync.status');
    expect(s.agent).toBe('off');
    expect(s.platforms.map((p) => [p.platform, p.enabled, p.connected])).toEqual([
      ['youzan', false, null],
      ['doudian', false, null],
      ['weidian', false, null],
    ]);
    expect((await refusal(rig.call('sync.now'))).code).toBe('SYNC_NO_PLATFORM');
  });

  it('the agent starts from the service context and a counter sale reaches fake Youzan and Doudian', async () => {
    rig = await apiRig();
    await rig.enableBoth();
    expect(rig.sync.currentAgent?.running).toBe(true);
    const skuId = await linkCoke(rig);
    const before = rig.pieces(skuId);
    await bothShow(rig, before); // the link's absolute push
    await sell(rig, COKE_330, 3);
    expect(rig.pieces(skuId)).toBe(before - 3);
    await bothShow(rig, before - 3);
    // Doudian got the sale as one idempotent increment of −3; Youzan the absolute figure.
    const increments = [...rig.doudian.applied.values()];
    expect(increments.map((a) => [a.delta, a.applied])).toEqual([[-3, 1]]);
    await rig.tt.loginAs('manager');
    const status = await until('status to settle', () => rig!.call('sync.status'), (s) => s.backlog === 0 && s.platforms.filter((p) => p.enabled).every((p) => p.connected === true));
    expect(status.agent).toBe('running');
    expect(status.deadLetters).toBe(0);
    const activity = await rig.call('sync.activity', { limit: 10 });
    expect(activity.items.some((i) => i.kind === 'push' && i.platform === 'doudian' && i.summary.includes('-3'))).toBe(true);
    expect(activity.items.every((a, i) => i === 0 || activity.items[i - 1].at >= a.at)).toBe(true);
    // The token was kept (sealed) for the next start; no secret or token in the settings view.
    const tokens = rig.tt.till.sqlite.prepare(`SELECT key, value FROM settings WHERE key LIKE 'sync.token.%' ORDER BY key`).all() as { key: string; value: string }[];
    expect(tokens.map((t) => t.key)).toEqual(['sync.token.doudian', 'sync.token.youzan']);
    await rig.tt.loginAs('owner');
    const view = JSON.stringify(await rig.call('sync.settings'));
    expect(view).not.toContain(rig.youzan.clientSecret);
    expect(view).not.toContain(rig.doudian.clientConfig().appSecret);
    expect(view).toContain(`…${rig.youzan.clientSecret.slice(-4)}`);
    for (const t of tokens) expect(t.value).not.toMatch(/accessToken/);
    // The audit names the fields changed, never a value.
    const details = rig.tt.till.sqlite.prepare(`SELECT details FROM audit_log WHERE action = 'sync.settings'`).all() as { details: string }[];
    expect(details.map((d) => JSON.parse(d.details).changed.sort())).toEqual([
      ['baseUrl', 'clientId', 'clientSecret', 'enabled', 'grantId'],
      ['appKey', 'appSecret', 'baseUrl', 'enabled', 'shopId'],
    ]);
    expect(JSON.stringify(details)).not.toContain(rig.youzan.clientSecret);
    // Test connection with the saved settings; a wrong secret is reported, not thrown.
    expect(await rig.call('sync.testConnection', { platform: 'youzan' })).toMatchObject({ ok: true });
    await rig.call('sync.saveSettings', { platform: 'doudian', appSecret: 'wrong-secret-123' });
    const bad = await rig.call('sync.testConnection', { platform: 'doudian' });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('抖店');
  });

  it('with the network down the till still sells; the status says what is wrong and the backlog waits', async () => {
    rig = await apiRig();
    await rig.tt.loginAs('owner');
    const y = rig.youzan.clientConfig();
    await rig.call('sync.saveSettings', { platform: 'youzan', enabled: true, baseUrl: 'http://127.0.0.1:9', clientId: y.clientId, clientSecret: y.clientSecret, grantId: y.grantId });
    await rig.sync.settled();
    await rig.tt.loginAs('manager');
    const skuId = rig.skuOf(COKE_330);
    await rig.call('sync.mapping.link', { skuId, platform: 'youzan', itemId: YZ.itemId, platformSkuId: YZ.skuId });
    const before = rig.pieces(skuId);
    await sell(rig, COKE_330, 2);
    expect(rig.pieces(skuId)).toBe(before - 2);
    const s = await until('the error to show', () => rig!.call('sync.status'), (v) => v.platforms[0].connected === false);
    expect(s.agent).toBe('running');
    expect(s.platforms[0]).toMatchObject({ platform: 'youzan', enabled: true, configured: true, lastError: { code: 'NETWORK' } });
    expect(s.platforms[0].backlog).toBeGreaterThan(0);
    expect(s.deadLetters).toBe(0);
  });

  it('an online order pulled shows as a poll in the activity, and the activity pages newest first', async () => {
    rig = await apiRig();
    await rig.enableBoth();
    const skuId = await linkCoke(rig);
    await bothShow(rig, rig.pieces(skuId));
    rig.youzan.placeOrder([{ itemId: YZ.itemId, skuId: YZ.skuId, num: 1 }], { payment: '3.00' });
    await rig.tt.loginAs('manager');
    await until('the poll to be recorded', () => rig!.call('sync.activity', { platform: 'youzan', limit: 200 }), (p) => p.items.some((i) => i.kind === 'poll'));
    const all = (await rig.call('sync.activity', { limit: 200 })).items;
    expect(all.length).toBeGreaterThanOrEqual(3); // two pages of 2 at least
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await rig.call('sync.activity', { limit: 2, cursor });
      pages.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual((await rig.call('sync.activity', { limit: 200 })).items.map((i) => i.id).slice(0, pages.length));
    expect(new Set(pages).size).toBe(pages.length);
    expect((await refusal(rig.call('sync.activity', { cursor: 'garbage' }))).code).toBe('BAD_CURSOR');
  });

  it('keeps the platforms\' tokens sealed, so a restarted worker asks for none', async () => {
    rig = await apiRig();
    await rig.enableBoth();
    const skuId = await linkCoke(rig);
    await bothShow(rig, rig.pieces(skuId));
    const tokenCalls = () => [rig!.youzan.requests().filter((r) => r.path === '/auth/token').length, rig!.doudian.requests().filter((r) => r.path.startsWith('/token/')).length];
    const before = tokenCalls();
    expect(before.every((n) => n >= 1)).toBe(true);
    await rig.sync.restart();
    await sell(rig, COKE_330, 1);
    await rig.tt.loginAs('manager');
    await rig.call('sync.now');
    await bothShow(rig, rig.pieces(skuId));
    expect(tokenCalls()).toEqual(before);
    // A changed identity drops the kept token: the new shop gets its own.
    await rig.tt.loginAs('owner');
    await rig.call('sync.saveSettings', { platform: 'youzan', baseUrl: `${rig.youzan.url}/` });
    expect(rig.tt.till.sqlite.prepare(`SELECT count(*) AS n FROM settings WHERE key = 'sync.token.youzan'`).get()).toEqual({ n: 0 });
  });

  it('refuses a bad base URL or a missing secret and changes nothing', async () => {
    rig = await apiRig();
    await rig.tt.loginAs('owner');
    const before = await rig.call('sync.settings');
    const audits = () => rig!.tt.till.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'sync.settings'`).get() as { n: number };
    const a0 = audits().n;
    const bad = await refusal(rig.callRaw('sync.saveSettings', { platform: 'youzan', enabled: true, baseUrl: 'ftp://example.com', clientId: 'abcd1234', grantId: '1', clientSecret: 'x'.repeat(16) }));
    expect(bad.code).toBe('BAD_INPUT');
    expect(bad.message).toContain('http://');
    const missing = await refusal(rig.call('sync.saveSettings', { platform: 'doudian', enabled: true, appKey: '7000000000000000001', shopId: '12345678' }));
    expect(missing.code).toBe('SYNC_SETTINGS_INCOMPLETE');
    expect(missing.message).toContain('app_secret');
    expect(await rig.call('sync.settings')).toEqual(before);
    expect(audits().n).toBe(a0);
    await rig.sync.settled();
    expect(rig.sync.currentAgent).toBeNull();
  });

  it('keeps the cashier out of settings, mapping changes and dead letters', async () => {
    rig = await apiRig();
    await rig.tt.loginAs('cashier');
    const skuId = rig.skuOf(COKE_330);
    for (const [name, input] of [
      ['sync.settings', {}],
      ['sync.saveSettings', { platform: 'youzan', enabled: false }],
      ['sync.testConnection', { platform: 'youzan' }],
      ['sync.mapping.link', { skuId, platform: 'youzan', itemId: '1', platformSkuId: null }],
      ['sync.mapping.unlink', { skuId, platform: 'youzan' }],
      ['sync.mapping.autoMatch', {}],
      ['sync.dismiss', { id: 'x' }],
      ['sync.retry', { id: 'x' }],
      ['sync.reconcile', {}],
    ] as const) {
      expect((await refusal(rig.callRaw(name, input))).code, name).toBe('FORBIDDEN');
    }
    await rig.tt.loginAs('manager');
    expect((await refusal(rig.call('sync.settings'))).code).toBe('FORBIDDEN');
    expect((await refusal(rig.call('sync.dismiss', { id: 'nope' }))).code).toBe('SYNC_DEAD_LETTER_NOT_FOUND');
    expect(rig.tt.till.sqlite.prepare(`SELECT count(*) AS n FROM sku_mapping`).get()).toEqual({ n: 0 });
  });

  it('autoMatch links by barcode and by merchant code and leaves ambiguous and unknown entries unmatched', async () => {
    rig = await apiRig();
    await rig.enableBoth();
    const coke = rig.skuOf(COKE_330);
    const second = rig.skuOf(SECOND);
    const third = rig.skuOf(THIRD);
    const codeOf = (id: string) => (rig!.tt.till.sqlite.prepare(`SELECT code FROM skus WHERE id = ?`).get(id) as { code: string }).code;
    rig.youzan.setStock('100001', '200001', 5, { title: '可乐', barcode: COKE_330 }); // barcode → coke
    rig.youzan.setStock('100002', null, 5, { title: '第二个', code: codeOf(second) }); // 商家编码 → second (item without SKUs)
    rig.youzan.setStock('100003', '200003', 5, { title: '三号A', barcode: THIRD }); // two entries fit third: ambiguous
    rig.youzan.setStock('100003', '200004', 5, { title: '三号B', barcode: THIRD });
    rig.youzan.setStock('100005', '200005', 5, { title: '不认识', barcode: '6900000000000' });
    rig.doudian.setStock('3589000000000000011', '1789000000000000011', 5, { title: '二号', code: codeOf(second) });
    await rig.tt.loginAs('manager');
    const report = await rig.call('sync.mapping.autoMatch', {});
    const by = Object.fromEntries(report.platforms.map((p) => [p.platform, p]));
    expect(by.youzan).toMatchObject({ ok: true, listed: 5, matched: 2, ambiguous: 2, unmatched: 1, alreadyLinked: 0 });
    expect(by.doudian).toMatchObject({ ok: true, listed: 1, matched: 1, ambiguous: 0, unmatched: 0 });
    const links = rig.tt.till.sqlite.prepare(`SELECT sku_id, platform, item_id, platform_sku_id, matched_by FROM sku_mapping ORDER BY platform, item_id`).all();
    expect(links).toEqual([
      { sku_id: second, platform: 'doudian', item_id: '3589000000000000011', platform_sku_id: '1789000000000000011', matched_by: 'code' },
      { sku_id: coke, platform: 'youzan', item_id: '100001', platform_sku_id: '200001', matched_by: 'barcode' },
      { sku_id: second, platform: 'youzan', item_id: '100002', platform_sku_id: null, matched_by: 'code' },
    ]);
    // Run again: nothing new, the linked ones counted as such.
    const again = await rig.call('sync.mapping.autoMatch', { platform: 'youzan' });
    expect(again.platforms[0]).toMatchObject({ matched: 0, alreadyLinked: 2, ambiguous: 2, unmatched: 1 });
    // The review lists: third is unmatched on youzan, and its two candidate entries are unlinked platform items.
    const unmatched = await rig.call('sync.mapping.list', { platform: 'youzan', filter: 'unmatched', search: THIRD });
    expect(unmatched.rows.map((r) => r.skuId)).toEqual([third]);
    const items = await rig.call('sync.mapping.platformItems', { platform: 'youzan', unlinkedOnly: true });
    expect(items.items.map((i) => i.platformSkuId ?? i.itemId).sort()).toEqual(['200003', '200004', '200005']);
    const matched = await rig.call('sync.mapping.list', { filter: 'matched' });
    expect(matched.total).toBe(2);
    expect(matched.rows.find((r) => r.skuId === coke)?.links).toEqual([{ platform: 'youzan', itemId: '100001', platformSkuId: '200001', matchedBy: 'barcode', title: '可乐' }]);
    // A person links one of the ambiguous entries; the other is then refused for another SKU.
    await rig.call('sync.mapping.link', { skuId: third, platform: 'youzan', itemId: '100003', platformSkuId: '200003' });
    expect((await refusal(rig.call('sync.mapping.link', { skuId: coke, platform: 'youzan', itemId: '100003', platformSkuId: '200003' }))).code).toBe('SYNC_ITEM_TAKEN');
    const audits = rig.tt.till.sqlite.prepare(`SELECT action FROM audit_log WHERE action LIKE 'sync.%' ORDER BY rowid`).all() as { action: string }[];
    expect(audits.map((a) => a.action)).toEqual(['sync.settings', 'sync.settings', 'sync.autoMatch', 'sync.autoMatch', 'sync.autoMatch', 'sync.link']);
  });

  it('a worker restart after a settings change loses nothing and doubles nothing', async () => {
    rig = await apiRig();
    await rig.enableBoth();
    const skuId = await linkCoke(rig);
    const start = rig.pieces(skuId);
    await bothShow(rig, start);
    await sell(rig, COKE_330, 1);
    await sell(rig, COKE_330, 2);
    // The owner changes a setting (Doudian's base URL spelled with a trailing slash): the worker restarts
    // with the new connectors while sales keep coming.
    await rig.tt.loginAs('owner');
    await rig.call('sync.saveSettings', { platform: 'doudian', baseUrl: `${rig.doudian.url}/` });
    const old = rig.sync.currentAgent;
    await sell(rig, COKE_330, 1);
    await rig.sync.settled();
    expect(rig.sync.currentAgent).not.toBe(old);
    await sell(rig, COKE_330, 4);
    // And the worker dies outright once: the service starts it again by itself.
    await rig.sync.currentAgent!.kill();
    expect(rig.sync.currentAgent!.running).toBe(false);
    await sell(rig, COKE_330, 1);
    await until('the worker to be started again', () => rig!.sync.currentAgent!.running, (v) => v);
    await rig.tt.loginAs('manager');
    await rig.call('sync.now');
    const end = rig.pieces(skuId);
    expect(end).toBe(start - 9);
    await bothShow(rig, end);
    const st = await until('backlog to drain', () => rig!.call('sync.status'), (s) => s.backlog === 0);
    expect(st.deadLetters).toBe(0);
    for (const a of rig.doudian.applied.values()) expect(a.applied).toBe(1);
    const deliveries = rig.tt.till.sqlite.prepare(`SELECT state, count(*) AS n FROM sync_deliveries GROUP BY state`).all();
    expect(deliveries).toEqual([{ state: 'done', n: expect.any(Number) }]);
  });

  it('a full reconcile finds drift on a platform, repairs it with an absolute push and shows it in the activity', async () => {
    rig = await apiRig();
    await rig.enableBoth();
    const skuId = await linkCoke(rig);
    const n = rig.pieces(skuId);
    await bothShow(rig, n);
    rig.youzan.setStock(YZ.itemId, YZ.skuId, n + 7); // someone changed it in the Youzan back office
    await rig.tt.loginAs('manager');
    const report = await rig.call('sync.reconcile', {});
    const yz = report.platforms.find((p) => p.platform === 'youzan')!;
    expect(yz).toMatchObject({ ok: true, checked: 1, repaired: 1, missing: 0 });
    expect(yz.drifts).toEqual([expect.objectContaining({ skuId, platformQty: n + 7, expectedQty: n })]);
    expect(report.platforms.find((p) => p.platform === 'doudian')).toMatchObject({ ok: true, checked: 1, repaired: 0 });
    await bothShow(rig, n);
    const activity = await rig.call('sync.activity', { platform: 'youzan', limit: 50 });
    expect(activity.items.find((i) => i.kind === 'repair')).toMatchObject({ skuId, ok: true, summary: expect.stringContaining(`${n + 7}`) });
  });

  it('a dead letter is listed, retried by a manager (audited) and then delivered', async () => {
    rig = await apiRig();
    await rig.enableBoth();
    const skuId = await linkCoke(rig);
    const n = rig.pieces(skuId);
    await bothShow(rig, n);
    // Doudian's SKU vanishes: the next increment is refused (business failure) → dead letter.
    rig.doudian.reset();
    await sell(rig, COKE_330, 1);
    await rig.tt.loginAs('manager');
    const dead = await until('a dead letter', () => rig!.call('sync.deadLetters', {}), (d) => d.length === 1);
    expect(dead[0]).toMatchObject({ platform: 'doudian', skuId, barcode: COKE_330 });
    rig.doudian.setStock(DD.productId, DD.skuId, n);
    await rig.call('sync.retry', { id: dead[0].id });
    await until('doudian to take the retried move', () => rig!.doudian.getStock(DD.productId, DD.skuId), (v) => v === n - 1);
    expect(await rig.call('sync.deadLetters', {})).toEqual([]);
    expect((await refusal(rig.call('sync.dismiss', { id: dead[0].id }))).code).toBe('SYNC_DEAD_LETTER_RESOLVED');
    const audit = rig.tt.till.sqlite.prepare(`SELECT action, target FROM audit_log WHERE action = 'sync.retry'`).all();
    expect(audit).toEqual([{ action: 'sync.retry', target: dead[0].id }]);
  });
});
