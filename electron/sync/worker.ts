// The sync worker thread: the engine on its own SQLite connection and real timers, so HTTP waits,
// JSON work and the relay's writes never run on the till's main thread. Messages: ./protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { buildConnector } from './connectors';
import { openSyncDb } from './db';
import { SyncEngine } from './engine';
import type { SyncReply, SyncRequest, SyncWorkerData } from './protocol';
import { scheduleRetention } from './retention';

const data = workerData as SyncWorkerData;
// The thread keeps the default CPU priority. A lower one (Linux nice) was tried: on a busy machine
// the starved thread then held SQLite's write lock for longer and sales waited on it (priority
// inversion; bench p95 ratio 1.8 in one run). Short write transactions are what keep sales fast.
if (data.sqliteBinding) process.env.TILL_SQLITE_BINDING = data.sqliteBinding; // this thread's copy of env
const conn = openSyncDb(data.dbFile);
const port = parentPort!;
const post = (m: SyncReply) => port.postMessage(m);
const connectors = data.connectors.map((c) => buildConnector({ ...c, onToken: (token) => post({ id: 0, type: 'token', platform: c.platform, token }) } as typeof c));
const engine = new SyncEngine({ db: conn.db, holder: data.holder, seed: data.seed, policy: data.policy, connectors });
// Old finished sync history is pruned a few minutes after start and then daily (./retention.ts).
const retention = scheduleRetention(conn.db);

async function handle(req: SyncRequest): Promise<unknown> {
  switch (req.type) {
    case 'status':
      return engine.status();
    case 'deadLetters':
      return engine.deadLetters();
    case 'retry':
      return engine.retryDeadLetter(req.deadLetterId, req.by);
    case 'dismiss':
      return engine.dismissDeadLetter(req.deadLetterId, req.by);
    case 'syncNow':
      return req.pollOrders ? engine.syncNow() : engine.tick();
    case 'reconcile':
      return engine.reconcile(req.platform);
    case 'stop':
      await retention.stop();
      await engine.stop();
      conn.close();
      return true;
  }
}

port.on('message', (req: SyncRequest) => {
  handle(req).then(
    (result) => {
      post({ id: req.id, type: 'done', result });
      if (req.type === 'stop') port.close();
    },
    (e: unknown) => post({ id: req.id, type: 'error', error: { code: 'SYNC_INTERNAL', message: e instanceof Error ? (e.stack ?? e.message) : String(e) } }),
  );
});
engine.start();
post({ id: 0, type: 'ready' });
