// Writes the SQL of migrations/0009_report_triggers.sql (node scripts/report-triggers-sql.mjs > migrations/0009_report_triggers.sql).
// Each summary is described once; the backfill and the triggers are generated from the same
// expressions so they cannot add up differently. A shipped migration is never edited: a change to a
// summary is a new migration (drop and recreate the triggers, refill the tables).
const BP = '\n--> statement-breakpoint\n';
const neg = (e, sign) => (sign < 0 ? `-(${e})` : e);
const hourOf = (r) => `CAST(strftime('%H', ${r}.created_at / 1000, 'unixepoch', 'localtime') AS INTEGER)`;
const isSale = (r) => `${r}.kind = 'sale'`;
const isRet = (r) => `${r}.kind = 'return'`;
const when = (c, e) => `CASE WHEN ${c} THEN ${e} ELSE 0 END`;

// sale-level tables: [table, key columns, key exprs(r), measures {col: expr(r)}, row filter(r)]
const saleTables = [
  {
    table: 'rpt_hour', keys: ['business_day', 'hour'], keyExprs: (r) => [`${r}.business_day`, hourOf(r)],
    m: (r) => ({
      sale_count: `(${isSale(r)})`,
      sale_fen: when(isSale(r), `${r}.total_fen`),
      gross_fen: when(isSale(r), `${r}.gross_fen`),
      discount_fen: when(isSale(r), `${r}.discount_fen`),
      rounding_fen: when(isSale(r), `${r}.rounding_fen`),
      change_fen: when(isSale(r), `${r}.change_fen`),
      item_count: when(isSale(r), `${r}.item_count`),
      member_sale_count: `(${isSale(r)} AND ${r}.member_id IS NOT NULL)`,
      member_sale_fen: when(`${isSale(r)} AND ${r}.member_id IS NOT NULL`, `${r}.total_fen`),
      return_count: `(${isRet(r)})`,
      return_fen: when(isRet(r), `-${r}.total_fen`),
      return_items: when(isRet(r), `${r}.item_count`),
      cancel_count: `(${isSale(r)} AND ${r}.status = 'cancelled')`,
      cancel_fen: when(`${isSale(r)} AND ${r}.status = 'cancelled'`, `${r}.total_fen`),
      cancel_items: when(`${isSale(r)} AND ${r}.status = 'cancelled'`, `${r}.item_count`),
    }),
  },
  {
    table: 'rpt_cashier', keys: ['business_day', 'user_id'], keyExprs: (r) => [`${r}.business_day`, `${r}.user_id`],
    m: (r) => ({
      sale_count: `(${isSale(r)})`,
      sale_fen: when(isSale(r), `${r}.total_fen`),
      item_count: when(isSale(r), `${r}.item_count`),
      return_count: `(${isRet(r)})`,
      return_fen: when(isRet(r), `-${r}.total_fen`),
      cancel_count: `(${isSale(r)} AND ${r}.status = 'cancelled')`,
      cancel_fen: when(`${isSale(r)} AND ${r}.status = 'cancelled'`, `${r}.total_fen`),
    }),
  },
  {
    table: 'rpt_member', keys: ['business_day', 'member_id'], keyExprs: (r) => [`${r}.business_day`, `${r}.member_id`],
    filter: (r) => `${r}.member_id IS NOT NULL`,
    m: (r) => ({
      sale_count: `(${isSale(r)})`,
      sale_fen: when(isSale(r), `${r}.total_fen`),
      item_count: when(isSale(r), `${r}.item_count`),
      return_count: `(${isRet(r)})`,
      return_fen: when(isRet(r), `-${r}.total_fen`),
    }),
  },
];

// line-level: L line alias, S its sale, K its sku, P the sku's product
const lineM = (L, S, K) => ({
  line_count: '1',
  sold_qty: when(isSale(S), `${L}.qty`),
  sold_fen: when(isSale(S), `${L}.payable_fen`),
  gross_fen: when(isSale(S), `${L}.gross_fen`),
  discount_fen: when(isSale(S), `${L}.discount_fen`),
  returned_qty: when(isRet(S), `-${L}.qty`),
  returned_fen: when(isRet(S), `-${L}.payable_fen`),
  cost_fen: `CAST(round(${K}.cost_fen * ${L}.qty / 1000.0) AS INTEGER)`,
  costed_fen: when(`${K}.cost_fen > 0`, `${L}.payable_fen`),
});
const lineTables = [
  { table: 'rpt_category', keys: ['business_day', 'category_id'], keyExprs: (L, S, K, P) => [`${S}.business_day`, `COALESCE(${P}.category_id, '')`] },
  { table: 'rpt_sku_day', keys: ['business_day', 'sku_id'], keyExprs: (L, S) => [`${S}.business_day`, `${L}.sku_id`] },
  { table: 'rpt_sku_month', keys: ['month', 'sku_id'], keyExprs: (L, S) => [`substr(${S}.business_day, 1, 7)`, `${L}.sku_id`] },
];

