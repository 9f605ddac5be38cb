// The till: one open database, its settings, the session and the event bus. Everything the handlers
// need hangs off this object; it is plain Node, so tests, the browser host and Electron share it.
import type Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { TillEventName, TillEvents } from '../../shared/api/events';
import { Auth } from './auth';
import { businessDay, openDay } from './business-day';
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
  // The connection and what is built on it are replaced together by reopen() (a restore from a
  // backup); everything else keeps the same Till, so the event bus and its listeners stay.
  sqlite!: OpenedDb['sqlite'];
  db!: OpenedDb['db'];
  settings!: Settings;
  auth!: Auth;
  readonly events = new TillBus();
  readonly now: () => number;
  readonly dbFile: string;
  private readonly closers: (() => void)[] = [];
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly options: TillOptions) {
    this.now = options.now ?? Date.now;
    this.dbFile = join(options.dataDir, 'till.db');
    this.open(!!options.seedDemo);
  }

  private open(seedDemo: boolean): void {
    const opened = openTillDb(this.dbFile);
    this.sqlite = opened.sqlite;
    this.db = opened.db;
    this.statements.clear();
    this.settings = new Settings(this.db);
    if (seedDemo) seedDemoShop(this.db, this.now());
    ensureSkuSearch(this.sqlite);
    this.auth = new Auth(this.db, this.settings, this.now, (s) => this.events.emit('session', s));
  }

  /**
   * Closes the database file, runs `swap` on it while nothing holds it open, and opens the file
   * again (migrated like at start-up). The session ends: everyone logs in again. When the swapped
   * file cannot be opened, `undo` puts the old one back, it is opened again and the error is thrown.
   * The caller stops what holds the connection (the device manager) before, and restarts it after.
   */
  reopen(swap: () => void, undo: () => void): void {
    this.sqlite.close();
    try {
      swap();
      this.open(false);
    } catch (e) {
      try {
        if (this.sqlite.open) this.sqlite.close();
      } catch {
        // already closed
      }
      undo();
      this.open(false);
      throw e;
    } finally {
      this.events.emit('session', null);
    }
  }

  get tillId(): string {
    return this.settings.get('till.id');
  }

  /** The business day of a sale made now: the calendar's (see business-day.ts), or the day after the last closed. */
  businessDay(at = this.now()): string {
    const last = this.stmt('SELECT max(business_day) AS day FROM day_closes').get() as { day: string | null };
    return openDay(businessDay(at, this.settings.get('day.cutoffHour')), last.day);
  }

  /** The calendar business day (ignoring closes): a day later than this cannot be closed yet. */
  calendarDay(at = this.now()): string {
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
