// The victim of sync-kill.test.ts: a till process (its own till on the shared file, the sync engine
// in-process on real time) making seeded counter sales and returns through the ledger and running sync
// rounds against the parent's fake shops, printing `STEP <n>` after each step and `DONE` after the
// last. The parent SIGKILLs it at random moments: mid-HTTP call, mid-transaction or between steps.
// Usage: node --import tsx sync-kill-child.ts <dataDir> <config JSON file> <seed> <steps>
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../../electron/sync/backoff';
import { DoudianConnector } from '../../../electron/sync/doudian/connector';
import { openSyncDb } from '../../../electron/sync/db';
import { SyncEngine } from '../../../electron/sync/engine';
import { YouzanConnector } from '../../../electron/sync/youzan/connector';
import { moveStock } from '../../../electron/till/ledger';
import { Till } from '../../../electron/till/till';

const [dataDir, configFile, seedArg, stepsArg] = process.argv.slice(2);
const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as { youzan: any; doudian: any; skuIds: string[] };
const rnd = seededRandom(Number(seedArg));
const till = new Till({ dataDir, seedDemo: false });
const sync = openSyncDb(till.dbFile);
const engine = new SyncEngine({
  db: sync.db,
  holder: `child-${process.pid}`, // a new process: it waits for a killed one's lease to lapse
  seed: Number(seedArg),
  connectors: [new DoudianConnector({ ...cfg.doudian, timeoutMs: 300 }), new YouzanConnector({ ...cfg.youzan, timeoutMs: 300 })],
  policy: { defaultCallsPerSecond: 100, leaseMs: 1_500, pollEveryMs: 500, pollBeforePushMs: 300, idleCheckMs: 50, backoff: { baseMs: 50, capMs: 300 }, rateLimitPauseMs: 100, maxAttempts: 60 },
});
for (let step = 1; step <= Number(stepsArg); step++) {
  const skuId = cfg.skuIds[Math.floor(rnd() * cfg.skuIds.length)];
  const pieces = rnd() < 0.7 ? -(1 + Math.floor(rnd() * 3)) : 1 + Math.floor(rnd() * 2);
  till.tx(() => moveStock(till.db, { skuId, qtyDelta: pieces * 1000, reason: pieces < 0 ? 'sale' : 'return', refId: null, userId: null, businessDay: till.businessDay(), at: Date.now() }));
  if (rnd() < 0.6) await engine.tick();
  console.log(`STEP ${step}`);
}
console.log('DONE');
await engine.stop();
sync.close();
till.close();
