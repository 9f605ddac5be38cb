// A till on a temp file, both shop fakes, and a sync engine on its own connection, all on one
// simulated clock: stock moves are written through the ledger as sales and returns write them.
import { moveStock } from '../../../electron/till/ledger';
import { DoudianConnector } from '../../../electron/sync/doudian/connector';
import { YouzanConnector } from '../../../electron/sync/youzan/connector';
import { openSyncDb } from '../../../electron/sync/db';
import { SyncEngine, type SyncPolicy } from '../../../electron/sync/engine';
import { linkSku } from '../../../electron/sync/mapping';
import { sellable } from '../../../electron/sync/relay';
import { DoudianFake } from '../../fakes/doudian';
import { YouzanFake } from '../../fakes/youzan';
import { tempTill, type TempTill } from '../../support/temp-till';

export interface MappedSku {
  skuId: string;
  doudian: { productId: string; skuId: string };
  youzan: { itemId: string; skuId: string };
}

export interface SyncRig {
  t: TempTill;
  clock: { now: number };
  doudian: DoudianFake;
  youzan: YouzanFake;
  /** The current engine (a new one after each restartEngine). */
  readonly engine: SyncEngine;
  /**
   * A worker restart as a crash: the engine's connection is closed with no clean stop (its lease is
   * kept, nothing more it writes lands), `inFlight` (a round started before the crash) is left to fail,
   * and a new engine starts on a new connection with new connectors (fresh tokens) as a new thread would.
   */
  restartEngine(inFlight?: Promise<unknown>): Promise<{ cutShort: boolean }>;
  skus: MappedSku[];
  unmappedSkuId: string;
  /** A stock move through the ledger (pieces; negative = sold). */
  move(skuId: string, pieces: number): string;
  ledgerPieces(skuId: string): number;
  /** Ticks (moving the clock to each next wake-up) until nothing is pending or `maxRounds` pass. */
  drain(maxRounds?: number): Promise<number>;
  pending(): number;
  close(): Promise<void>;
}

export async function syncRig(opts: { seed?: number; policy?: Partial<SyncPolicy>; timeoutMs?: number; skuCount?: number } = {}): Promise<SyncRig> {
  const clock = { now: Date.UTC(2026, 10, 30, 2, 0, 0) };
  const now = () => clock.now;
  const t = tempTill({ now });
  const doudian = await DoudianFake.start({ now });
  const youzan = await YouzanFake.start({ now });
  const timeoutMs = opts.timeoutMs ?? 2_000;
  let sync = openSyncDb(t.till.dbFile);
  let restarts = 0;
  const newEngine = () =>
    new SyncEngine({
      db: sync.db,
      holder: 'till-1', // one holder per till process: a restarted worker takes its own lease back at once
      now,
      seed: (opts.seed ?? 1) + restarts * 7919,
      connectors: [new DoudianConnector({ ...doudian.clientConfig(), timeoutMs, now }), new YouzanConnector({ ...youzan.clientConfig(), timeoutMs, now })],
      policy: { defaultCallsPerSecond: 50, pollEveryMs: 3_600_000, ...opts.policy },
    });
  let engine = newEngine();
  const rows = t.till.sqlite.prepare(`SELECT s.id FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 0 AND s.active = 1 ORDER BY s.code LIMIT ?`).all((opts.skuCount ?? 3) + 1) as { id: string }[];
  const skus: MappedSku[] = rows.slice(1).map((r, i) => ({
    skuId: r.id,
    doudian: { productId: `35890000000000000${10 + i}`, skuId: `17890000000000000${10 + i}` },
    youzan: { itemId: String(100_001 + i), skuId: String(200_001 + i) },
  }));
  const rig: SyncRig = {
    t,
    clock,
    doudian,
    youzan,
    get engine() {
      return engine;
    },
    async restartEngine(inFlight) {
      sync.close(); // the thread is gone: whatever the round does next fails
      // cutShort: the round failed after the crash (it still had writes to make), as a killed thread's would.
      const cutShort = inFlight ? await inFlight.then(() => false, () => true) : false;
      restarts++;
      sync = openSyncDb(t.till.dbFile);
      engine = newEngine();
      return { cutShort };
    },
    skus,
    unmappedSkuId: rows[0].id,
    move(skuId, pieces) {
      return t.till.tx(
        () => moveStock(t.till.db, { skuId, qtyDelta: pieces * 1000, reason: pieces < 0 ? 'sale' : 'return', refId: null, userId: null, businessDay: t.till.businessDay(), at: clock.now })!,
      );
    },
    ledgerPieces(skuId) {
      const r = t.till.sqlite.prepare(`SELECT stock_qty FROM skus WHERE id = ?`).get(skuId) as { stock_qty: number };
      return sellable(r.stock_qty);
    },
    pending() {
      const fan = t.till.sqlite.prepare(`SELECT (SELECT coalesce(max(rowid), 0) FROM outbox) - coalesce((SELECT value FROM sync_cursors WHERE name = 'relay.outbox_seq'), 0) AS n`).get() as { n: number };
      const d = t.till.sqlite.prepare(`SELECT count(*) AS n FROM sync_deliveries WHERE state = 'pending'`).get() as { n: number };
      return fan.n + d.n;
    },
    async drain(maxRounds = 2_000) {
      for (let round = 1; round <= maxRounds; round++) {
        const r = await engine.tick();
        if (rig.pending() === 0) return round;
        clock.now = Math.max(clock.now + 1, r.nextWakeAt);
      }
      throw new Error(`not drained after ${maxRounds} rounds: ${rig.pending()} pending`);
    },
    async close() {
      await engine.stop();
      sync.close();
      await doudian.close();
      await youzan.close();
      t.cleanup();
    },
  };
  // Start from plenty of stock so random sales never take the ledger below zero.
  for (const s of skus) {
    const have = rig.ledgerPieces(s.skuId);
    if (have < 1000) rig.move(s.skuId, 1000 - have);
    doudian.setStock(s.doudian.productId, s.doudian.skuId, 0);
    youzan.setStock(s.youzan.itemId, s.youzan.skuId, 0);
    for (const platform of ['doudian', 'youzan'] as const) {
      const ref = platform === 'doudian' ? { itemId: s.doudian.productId, platformSkuId: s.doudian.skuId } : { itemId: s.youzan.itemId, platformSkuId: s.youzan.skuId };
      linkSku(sync.db, { skuId: s.skuId, platform, matchedBy: 'manual', ...ref }, clock.now);
    }
  }
  return rig;
}

/** Each fake's stock for every mapped SKU beside the ledger's sellable figure. */
export function stockTable(rig: SyncRig): { skuId: string; ledger: number; doudian: number | undefined; youzan: number | undefined }[] {
  return rig.skus.map((s) => ({
    skuId: s.skuId,
    ledger: rig.ledgerPieces(s.skuId),
    doudian: rig.doudian.getStock(s.doudian.productId, s.doudian.skuId),
    youzan: rig.youzan.getStock(s.youzan.itemId, s.youzan.skuId),
  }));
}
