// Reports over a year of 1,000,000 sale lines (tests/bench/reports-data.ts):
//  - range_report_1m_lines_ms: the year by category and day (reports.run 'byCategoryDay' through the
//    reports worker, message round trip included), median of 15 runs; baseline: the same figures
//    grouped straight from sale_lines on a read-only connection; more figures for the other reports.
//  - xlsx_export_1m_s and xlsx_export_1m_peak_mb: the year's raw lines (exactly 1,000,000 rows) to
//    xlsx by the built worker in a child process of its own (tests/bench/reports-export-child.mjs),
//    so its peak resident memory (getrusage maxrss: main thread, worker and exceljs together) is the
//    export's alone; baseline: a bare exceljs streaming writer on the same rows, same process setup.
// The machine is shared: CPU seconds and the load average are printed beside the wall times.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ReportJobs } from '../../electron/till/reports/jobs';
import type { ReportResult } from '../../shared/reports/defs';
import { repoRoot } from '../support/till-host';
import { percentile, round, type BenchResult } from './lib';
import { benchYear, LINES, openYear } from './reports-data';

export async function run(): Promise<BenchResult[]> {
  const year = benchYear((s) => process.stderr.write(`${s}\n`));
  const dbFile = join(year.dataDir, 'till.db');
  const jobs = new ReportJobs({ dbFile });
  const out: BenchResult[] = [];
  const load = `machine load ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`;
  try {
    const time = async (kind: string, n: number) => {
      const ms: number[] = [];
      const cpu: number[] = [];
      let last: ReportResult | null = null;
      for (let i = -2; i < n; i++) {
        const c = process.cpuUsage(); // the whole process: the worker's thread included
        const t = performance.now();
        last = await jobs.run<ReportResult>('report', { type: 'report', spec: { kind: kind as never, from: year.firstDay, to: year.lastDay } }, randomUUID()).result;
        const used = process.cpuUsage(c);
        if (i >= 0) {
          ms.push(performance.now() - t);
          cpu.push((used.user + used.system) / 1000);
        }
      }
      return { p50: percentile(ms, 50), cpu50: percentile(cpu, 50), rows: last!.rowCount };
    };
    const catDay = await time('byCategoryDay', 15);
    // Baseline: the same report straight from the lines (what it would cost without the summaries).
    const ro = openYear();
    const t0 = performance.now();
    const raw = ro
      .prepare(
        `SELECT s.business_day, p.category_id, sum(l.qty), sum(l.payable_fen) FROM sale_lines l JOIN sales s ON s.id = l.sale_id
         JOIN skus k ON k.id = l.sku_id LEFT JOIN products p ON p.id = k.product_id WHERE s.business_day BETWEEN ? AND ? GROUP BY 1, 2`,
      )
      .all(year.firstDay, year.lastDay);
    const rawMs = performance.now() - t0;
    ro.close();
    out.push({
      name: 'range_report_1m_lines_ms',
      value: round(catDay.p50, 1),
      unit: 'ms',
      baseline: round(rawMs, 0),
      ratio: round(catDay.p50 / rawMs, 3),
      note: `${LINES.toLocaleString('en')} lines, ${year.firstDay}..${year.lastDay}, ${catDay.rows} rows (raw ${raw.length}); p50 of 15 via the worker, ${round(catDay.cpu50, 1)} CPU ms; baseline = GROUP BY over sale_lines; goal <= 200; ${load}`,
    });
    for (const kind of ['byDay', 'byItem', 'bestSellers', 'members', 'slowMovers']) {
      const r = await time(kind, 5);
      out.push({ name: `range_report_year_${kind}_ms`, value: round(r.p50, 1), unit: 'ms', note: `${r.rows} rows, p50 of 5, ${round(r.cpu50, 1)} CPU ms` });
    }
  } finally {
    await jobs.close();
  }

  // The export in a process of its own (the built worker, no tsx), so its peak RSS is the export's;
  // then the bare exceljs way on the same rows for a ratio (skip with BENCH_NO_BASELINE=1: minutes).
  const exportOnce = (mode: 'worker' | 'bare') => {
    const child = spawnSync(process.execPath, [join(repoRoot, 'tests/bench/reports-export-child.mjs'), dbFile, year.firstDay, year.lastDay, mode], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith('EXPORT '));
    if (!line) throw new Error(`export child (${mode}) failed: ${child.stderr}`);
    return JSON.parse(line.slice('EXPORT '.length)) as { seconds: number; cpuSeconds: number; peakMb: number; startMb: number; rows: number; bytes: number; sheets: number };
  };
  const e = exportOnce('worker');
  const bare = process.env.BENCH_NO_BASELINE ? null : exportOnce('bare');
  out.push({
    name: 'xlsx_export_1m_s',
    value: round(e.seconds, 2),
    unit: 's',
    ...(bare ? { baseline: round(bare.seconds, 2), ratio: round(e.seconds / bare.seconds, 3) } : {}),
    note: `${e.rows.toLocaleString('en')} rows, ${e.sheets} sheet(s), ${round(e.bytes / 1e6, 1)} MB file; ${round(e.cpuSeconds, 1)} CPU s${bare ? ` (bare exceljs: ${round(bare.cpuSeconds, 1)} CPU s)` : ''}; goal <= 15; ${load}`,
  });
  out.push({
    name: 'xlsx_export_1m_peak_mb',
    value: round(e.peakMb, 0),
    unit: 'MB',
    ...(bare ? { baseline: round(bare.peakMb, 0), ratio: round(e.peakMb / bare.peakMb, 3) } : {}),
    note: `peak RSS of the exporting process (plain Node + the built worker), ${round(e.startMb, 0)} MB before the export; baseline = bare exceljs streaming writer; goal <= 300`,
  });
  return out;
}
