// The Weidian (微店) connector against its fake: the token is the only credential (a made-up or
// expired token is refused with 10013 and renewed once; a token that cannot be renewed is an auth
// error the engine parks for a person), absolute stock only, orders by update time with every page
// read and repeats kept once, and each failure read as the right kind: malformed → bad_response,
// 10020 → rate_limited, 5xx / a lost answer → retry. Then the engine relays and polls Weidian as it
// does the other platforms.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../../electron/sync/connector';
import { buildConnector } from '../../../electron/sync/connectors';
import { openSyncDb } from '../../../electron/sync/db';
import { SyncEngine } from '../../../electron/sync/engine';
import { linkSku } from '../../../electron/sync/mapping';
import { seededRandom } from '../../../electron/sync/backoff';
import { platformSellable } from '../../../electron/sync/sellable';
import { WeidianConnector } from '../../../electron/sync/weidian/connector';
import { moveStock } from '../../../electron/till/ledger';
import { WeidianFake, type WeidianFakeOrder } from '../../fakes/weidian';
import { tempTill } from '../../support/temp-till';

let fake: WeidianFake;
const clock = { now: Date.UTC(2026, 10, 30, 2, 0, 0) };
const now = () => clock.now;
const connector = (over: { secret?: string; timeoutMs?: number } = {}) => new WeidianConnector({ ...fake.clientConfig(), ...over, timeoutMs: over.timeoutMs ?? 2_000, now });
const kindOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof SyncError ? `${e.kind}:${e.code}` : `other:${(e as Error).message}`));

beforeAll(async () => {
  fake = await WeidianFake.start({ now });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.reset();
});

async function rawApi(method: string, version: string, param: unknown, token: string): Promise<{ status: { status_code: number } }> {
  const q = new URLSearchParams({ public: JSON.stringify({ version, access_token: token, format: 'json', method }), param: JSON.stringify(param) });
  return (await fetch(`${fake.url}/api?${q}`, { method: 'POST' })).json() as never;
}

describe('Weidian auth (token only, PLATFORMS.md §5.2)', () => {
  it('a call with a made-up token is refused with 10013 and changes nothing', async () => {
    fake.setStock('1001', '5001', 10);
    expect((await rawApi('vdian.item.sku.update', '1.0', { itemid: '1001', skus: [{ id: '5001', stock: 3 }] }, 'made-up')).status.status_code).toBe(10013);
    expect(fake.getStock('1001', '5001')).toBe(10);
  });

  it('a wrong secret is an auth error (parked for a person), nothing applied', async () => {
    fake.setStock('1001', '5001', 10);
    expect(await kindOf(connector({ secret: 'wrong' }).pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: 4 }))).toBe('auth:token 10011');
    expect(fake.getStock('1001', '5001')).toBe(10);
  });

  it('an expired token is renewed once and the call repeated', async () => {
    fake.setStock('1001', '5001', 10);
    const c = connector();
    await c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: 7 });
    fake.expireTokens();
    expect(await c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: 6 })).toBe('applied');
    expect(fake.getStock('1001', '5001')).toBe(6);
    expect(fake.requests().filter((r) => r.path === '/token')).toHaveLength(2);
  });

  it('an expired token that cannot be renewed (secret reset) is an auth error; nothing half-applied', async () => {
    fake.setStock('1001', '5001', 10);
    const c = connector();
    await c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: 9 });
    fake.expireTokens();
    fake.refuseCredentials = true;
    expect(await kindOf(c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: 2 }))).toBe('auth:token 10011');
    expect(fake.getStock('1001', '5001')).toBe(9);
  });
});

