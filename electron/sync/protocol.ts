// Messages between the main thread (./agent.ts) and the sync worker (./worker.ts).
import type { PlatformId, PlatformToken } from './connector';
import type { ConnectorSettings } from './connectors';
import type { SyncPolicy } from './engine';

export interface SyncWorkerData {
  dbFile: string;
  /** better-sqlite3's native file under Electron (db.ts reads TILL_SQLITE_BINDING). */
  sqliteBinding?: string;
  holder: string;
  connectors: ConnectorSettings[];
  policy?: Partial<SyncPolicy>;
  seed?: number;
}

export type SyncRequest = { id: number } & (
  | { type: 'status' }
  | { type: 'deadLetters' }
  | { type: 'retry'; deadLetterId: string; by: string | null }
  | { type: 'dismiss'; deadLetterId: string; by: string | null }
  /** One round at once; with pollOrders every platform's orders are pulled too ("sync now"). The timers go on as before. */
  | { type: 'syncNow'; pollOrders?: boolean }
  | { type: 'reconcile'; platform?: PlatformId }
  | { type: 'stop' }
);

export type SyncReply =
  | { id: 0; type: 'ready' }
  /** A connector got a new access token: the main thread seals and saves it for the next start. */
  | { id: 0; type: 'token'; platform: PlatformId; token: PlatformToken }
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'error'; error: { code: string; message: string } };
