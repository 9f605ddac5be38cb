// The till's SQLite file: pragmas, migrations, demo seed, and refusing a database from a newer app.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTillDb } from '../../../electron/till/db';
import { tempTill, type TempTill } from '../../support/temp-till';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('till database', () => {
  it('opens with WAL, synchronous=FULL and foreign keys on', () => {
    t = tempTill();
    const { sqlite } = t.till;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('applies every committed migration and seeds the demo shop once', () => {
    t = tempTill();
    const journal = JSON.parse(readFileSync('migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] };
    const applied = t.till.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
    expect(applied.n).toBe(journal.entries.length);
    const count = (table: string) => (t!.till.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const skus = count('skus');
    expect(skus).toBeGreaterThanOrEqual(280);
    expect(count('users')).toBe(4); // 小王 收银员, 李店长, 张老板, 小刘 店员
    // Every SKU's cached stock equals its ledger.
    const drift = t.till.sqlite
      .prepare(`SELECT count(*) AS n FROM skus s WHERE s.stock_qty != (SELECT coalesce(sum(qty_delta), 0) FROM stock_moves m WHERE m.sku_id = s.id)`)
      .get() as { n: number };
    expect(drift.n).toBe(0);
    // Reopening does not seed again.
    t = t.reopen();
    expect(count('skus')).toBe(skus);
    expect(count('users')).toBe(4); // 小王 收银员, 李店长, 张老板, 小刘 店员
  });

  it('the demo catalog has valid EAN-13 barcodes, Chinese names, pinyin keys and weighed items', () => {
    t = tempTill();
    const rows = t.till.sqlite.prepare('SELECT code FROM barcodes').all() as { code: string }[];
    for (const { code } of rows) {
      expect(code).toMatch(/^\d{13}$/);
      const digits = code.split('').map(Number);
      const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 ? 3 : 1), 0);
      expect((10 - (sum % 10)) % 10).toBe(digits[12]);
    }
    const coke = t.till.sqlite.prepare(`SELECT initials, price_fen FROM skus WHERE name = '可口可乐 500ml'`).get() as { initials: string; price_fen: number };
    expect(coke).toEqual({ initials: 'kkkl', price_fen: 350 });
    const weighed = t.till.sqlite
      .prepare(`SELECT count(*) AS n FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 1 AND s.plu IS NOT NULL`)
      .get() as { n: number };
    expect(weighed.n).toBeGreaterThanOrEqual(10);
  });

  it('refuses a database written by a newer version and leaves the file unchanged', () => {
    t = tempTill();
    const file = t.till.dbFile;
    // A newer app added a migration we do not know.
    t.till.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('from-the-future', Date.now() + 10 * 365 * 86_400_000);
    t.till.close();
    const before = sha(file);
    expect(() => openTillDb(file)).toThrow(/更新版本/);
    try {
      openTillDb(file);
    } catch (e) {
      expect((e as { code: string }).code).toBe('DB_TOO_NEW');
    }
    expect(sha(file)).toBe(before);
    // The file is still readable by the newer app: nothing was rolled back or dropped.
    const ro = new Database(file, { readonly: true });
    expect((ro.prepare(`SELECT count(*) AS n FROM __drizzle_migrations WHERE hash = 'from-the-future'`).get() as { n: number }).n).toBe(1);
    ro.close();
  });

  it('falls back to the default for a corrupt setting and keeps working', async () => {
    t = tempTill();
    t.till.sqlite.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('shop.name', '{not json', 0)`).run();
    expect(t.till.settings.get('shop.name')).toBe('小店便利');
    const info = await t.call('app.info');
    expect(info.shopName).toBe('小店便利');
  });

  it('keeps data in the folder it was given', () => {
    t = tempTill();
    expect(t.till.dbFile).toBe(join(t.dataDir, 'till.db'));
  });
});

describe('README', () => {
  it('names demo barcodes that scan to the products it says', async () => {
    const readme = (await import('node:fs')).readFileSync('README.md', 'utf8');
    const pairs = [...readme.matchAll(/`(69\d{11})` \(([^)]+)\)/g)].map((m) => [m[1], m[2]] as const);
    expect(pairs.length).toBeGreaterThanOrEqual(3);
    t = tempTill();
    await t.loginAs('cashier');
    for (const [code, name] of pairs) expect((await t.call('catalog.lookup', { code })).sku.name).toBe(name);
  });
});
