// One xlsx export of a year's sales lines by the built reports worker (out/main/reports-worker.js, as
// the app ships it), alone in a plain Node process, for reports.bench.ts. Prints
// `EXPORT {seconds, cpuSeconds, peakMb, startMb, rows, bytes, sheets}`; with `bare`, the same rows
// written the plain way for the baseline (see bareExport). Peak memory is getrusage's maxrss of the
// whole process (main thread, the worker thread, exceljs, SQLite).
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const [dbFile, from, to, mode] = process.argv.slice(2);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'till-bench-export-'));
const file = join(dir, 'year.xlsx');
const mb = (n) => n / 1e6;

/** The product: the reports worker's export job, through its message protocol (electron/till/reports/protocol.ts). */
async function workerExport() {
  const w = new Worker(join(repoRoot, 'out/main/reports-worker.js'), { workerData: { dbFile } });
  await new Promise((resolve, reject) => {
    w.once('error', reject);
    w.on('message', (m) => m.type === 'ready' && resolve());
  });
  const startMb = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await new Promise((resolve, reject) => {
    w.on('message', (m) => {
      if (m.id !== 1) return;
      if (m.type === 'done') resolve(m.result);
      else if (m.type === 'error') reject(new Error(`${m.error.code}: ${m.error.message}`));
    });
    w.postMessage({ id: 1, type: 'export', cancel: new SharedArrayBuffer(4), spec: { kind: 'lines', format: 'xlsx', from, to, file } });
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await w.terminate();
  return { seconds, cpu, startMb, rows: result.rows, bytes: result.bytes, sheets: result.sheets };
}

/**
 * The baseline: what a plain exceljs streaming export does with the same rows — the lines joined to
 * their names in SQL, one addRow().commit() each, number formats on the columns, default zip
 * settings, no waiting for the zip to catch up. In the main thread of this process.
 */
async function bareExport() {
  const db = new Database(dbFile, { readonly: true });
  const startMb = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
  const ws = wb.addWorksheet('销售明细');
  const money = { numFmt: '#,##0.00' };
  ws.columns = [
    ['营业日', { numFmt: 'yyyy-mm-dd' }], ['时间', { numFmt: 'yyyy-mm-dd hh:mm:ss' }], ['小票号'], ['类型'], ['收银员'], ['会员'], ['货号'], ['品名'],
    ['分类'], ['数量'], ['单位'], ['单价', money], ['原价金额', money], ['优惠金额', money], ['实收金额', money],
  ].map(([header, style]) => ({ header, style }));
  let rows = 0;
  const it = db
    .prepare(
      `SELECT s.business_day, s.created_at, s.receipt_no, s.kind, u.name, m.name, k.code, l.name, c.name, l.qty, un.name, l.unit_price_fen,
         l.gross_fen, l.discount_fen, l.payable_fen
       FROM sales s JOIN sale_lines l ON l.sale_id = s.id JOIN users u ON u.id = s.user_id LEFT JOIN members m ON m.id = s.member_id
         JOIN skus k ON k.id = l.sku_id JOIN units un ON un.id = k.unit_id LEFT JOIN products p ON p.id = k.product_id
         LEFT JOIN categories c ON c.id = p.category_id
       WHERE s.business_day BETWEEN ? AND ? ORDER BY s.business_day, s.created_at, l.line_no`,
    )
    .raw(true)
    .iterate(from, to);
  for (const r of it) {
    ws.addRow([new Date(r[0]), new Date(r[1]), r[2], r[3] === 'return' ? '退货' : '销售', r[4], r[5], r[6], r[7], r[8], r[9] / 1000, r[10], r[11] / 100, r[12] / 100, r[13] / 100, r[14] / 100]).commit();
    rows++;
  }
  ws.commit();
  await wb.commit();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  return { seconds, cpu, startMb, rows, bytes: statSync(file).size, sheets: 1 };
}

try {
  const r = mode === 'bare' ? await bareExport() : await workerExport();
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1e6; // maxRSS is in KiB
  const { cpu, ...rest } = r;
  console.log(`EXPORT ${JSON.stringify({ ...rest, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakMb })}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