const payM = (Y) => ({
  pay_count: `(${Y}.amount_fen >= 0)`,
  pay_fen: when(`${Y}.amount_fen >= 0`, `${Y}.amount_fen`),
  refund_count: `(${Y}.amount_fen < 0)`,
  refund_fen: when(`${Y}.amount_fen < 0`, `-${Y}.amount_fen`),
});

function upsertSet(keys, cols) {
  return `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET\n    ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(',\n    ')}`;
}
function saleUpsert(t, r, sign) {
  const m = t.m(r);
  const cols = Object.keys(m);
  const vals = [...t.keyExprs(r), ...cols.map((c) => neg(m[c], sign))];
  const ins = `INSERT INTO ${t.table} (${[...t.keys, ...cols].join(', ')})\n  SELECT ${vals.join(',\n    ')}\n  WHERE ${t.filter ? t.filter(r) : 'true'}\n  ${upsertSet(t.keys, cols)};`;
  return ins;
}
// lines of a sale (from a trigger on sales: all its lines; from a trigger on sale_lines: NEW/OLD)
function lineUpsert(t, { L, from, where, S, sign, group }) {
  const m = lineM(L, S, 'k');
  const cols = Object.keys(m);
  const keyE = t.keyExprs(L, S, 'k', 'p');
  const vals = [...keyE, ...cols.map((c) => neg(group ? `sum(${m[c]})` : m[c], sign))];
  return `INSERT INTO ${t.table} (${[...t.keys, ...cols].join(', ')})\n  SELECT ${vals.join(',\n    ')}\n  FROM ${from}\n    JOIN skus k ON k.id = ${L}.sku_id LEFT JOIN products p ON p.id = k.product_id\n  WHERE ${where}${group ? `\n  GROUP BY ${keyE.join(', ')}` : ''}\n  ${upsertSet(t.keys, cols)};`;
}
function payUpsert({ Y, from, where, sign, group }) {
  const m = payM(Y);
  const cols = Object.keys(m);
  const keyE = ['s.business_day', `${Y}.method`];
  const vals = [...keyE, ...cols.map((c) => neg(group ? `sum(${m[c]})` : m[c], sign))];
  return `INSERT INTO rpt_tender (business_day, method, ${cols.join(', ')})\n  SELECT ${vals.join(',\n    ')}\n  FROM ${from}\n  WHERE ${where}${group ? `\n  GROUP BY ${keyE.join(', ')}` : ''}\n  ${upsertSet(['business_day', 'method'], cols)};`;
}
function backfillSale(t) {
  const m = t.m('s');
  const cols = Object.keys(m);
  const keyE = t.keyExprs('s');
  return `INSERT INTO ${t.table} (${[...t.keys, ...cols].join(', ')})\nSELECT ${[...keyE, ...cols.map((c) => `sum(${m[c]})`)].join(',\n  ')}\nFROM sales s\nWHERE ${t.filter ? t.filter('s') : 'true'}\nGROUP BY ${keyE.join(', ')};`;
}
function backfillLines(t) {
  const m = lineM('l', 's', 'k');
  const cols = Object.keys(m);
  const keyE = t.keyExprs('l', 's', 'k', 'p');
  return `INSERT INTO ${t.table} (${[...t.keys, ...cols].join(', ')})\nSELECT ${[...keyE, ...cols.map((c) => `sum(${m[c]})`)].join(',\n  ')}\nFROM sale_lines l JOIN sales s ON s.id = l.sale_id JOIN skus k ON k.id = l.sku_id LEFT JOIN products p ON p.id = k.product_id\nGROUP BY ${keyE.join(', ')};`;
}
function backfillPay() {
  const m = payM('y');
  const cols = Object.keys(m);
  return `INSERT INTO rpt_tender (business_day, method, ${cols.join(', ')})\nSELECT s.business_day, y.method, ${cols.map((c) => `sum(${m[c]})`).join(',\n  ')}\nFROM payments y JOIN sales s ON s.id = y.sale_id\nWHERE y.status = 'approved'\nGROUP BY s.business_day, y.method;`;
}

