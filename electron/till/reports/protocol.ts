// Messages between the main thread (./jobs.ts) and the reports worker (./worker.ts).
import type { ExportSpec } from './export';
import type { JournalQuery } from './journal';
import type { ReportSpec } from './queries';

export interface WorkerData {
  dbFile: string;
  /** better-sqlite3's native file under Electron (db.ts reads TILL_SQLITE_BINDING). */
  sqliteBinding?: string;
}

/** Every request carries its cancel flag: an Int32Array(1) over this buffer, 1 = cancel. */
export type WorkerRequest = { id: number; cancel: SharedArrayBuffer } & (
  | { type: 'report'; spec: ReportSpec }
  | { type: 'dashboard'; day: string; nowMs: number; isToday: boolean }
  | { type: 'journalPage'; query: JournalQuery }
  | { type: 'journalSale'; saleId: string }
  | { type: 'export'; spec: ExportSpec }
  /** Checks a backup on a copy in `dir` (electron/till/backup.ts); tillId: the live till's, to compare. */
  | { type: 'backupCheck'; backup: string; dir: string; tillId?: string }
);

export type WorkerReply =
  | { id: 0; type: 'ready' }
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'error'; error: { code: string; message: string } };

/** The request without the fields the job runner fills in. */
export type JobRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id' | 'cancel'> : never) : never;
