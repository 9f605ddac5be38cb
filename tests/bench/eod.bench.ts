// End of day: z_report_day_ms — the Z report (electron/till/day-report.ts, exactly what 日结 computes
// and keeps) of a business day of 20,000 sales (≈ 60,000 lines, split tenders, 2 % returns, voids
// in the audit log), on a till that also holds the two days before it. The rows are written through
// SQL, so the summary triggers (migrations 0009, 0011) keep the day's totals as the sales commit, as
// they do at the till; their cost per sale shows in sale_commit_p95_ms (checkout.bench.ts), not here.
// (Recounting the day's rows instead took ≈ 490 ms here: the reason for the summaries.)
// Median of 30 runs after warm-up; p95 in the note. Goal ≤ 50 ms.
//   npm run bench -- eod
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayReport } from '../../electron/till/day-report';
import { Till } from '../../electron/till/till';
import { newId } from '../../shared/ids';
import { percentile, round, sample, type BenchResult } from './lib';

const SALES_PER_DAY = 20_000;
const DAYS = ['2026-11-28', '2026-11-29', '2026-11-30'];

/** A day of sales written with bare prepared statements in one transaction (the bench's setup, not its subject). */
function fillDay(till: Till, day: string, dayIndex: number): void {
  const db = till.sqlite;
  const skus = db.prepare(`SELECT id, name, price_fen AS price FROM skus WHERE price_fen > 0 ORDER BY id`).all() as { id: string; name: string; price: number }[];
  const users = (db.prepare(`SELECT id FROM users`).all() as { id: string }[]).map((u) => u.id);
  const insSale = db.prepare(
    `INSERT INTO sales (id, receipt_no, till_id, kind, status, original_sale_id, business_day, shift_id, user_id, gross_fen, discount_fen,
       rounding_fen, total_fen, paid_fen, change_fen, item_count, created_at) VALUES (?, ?, 'T01', ?, 'completed', ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLine = db.prepare(
    `INSERT INTO sale_lines (id, sale_id, line_no, sku_id, name, qty, unit_price_fen, original_unit_price_fen, gross_fen, discount_fen, net_fen,
       payable_fen, line_discount_fen, promo_discount_fen, order_discount_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  const insPay = db.prepare(`INSERT INTO payments (id, sale_id, method, amount_fen, status, created_at) VALUES (?, ?, ?, ?, 'approved', ?)`);
  const insAudit = db.prepare(`INSERT INTO audit_log (at, user_id, action, details, prev_hash, hash) VALUES (?, ?, 'cart.void', '{"totalFen":300}', '', '')`);
  const [y, m, d] = day.split('-').map(Number);
  const t0 = new Date(y, m - 1, d, 8).getTime();
  let seed = 12345 + dayIndex;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  db.transaction(() => {
    for (let i = 0; i < SALES_PER_DAY; i++) {
      const id = newId();
      const at = t0 + i * 2_000;
      const user = users[i % users.length];
      const lines = 1 + rnd(5);
      let gross = 0;
      let disc = 0;
      const rows: [string, string, number, number, number][] = [];
      for (let l = 0; l < lines; l++) {
        const sku = skus[rnd(skus.length)];
        const qty = (1 + rnd(3)) * 1000;
        const g = (sku.price * qty) / 1000;
        const ld = rnd(10) === 0 ? Math.floor(g / 10) : 0;
        gross += g;
        disc += ld;
        rows.push([sku.id, sku.name, qty, sku.price, ld]);
      }
      const total = gross - disc;
      const isReturn = rnd(50) === 0;
      const sign = isReturn ? -1 : 1;
      const paid = isReturn ? total : Math.ceil(total / 1000) * 1000;
      insSale.run(id, `T01-${day.replaceAll('-', '')}-${i}`, isReturn ? 'return' : 'sale', null, day, user, sign * gross, sign * disc, 0, sign * total,
        sign * paid, isReturn ? 0 : paid - total, lines, at);
      rows.forEach(([sku, name, qty, price, ld], n) => {
        const g = (price * qty) / 1000;
        insLine.run(newId(), id, n + 1, sku, name, sign * qty, price, price, sign * g, sign * ld, sign * (g - ld), sign * (g - ld), ld);
      });
      if (rnd(3) === 0 && !isReturn) {
        const card = Math.floor(total / 2);
        insPay.run(newId(), id, 'card_terminal', card, at);
        insPay.run(newId(), id, 'cash', paid - card, at);
      } else insPay.run(newId(), id, isReturn ? 'cash' : rnd(2) ? 'cash' : 'card_terminal', sign * paid, at);
      if (i % 500 === 0) insAudit.run(at, user);
    }
  })();
}

export async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'till-bench-eod-'));
  const day = DAYS[DAYS.length - 1];
  const till = new Till({ dataDir, seedDemo: true, now: () => new Date(2026, 10, 30, 23).getTime() });
  try {
    DAYS.forEach((d, i) => fillDay(till, d, i));
    till.sqlite.pragma('optimize');
    const check = dayReport(till, day);
    if (check.sales.count + check.returns.count !== SALES_PER_DAY) throw new Error(`bench day has ${check.sales.count + check.returns.count} sales`);
    const ms = await sample(30, () => dayReport(till, day), 5);
    return [
      {
        name: 'z_report_day_ms',
        value: round(percentile(ms, 50), 1),
        unit: 'ms',
        note: `median of 30; p95 ${round(percentile(ms, 95), 1)} ms; ${SALES_PER_DAY} sales, ${(till.sqlite.prepare('SELECT count(*) AS n FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.business_day = ?').get(day) as { n: number }).n} lines that day; goal ≤ 50`,
      },
    ];
  } finally {
    till.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