const out = [];
out.push(`-- Report summaries (tables in 0008, electron/till/schema.ts): kept by the triggers below inside the
-- transaction that writes a sale, a return, a cancel or a payment, whichever module writes it. First
-- filled from the rows already there. Generated by scripts/report-triggers-sql.mjs from one description of each summary, so the backfill
-- and the triggers add up the same expressions; tests/integration/report-summaries.test.ts checks the
-- tables against a recount from the rows after sales, returns, cancels and a day moved by 0007.
-- Sales, lines and payments are never deleted (a correction is a new row), so there are no DELETE
-- triggers. A line's cost is the SKU's cost_fen when the line is written (the backfill: today's cost).`);
out[0] += '\n' + backfillSale(saleTables[0]);
for (const t of saleTables.slice(1)) out.push(backfillSale(t));
for (const t of lineTables) out.push(backfillLines(t));
out.push(backfillPay());

const saleUpdCols = 'business_day, status, kind, user_id, member_id, total_fen, gross_fen, discount_fen, rounding_fen, change_fen, item_count, created_at';
out.push(`CREATE TRIGGER rpt_sales_insert AFTER INSERT ON sales BEGIN\n  ${saleTables.map((t) => saleUpsert(t, 'NEW', 1)).join('\n  ')}\nEND;`);
out.push(`-- A cancel (status), or 0007 moving a sale to the day after a close: take out what the row added, add it again.
CREATE TRIGGER rpt_sales_update AFTER UPDATE OF ${saleUpdCols} ON sales BEGIN\n  ${saleTables.map((t) => saleUpsert(t, 'OLD', -1) + '\n  ' + saleUpsert(t, 'NEW', 1)).join('\n  ')}\nEND;`);
out.push(`-- The lines and payments already written follow their sale to its new day.
CREATE TRIGGER rpt_sales_move_day AFTER UPDATE OF business_day ON sales WHEN OLD.business_day IS NOT NEW.business_day BEGIN\n  ${[
  ...lineTables.flatMap((t) => [
    lineUpsert(t, { L: 'l', S: 'OLD', from: 'sale_lines l', where: 'l.sale_id = OLD.id', sign: -1, group: true }),
    lineUpsert(t, { L: 'l', S: 'NEW', from: 'sale_lines l', where: 'l.sale_id = NEW.id', sign: 1, group: true }),
  ]),
  payUpsert({ Y: 'y', from: 'payments y JOIN sales s ON s.id = y.sale_id', where: `y.sale_id = NEW.id AND y.status = 'approved'`, sign: -1, group: true }).replace(/s\.business_day/g, 'OLD.business_day').replace(' JOIN sales s ON s.id = y.sale_id', ''),
  payUpsert({ Y: 'y', from: 'payments y JOIN sales s ON s.id = y.sale_id', where: `y.sale_id = NEW.id AND y.status = 'approved'`, sign: 1, group: true }).replace(/s\.business_day/g, 'NEW.business_day').replace(' JOIN sales s ON s.id = y.sale_id', ''),
].join('\n  ')}\nEND;`);
out.push(`CREATE TRIGGER rpt_lines_insert AFTER INSERT ON sale_lines BEGIN\n  ${lineTables.map((t) => lineUpsert(t, { L: 'NEW', S: 's', from: 'sales s', where: 's.id = NEW.sale_id', sign: 1 })).join('\n  ')}\nEND;`);
out.push(`CREATE TRIGGER rpt_lines_update AFTER UPDATE OF sale_id, sku_id, qty, gross_fen, discount_fen, payable_fen ON sale_lines BEGIN\n  ${lineTables.map((t) => lineUpsert(t, { L: 'OLD', S: 's', from: 'sales s', where: 's.id = OLD.sale_id', sign: -1 }) + '\n  ' + lineUpsert(t, { L: 'NEW', S: 's', from: 'sales s', where: 's.id = NEW.sale_id', sign: 1 })).join('\n  ')}\nEND;`);
out.push(`CREATE TRIGGER rpt_payments_insert AFTER INSERT ON payments WHEN NEW.status = 'approved' BEGIN\n  ${payUpsert({ Y: 'NEW', from: 'sales s', where: 's.id = NEW.sale_id', sign: 1 })}\nEND;`);
out.push(`-- A pending payment approved later, or one that failed: counted only while approved.
CREATE TRIGGER rpt_payments_update AFTER UPDATE OF sale_id, method, amount_fen, status ON payments BEGIN\n  ${payUpsert({ Y: 'OLD', from: 'sales s', where: `s.id = OLD.sale_id AND OLD.status = 'approved'`, sign: -1 })}\n  ${payUpsert({ Y: 'NEW', from: 'sales s', where: `s.id = NEW.sale_id AND NEW.status = 'approved'`, sign: 1 })}\nEND;`);
process.stdout.write(out.join(BP) + '\n');