describe('Weidian stock', () => {
  it('sets a SKU and an item without SKUs outright; refuses increments (no idempotency key on Weidian)', async () => {
    fake.setStock('1001', '5001', 10);
    fake.setStock('1002', null, 10);
    const c = connector();
    await c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: 3 });
    await c.pushStock({ mode: 'absolute', ref: { itemId: '1002', platformSkuId: null }, quantity: 0 });
    expect([fake.getStock('1001', '5001'), fake.getStock('1002', null)]).toEqual([3, 0]);
    expect(c.capabilities.stockIncrement).toBe(false);
    expect(await kindOf(c.pushStock({ mode: 'increment', ref: { itemId: '1001', platformSkuId: '5001' }, delta: -1, idempotencyKey: 'k1' }))).toBe('refused:NO_INCREMENT');
    expect(fake.getStock('1001', '5001')).toBe(3);
  });

  it('an unknown SKU or a negative figure is a business refusal', async () => {
    fake.setStock('1001', '5001', 10);
    const c = connector();
    expect(await kindOf(c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '9999' }, quantity: 3 }))).toBe('refused:10002');
    expect(await kindOf(c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: -1 }))).toBe('refused:20001');
    expect(fake.getStock('1001', '5001')).toBe(10);
  });

  it('faults read as their kind: 5xx / timeout → retry, 10020 → rate_limited, malformed → bad_response; applied-then-timed-out is harmless to repeat', async () => {
    fake.setStock('1001', '5001', 10);
    const c = connector({ timeoutMs: 300 });
    const push = (quantity: number) => c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity });
    await push(10); // a token first
    fake.setScenario({ op: 'stock', fault: 'server_error' });
    expect(await kindOf(push(8))).toBe('retry:HTTP 502');
    expect(fake.getStock('1001', '5001')).toBe(10);
    fake.setScenario({ op: 'stock', fault: 'rate_limited' });
    expect(await kindOf(push(8))).toBe('rate_limited:10020');
    fake.setScenario({ op: 'stock', fault: 'malformed' });
    expect(await kindOf(push(8))).toBe('bad_response:MALFORMED');
    fake.setScenario({ op: 'stock', fault: 'timeout', delayMs: 2_000 });
    expect(await kindOf(push(7))).toBe('retry:TIMEOUT');
    expect(fake.getStock('1001', '5001')).toBe(7); // applied, the answer lost
    expect(await push(7)).toBe('applied'); // the same figure again: nothing doubles
    expect(fake.getStock('1001', '5001')).toBe(7);
  });

  it('the fake rate-limits per second on its own clock', async () => {
    fake.setStock('1001', '5001', 10);
    fake.callsPerSecond = 2;
    try {
      const c = connector();
      const push = () => c.pushStock({ mode: 'absolute', ref: { itemId: '1001', platformSkuId: '5001' }, quantity: 5 });
      await push();
      await push();
      expect(await kindOf(push())).toBe('rate_limited:10020');
      clock.now += 1000;
      expect(await push()).toBe('applied');
    } finally {
      fake.callsPerSecond = 0;
    }
  });
});

describe('Weidian orders', () => {
  it('reads every page by update time; duplicated and out-of-order pages give each order once, newest copy', async () => {
    fake.setStock('1001', '5001', 1000);
    const since = clock.now;
    const placed: WeidianFakeOrder[] = [];
    for (let i = 0; i < 130; i++) {
      placed.push(fake.placeOrder([{ itemId: '1001', skuId: '5001', quantity: 1 }], { total: '3.50', expressType: i % 2 }));
      clock.now += 1000;
    }
    fake.setOrderStatus(placed[0].orderId, 'finish');
    const c = connector();
    fake.setScenario([{ op: 'orders', fault: 'duplicate' }, { op: 'orders', fault: 'out_of_order' }]);
    const orders = await c.pullOrders({ sinceMs: since, untilMs: clock.now });
    expect(orders).toHaveLength(130);
    expect(new Set(orders.map((o) => o.platformOrderId)).size).toBe(130);
    const first = orders.find((o) => o.platformOrderId === placed[0].orderId)!;
    expect(first).toMatchObject({ status: 'done', platformStatus: 'finish', payAmountFen: 350, deliveryType: 'express', lines: [{ itemId: '1001', platformSkuId: '5001', qty: 1 }] });
    expect(orders.find((o) => o.platformOrderId === placed[1].orderId)).toMatchObject({ status: 'paid', deliveryType: 'self_pickup' });
  });

  it('a malformed order list is bad_response', async () => {
    const c = connector();
    fake.setScenario({ op: 'orders', fault: 'malformed' });
    expect(await kindOf(c.pullOrders({ sinceMs: clock.now - 60_000, untilMs: clock.now }))).toBe('bad_response:MALFORMED');
  });
});

