// The reports worker thread: reports, the dashboard, the journal and exports read the till's database
// here, on read-only connections of their own (WAL lets them read beside the till's writer), so a
// year-long query or a million-row export never stalls a scan on the main thread. Messages in and
// out are described in ./protocol.ts; cancel is a flag in shared memory the main thread sets, read
// between the steps of a job (a sync query cannot be interrupted, an export is checked every 5,000
// rows). A backup's check (copy, open, integrity_check) runs here too: it can take a minute on a
// big file and must not stall the till.
import { parentPort, workerData } from 'node:worker_threads';
import { TillError } from '../../../shared/errors';
import { checkCopyAsync } from '../backup';
import { openReader } from '../db';
import { buildDashboard } from './dashboard';
import { runExport } from './export';
import { journalPage, journalSale } from './journal';
import type { WorkerData, WorkerReply, WorkerRequest } from './protocol';
import { runReport, type JobContext } from './queries';

const data = workerData as WorkerData;
if (data.sqliteBinding) process.env.TILL_SQLITE_BINDING = data.sqliteBinding; // this thread's copy of env
const db = openReader(data.dbFile);
const port = parentPort!;

function post(msg: WorkerReply): void {
  port.postMessage(msg);
}

function contextOf(req: WorkerRequest): JobContext {
  const flag = new Int32Array(req.cancel);
  let last = 0;
  return {
    cancelled: () => Atomics.load(flag, 0) === 1,
    progress(done, total) {
      const now = Date.now();
      if (done !== total && done !== 0 && now - last < 100) return; // at most ~10 a second
      last = now;
      post({ id: req.id, type: 'progress', done, total });
    },
  };
}

async function handle(req: WorkerRequest): Promise<unknown> {
  const ctx = contextOf(req);
  switch (req.type) {
    case 'report':
      return runReport(db, req.spec, ctx);
    case 'dashboard':
      return buildDashboard(db, req.day, req.nowMs, req.isToday);
    case 'journalPage':
      return journalPage(db, req.query);
    case 'journalSale':
      return journalSale(db, req.saleId);
    case 'export':
      return runExport(() => openReader(data.dbFile), req.spec, ctx);
    case 'backupCheck': {
      const newer = db.prepare('SELECT count(*) AS n FROM sales WHERE created_at > ?');
      const live = req.tillId ? { tillId: req.tillId, newerSales: (t: number) => (newer.get(t) as { n: number }).n } : undefined;
      return (await checkCopyAsync(req.backup, req.dir, ctx, live)).check;
    }
  }
}

port.on('message', (req: WorkerRequest) => {
  handle(req).then(
    (result) => post({ id: req.id, type: 'done', result }),
    (e: unknown) => {
      // A TillError crosses as it is (CANCELLED, UNKNOWN_SALE …); anything else is a bug whose stack
      // the main side logs, never shows.
      post({
        id: req.id,
        type: 'error',
        error: e instanceof TillError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: e instanceof Error ? (e.stack ?? e.message) : String(e) },
      });
    },
  );
});
post({ id: 0, type: 'ready' });
