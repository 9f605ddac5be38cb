// A day without network on a simulated clock: the till keeps selling, the engine rests each platform
// with backoff instead of hammering it and dead-letters nothing; when the network returns the
// backlog drains and both shops equal the ledger.
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../electron/sync/backoff';
import { stockTable, syncRig, type SyncRig } from './harness';

let rig: SyncRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('24 hours offline', () => {
  it('sales go on, calls stay few, nothing is given up, and the backlog drains when the network returns', async () => {
    const rnd = seededRandom(24);
    // Idle checks and lease renewals every 20 min keep the simulated day to a few hundred rounds.
    rig = await syncRig({ policy: { backoff: { baseMs: 2_000, capMs: 30 * 60_000 }, maxAttempts: 5, idleCheckMs: 20 * 60_000, leaseMs: 3 * 3600_000 } });
    await rig.drain();
    const before = { dd: rig.doudian.requests().length, yz: rig.youzan.requests().length };
    // Every call's connection is cut before anything is applied: what a dead network looks like.
    rig.doudian.setScenario({ op: 'any', fault: 'drop', apply: false, times: 0 });
    rig.youzan.setScenario({ op: 'any', fault: 'drop', apply: false, times: 0 });
    const start = rig.clock.now;
    const end = start + 24 * 3600_000;
    let sales = 0;
    for (let saleAt = start + 20 * 60_000; saleAt < end; saleAt += 20 * 60_000) {
      rig.clock.now = saleAt;
      rig.move(rig.skus[Math.floor(rnd() * rig.skus.length)].skuId, -1);
      sales++;
      // Rounds until the next sale, each when the engine asked to be woken.
      for (;;) {
        const r = await rig.engine.tick();
        if (r.nextWakeAt >= saleAt + 20 * 60_000) break;
        rig.clock.now = Math.max(rig.clock.now + 1, r.nextWakeAt);
      }
    }
    const offlineCalls = { dd: rig.doudian.requests().length - before.dd, yz: rig.youzan.requests().length - before.yz };
    expect(sales).toBe(71);
    // Resting the platform up to 30 min at a time: about 2–4 calls an hour, not one per sale per round.
    expect(offlineCalls.dd).toBeGreaterThan(24);
    expect(offlineCalls.dd).toBeLessThan(120);
    expect(offlineCalls.yz).toBeLessThan(120);
    expect(rig.engine.deadLetters()).toEqual([]);
    expect(rig.engine.status().map((s) => [s.platform, s.backlog, s.lastError?.code])).toEqual([
      ['doudian', expect.any(Number), 'NETWORK'],
      ['youzan', expect.any(Number), 'NETWORK'],
    ]);

    rig.doudian.setScenario([]);
    rig.youzan.setScenario([]);
    rig.clock.now = end;
    await rig.drain();
    for (const row of stockTable(rig)) expect(row).toEqual({ skuId: row.skuId, ledger: row.ledger, doudian: row.ledger, youzan: row.ledger });
    expect(rig.engine.deadLetters()).toEqual([]);
    expect(rig.t.till.sqlite.prepare(`SELECT count(*) AS n FROM outbox WHERE topic = 'stock.changed' AND sent_at IS NULL`).get()).toEqual({ n: 0 });
  });
});
