// The engine in its worker thread, on its own connection and real timers: a stock move reaches both
// fakes; a worker killed mid-run and started again finishes the backlog with nothing applied twice.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncAgent } from '../../../electron/sync/agent';
import { openSyncDb } from '../../../electron/sync/db';
import { linkSku } from '../../../electron/sync/mapping';
import { moveStock } from '../../../electron/till/ledger';
import { sellable } from '../../../electron/sync/relay';
import { DoudianFake } from '../../fakes/doudian';
import { YouzanFake } from '../../fakes/youzan';
import { tempTill, type TempTill } from '../../support/temp-till';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('sync worker', () => {
  it('drains moves to both fakes from its thread, and a killed worker started again finishes the backlog once', async () => {
    const t: TempTill = tempTill();
    cleanups.push(() => t.cleanup());
    const dd = await DoudianFake.start();
    const yz = await YouzanFake.start();
    cleanups.push(() => dd.close(), () => yz.close());
    const sku = (t.till.sqlite.prepare(`SELECT s.id FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 0 ORDER BY s.code LIMIT 1`).get() as { id: string }).id;
    const setup = openSyncDb(t.till.dbFile);
    linkSku(setup.db, { skuId: sku, platform: 'doudian', itemId: '3589000000000000077', platformSkuId: '1789000000000000077', matchedBy: 'manual' }, Date.now());
    linkSku(setup.db, { skuId: sku, platform: 'youzan', itemId: '300077', platformSkuId: null, matchedBy: 'manual' }, Date.now());
    setup.close();
    dd.setStock('3589000000000000077', '1789000000000000077', 0);
    yz.setStock('300077', null, 0);
    const move = (pieces: number) =>
      t.till.tx(() => moveStock(t.till.db, { skuId: sku, qtyDelta: pieces * 1000, reason: 'return', refId: null, userId: null, businessDay: t.till.businessDay(), at: Date.now() })!);
    move(500);
    const ledger = () => sellable((t.till.sqlite.prepare(`SELECT stock_qty FROM skus WHERE id = ?`).get(sku) as { stock_qty: number }).stock_qty);
    const inStep = () => {
      expect(dd.getStock('3589000000000000077', '1789000000000000077')).toBe(ledger());
      expect(yz.getStock('300077', null)).toBe(ledger());
    };

    const data = {
      dbFile: t.till.dbFile,
      holder: 'till-1',
      connectors: [
        { platform: 'doudian' as const, ...dd.clientConfig(), timeoutMs: 2_000 },
        { platform: 'youzan' as const, ...yz.clientConfig(), timeoutMs: 2_000 },
      ],
      policy: { defaultCallsPerSecond: 100, idleCheckMs: 100, backoff: { baseMs: 50, capMs: 200 } },
    };
    let agent = new SyncAgent(data);
    cleanups.push(() => agent.stop());
    agent.start();
    await vi.waitFor(inStep, { timeout: 20_000, interval: 50 });

    const first = [move(-1), move(-2), move(-3)];
    await vi.waitFor(inStep, { timeout: 20_000, interval: 50 });
    expect((await agent.status()).map((s) => [s.platform, s.backlog])).toEqual([
      ['doudian', 0],
      ['youzan', 0],
    ]);

    // The worker dies with moves waiting (its answers may be lost); a new one carries on from SQLite.
    dd.setScenario({ op: 'syncStock', fault: 'timeout', delayMs: 5_000 });
    const later = [move(-4), move(-1)];
    await vi.waitFor(() => expect(dd.requests().some((r) => r.fault === 'timeout')).toBe(true), { timeout: 20_000, interval: 20 });
    await agent.kill();
    await expect(agent.status()).rejects.toMatchObject({ code: 'SYNC_OFF' });
    agent = new SyncAgent(data);
    agent.start();
    await vi.waitFor(inStep, { timeout: 20_000, interval: 50 });
    for (const id of [...first, ...later]) expect(dd.applied.get(id)?.applied, id).toBe(1);
    expect(await agent.deadLetters()).toEqual([]);
  });
});
