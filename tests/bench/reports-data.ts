// A year of a busy convenience store for the reports benches: 1,000,000 sale lines (about 200,000
// sales of 1–9 lines, 1 % of them returned), 5,000 SKUs with costs, 2,000 members, cash and card,
// written with the summary triggers on (as the till writes them). Built once and kept in the temp
// folder under the name of the newest migration, so later runs start at once; a new migration makes
// a new file.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Till } from '../../electron/till/till';
import { seededRandom } from '../../electron/sync/backoff';
import { newId } from '../../shared/ids';
import { repoRoot } from '../support/till-host';

export const LINES = 1_000_000;
export const DAYS = 365;
const SKUS = 5_000;
const MEMBERS = 2_000;

function newestMigration(): string {
  const j = JSON.parse(readFileSync(join(repoRoot, 'migrations', 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return j.entries.at(-1)!.tag;
}

const DAY_MS = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * The year's data folder (till.db inside), built on first use. `lastDay` is the business day the
 * year ends on (the till's today when it was built); reports over [firstDay, lastDay].
 */
export function benchYear(log: (s: string) => void = () => {}): { dataDir: string; firstDay: string; lastDay: string } {
  const dir = join(tmpdir(), `till-bench-reports-v1-${newestMigration()}`);
  const meta = join(dir, 'year.json');
  if (existsSync(meta)) return { dataDir: dir, ...(JSON.parse(readFileSync(meta, 'utf8')) as { firstDay: string; lastDay: string }) };
  rmSync(dir, { recursive: true, force: true });
  const building = mkdtempSync(join(tmpdir(), 'till-bench-build-'));
  const started = performance.now();
  const till = new Till({ dataDir: building, seedDemo: true });
  const lastDay = till.businessDay();
  const firstDay = dayOf(Date.parse(lastDay) - (DAYS - 1) * DAY_MS);
  const db = till.sqlite;
  db.pragma('synchronous = OFF'); // building a fixture, not selling
  const r = seededRandom(20261130); // deterministic: every build is the same year
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

  // Catalog to 5,000 SKUs (the demo's ~300 plus bench items in the demo's categories), all with a cost.
  const unit = (db.prepare(`SELECT id FROM units WHERE weighed = 0 LIMIT 1`).get() as { id: string }).id;
  const cats = (db.prepare('SELECT id FROM categories').all() as { id: string }[]).map((c) => c.id);
  const have = (db.prepare('SELECT count(*) AS n FROM skus').get() as { n: number }).n;
  const insProduct = db.prepare('INSERT INTO products (id, name, category_id, unit_id, created_at) VALUES (?, ?, ?, ?, 0)');
  const insSku = db.prepare(
    `INSERT INTO skus (id, product_id, code, name, spec, unit_id, price_fen, cost_fen, initials, pinyin, stock_qty, updated_at)
     VALUES (?, ?, ?, ?, '', ?, ?, ?, 'bj', 'benchitem', ?, 0)`,
  );
  db.transaction(() => {
    for (let i = have; i < SKUS; i++) {
      const p = newId();
      const price = 100 + Math.floor(r() * 4900);
      insProduct.run(p, `商品${i}`, pick(cats), unit);
      insSku.run(newId(), p, `BJ${i}`, `测试商品 ${i}`, unit, price, Math.round(price * 0.7), Math.floor(r() * 200) * 1000);
    }
    const insMember = db.prepare(`INSERT INTO members (id, phone, name, created_at) VALUES (?, ?, ?, 0)`);
    for (let i = 0; i < MEMBERS; i++) insMember.run(newId(), `139${String(i).padStart(8, '0')}`, `会员${i}`);
  })();
  const skus = db.prepare('SELECT id, name, price_fen AS price FROM skus WHERE active = 1').all() as { id: string; name: string; price: number }[];
  const members = (db.prepare('SELECT id FROM members').all() as { id: string }[]).map((m) => m.id);
  const users = (db.prepare('SELECT id FROM users').all() as { id: string }[]).map((u) => u.id);
  // Best sellers sell far more than the tail: a SKU index skewed towards the front.
  const skewed = () => skus[Math.floor(skus.length * r() ** 3)];

  const insSale = db.prepare(
    `INSERT INTO sales (id, receipt_no, till_id, kind, status, original_sale_id, business_day, user_id, member_id, gross_fen, discount_fen,
       rounding_fen, total_fen, paid_fen, change_fen, item_count, created_at)
     VALUES (?, ?, 'T01', ?, 'completed', ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?)`,
  );
  const insLine = db.prepare(
    `INSERT INTO sale_lines (id, sale_id, line_no, sku_id, name, qty, unit_price_fen, original_unit_price_fen, gross_fen, discount_fen, net_fen,
       payable_fen, original_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const insPay = db.prepare(`INSERT INTO payments (id, sale_id, method, amount_fen, reference, status, created_at, original_payment_id) VALUES (?, ?, ?, ?, ?, 'approved', ?, ?)`);

  let lines = 0;
  let seq = 0;
  for (let d = 0; d < DAYS; d++) {
    const day = dayOf(Date.parse(firstDay) + d * DAY_MS);
    const [y, m, dd] = day.split('-').map(Number);
    const open = new Date(y, m - 1, dd, 8).getTime();
    const dayTarget = Math.round(((d + 1) * LINES) / DAYS) - Math.round((d * LINES) / DAYS);
    let dayLines = 0;
    const times: number[] = [];
    db.transaction(() => {
      while (dayLines < dayTarget) {
        const n = Math.min(1 + Math.floor(r() * 9), dayTarget - dayLines);
        const saleId = newId();
        const at = open + Math.floor(r() * 14 * 3_600_000);
        times.push(at);
        const picked = Array.from({ length: n }, () => ({ sku: skewed(), qty: (1 + Math.floor(r() * 3)) * 1000 }));
        const total = picked.reduce((a, p) => a + (p.sku.price * p.qty) / 1000, 0);
        const items = picked.reduce((a, p) => a + p.qty / 1000, 0);
        const cash = r() < 0.6;
        const paid = cash ? Math.ceil(total / 1000) * 1000 : total;
        const member = r() < 0.2 ? pick(members) : null;
        const returned = r() < 0.01 && n > 1; // one line of it comes back; counted inside the day's lines
        insSale.run(saleId, `B-${day}-${++seq}`, 'sale', null, day, pick(users), member, total, total, paid, paid - total, items, at);
        const lineIds: string[] = [];
        picked.forEach((p, i) => {
          const id = newId();
          lineIds.push(id);
          const amount = (p.sku.price * p.qty) / 1000;
          insLine.run(id, saleId, i + 1, p.sku.id, p.sku.name, p.qty, p.sku.price, p.sku.price, amount, amount, amount, null);
        });
        const payId = newId();
        insPay.run(payId, saleId, cash ? 'cash' : 'card_terminal', paid, cash ? null : `C${seq}`, at, null);
        dayLines += n;
        if (returned && dayLines < dayTarget) {
          const p = picked[0];
          const amount = (p.sku.price * p.qty) / 1000;
          const retId = newId();
          insSale.run(retId, `B-${day}-${++seq}`, 'return', saleId, day, pick(users), member, -amount, -amount, -amount, 0, p.qty / 1000, at + 600_000);
          insLine.run(newId(), retId, 1, p.sku.id, p.sku.name, -p.qty, p.sku.price, p.sku.price, -amount, -amount, -amount, lineIds[0]);
          insPay.run(newId(), retId, cash ? 'cash' : 'card_terminal', -amount, cash ? null : `R${seq}`, at + 600_000, payId);
          dayLines += 1;
        }
      }
    })();
    lines += dayLines;
    if (d % 30 === 0) log(`reports bench data: day ${d + 1}/${DAYS}, ${lines} lines, ${Math.round((performance.now() - started) / 1000)} s`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  till.close();
  mkdirSync(dir, { recursive: true });
  renameSync(join(building, 'till.db'), join(dir, 'till.db'));
  rmSync(building, { recursive: true, force: true });
  const out = { firstDay, lastDay };
  writeFileSync(meta, JSON.stringify(out));
  log(`reports bench data: ${lines} lines in ${Math.round((performance.now() - started) / 1000)} s`);
  return { dataDir: dir, ...out };
}

/** A copy of the year's database in a fresh data folder (for a till that writes, e.g. the browser host). */
export function copyOfYear(): { dataDir: string; firstDay: string; lastDay: string } {
  const y = benchYear();
  const dataDir = mkdtempSync(join(tmpdir(), 'till-bench-year-'));
  copyFileSync(join(y.dataDir, 'till.db'), join(dataDir, 'till.db'));
  return { ...y, dataDir };
}

export function openYear(): Database.Database {
  return new Database(join(benchYear().dataDir, 'till.db'), { readonly: true });
}