describe('the engine with Weidian', () => {
  it('a local sale is pushed to Weidian as an absolute figure; an online order is pulled into online_orders once; a token that cannot be renewed parks the backlog', async () => {
    const t = tempTill({ now });
    const sync = openSyncDb(t.till.dbFile);
    const engine = new SyncEngine({ db: sync.db, holder: 'till-1', now, connectors: [buildConnector({ platform: 'weidian', ...fake.clientConfig(), timeoutMs: 2_000 }, now)], policy: { pollEveryMs: 1_000 } });
    try {
      const sku = t.till.sqlite.prepare(`SELECT s.id FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 0 AND s.active = 1 ORDER BY s.code LIMIT 1`).get() as { id: string };
      const pieces = () => platformSellable(t.till.db, 'weidian', sku.id);
      fake.setStock('1001', '5001', 0);
      linkSku(sync.db, { skuId: sku.id, platform: 'weidian', itemId: '1001', platformSkuId: '5001', matchedBy: 'manual' }, clock.now);
      const move = (n: number) => t.till.tx(() => moveStock(t.till.db, { skuId: sku.id, qtyDelta: n * 1000, reason: n < 0 ? 'sale' : 'return', refId: null, userId: null, businessDay: t.till.businessDay(), at: clock.now }));
      move(-3);
      await engine.tick();
      expect(fake.getStock('1001', '5001')).toBe(pieces());

      const order = fake.placeOrder([{ itemId: '1001', skuId: '5001', quantity: 2 }], { total: '7.00' });
      clock.now += 1000;
      await engine.tick();
      await engine.tick();
      const rows = t.till.sqlite.prepare(`SELECT platform_order_id AS id, status, lines FROM online_orders WHERE platform = 'weidian'`).all() as { id: string; status: string; lines: string }[];
      expect(rows).toEqual([{ id: order.orderId, status: 'paid', lines: expect.stringContaining(sku.id) }]);

      fake.expireTokens();
      fake.refuseCredentials = true;
      move(-1);
      clock.now += 3_600_000;
      await engine.tick();
      const st = engine.status().find((s) => s.platform === 'weidian')!;
      expect(st.lastError?.code).toBe('token 10011');
      expect(st.backlog).toBeGreaterThan(0);
      expect(engine.deadLetters()).toEqual([]);
    } finally {
      await engine.stop();
      sync.close();
      t.cleanup();
    }
  });
});

describe('a seeded run with faults on Weidian', () => {
  it('many local moves with lost answers, 5xx, rate limits, malformed answers and expired tokens end with Weidian equal to the till', async () => {
    const seed = Number(process.env.WEIDIAN_FAULT_SEED ?? 20261130);
    const random = seededRandom(seed);
    const t = tempTill({ now });
    const sync = openSyncDb(t.till.dbFile);
    const engine = new SyncEngine({
      db: sync.db,
      holder: 'till-1',
      now,
      seed,
      connectors: [buildConnector({ platform: 'weidian', ...fake.clientConfig(), timeoutMs: 300 }, now)],
      policy: { pollEveryMs: 3_600_000, defaultCallsPerSecond: 50 },
    });
    try {
      const skus = (t.till.sqlite.prepare(`SELECT s.id FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 0 AND s.active = 1 ORDER BY s.code LIMIT 3`).all() as { id: string }[]).map((r, i) => ({
        id: r.id,
        itemId: String(3001 + i),
        skuId: i === 2 ? null : String(4001 + i), // one item without SKUs (vdian.item.update)
      }));
      const move = (id: string, n: number) => t.till.tx(() => moveStock(t.till.db, { skuId: id, qtyDelta: n * 1000, reason: n < 0 ? 'sale' : 'return', refId: null, userId: null, businessDay: t.till.businessDay(), at: clock.now }));
      for (const s of skus) {
        move(s.id, 500);
        fake.setStock(s.itemId, s.skuId, 0);
        linkSku(sync.db, { skuId: s.id, platform: 'weidian', itemId: s.itemId, platformSkuId: s.skuId, matchedBy: 'manual' }, clock.now);
      }
      const faults = ['timeout', 'server_error', 'rate_limited', 'malformed', 'token_expired', 'drop'] as const;
      for (let step = 0; step < 150; step++) {
        const s = skus[Math.floor(random() * skus.length)];
        move(s.id, random() < 0.8 ? -1 - Math.floor(random() * 3) : 1 + Math.floor(random() * 2));
        if (random() < 0.2) fake.setScenario({ op: 'stock', fault: faults[Math.floor(random() * faults.length)], delayMs: 600 }, true);
        if (random() < 0.03) fake.expireTokens();
        if (random() < 0.5) {
          const r = await engine.tick();
          clock.now = Math.max(clock.now + 50, Math.min(r.nextWakeAt, clock.now + 5_000));
        }
      }
      fake.setScenario([]);
      const pending = () => (t.till.sqlite.prepare(`SELECT count(*) AS n FROM sync_deliveries WHERE state = 'pending'`).get() as { n: number }).n;
      for (let round = 0; round < 500; round++) {
        const r = await engine.tick();
        if (round > 0 && pending() === 0) break;
        clock.now = Math.max(clock.now + 1, r.nextWakeAt);
      }
      const table = skus.map((s) => ({ sku: s.itemId, till: platformSellable(t.till.db, 'weidian', s.id), weidian: fake.getStock(s.itemId, s.skuId) }));
      expect(new Set(fake.requests().map((r) => r.fault).filter(Boolean)).size, `seed ${seed}: faults met`).toBeGreaterThanOrEqual(4);
      expect(pending(), `seed ${seed}`).toBe(0);
      expect(engine.deadLetters(), `seed ${seed}`).toEqual([]);
      for (const row of table) expect(row.weidian, `seed ${seed}: ${JSON.stringify(table)}`).toBe(row.till);
    } finally {
      await engine.stop();
      sync.close();
      t.cleanup();
    }
  });
});

