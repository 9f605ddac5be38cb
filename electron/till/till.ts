// The till: one open database, its settings, the session and the event bus. Everything the handlers
// need hangs off this object; it is plain Node, so tests, the browser host and Electron share it.
import type Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { TillEventName, TillEvents } from '../../shared/api/events';
import { Auth } from './auth';
import { businessDay } from './business-day';
import { openTillDb, type OpenedDb } from './db';
import { ensureSkuSearch } from './catalog';
import { seedDemoShop } from './seed';
import { Settings } from './settings';

export interface TillOptions {
  dataDir: string;
  /** Seed the demo shop when the database is new (npm start, e2e). */
  seedDemo?: boolean;
  now?: () => number;
  transport?: 'electron' | 'browser';
}

export class TillBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<E extends TillEventName>(name: E, payload: TillEvents[E]): void {
    this.emitter.emit('event', name, payload);
  }
  /** Every event, for a transport to forward. Returns the unsubscribe function. */
  onAny(fn: (name: TillEventName, payload: unknown) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
}

export class Till {
  readonly sqlite: OpenedDb['sqlite'];
  readonly db: OpenedDb['db'];
  readonly settings: Settings;
  readonly auth: Auth;
  readonly events = new TillBus();
  readonly now: () => number;
  readonly dbFile: string;
  private readonly closers: (() => void)[] = [];
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly options: TillOptions) {
    this.now = options.now ?? Date.now;
    this.dbFile = join(options.dataDir, 'till.db');
    const opened = openTillDb(this.dbFile);
    this.sqlite = opened.sqlite;
    this.db = opened.db;
    this.settings = new Settings(this.db);
    if (options.seedDemo) seedDemoShop(this.db, this.now());
    ensureSkuSearch(this.sqlite);
    this.auth = new Auth(this.sqlite, this.settings, this.now, (s) => this.events.emit('session', s));
  }

  get tillId(): string {
    return this.settings.get('till.id');
  }

  businessDay(at = this.now()): string {
    return businessDay(at, this.settings.get('day.cutoffHour'));
  }

  /** Runs fn in one IMMEDIATE transaction (the writer lock is taken up front, no upgrade deadlocks). */
  tx<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  /**
   * A raw prepared statement, compiled once per connection. Only for what drizzle cannot say (the FTS
   * index) or where the bench shows its cost on a hot path; each use says why. Else use `db`.
   */
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    for (const fn of this.closers.splice(0).reverse()) fn();
    this.sqlite.close();
  }
}
