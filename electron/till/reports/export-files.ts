// Where exports go and who made them: <data dir>/exports/<报表名>_<from>_<to>_<time>.<xlsx|csv>, one
// export at a time, each audited (who, what, which days, which file) before it starts, so an export
// that is cancelled or fails is on record too. The file itself is written by the worker (export.ts).
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportFile, JobView } from '../../../shared/api/reports';
import { TillError } from '../../../shared/errors';
import { titleOf, type ExportKind } from '../../../shared/reports/defs';
import { audit } from '../audit';
import type { Till } from '../till';
import type { ExportResult } from './export';
import type { ReportJobs } from './jobs';

export const exportsDir = (till: Till) => join(till.options.dataDir, 'exports');

const pad = (n: number) => String(n).padStart(2, '0');
function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** A file name nobody has used yet, e.g. 销售明细_2026-01-01_2026-12-31_20261231-180000.xlsx. */
export function exportPath(dir: string, kind: ExportKind, from: string, to: string, format: 'xlsx' | 'csv', at: number): string {
  const base = `${titleOf(kind).zh.replace(/[\\/:*?"<>|]/g, '')}_${from}_${to}_${stamp(at)}`;
  for (let n = 1; ; n++) {
    const file = join(dir, `${base}${n > 1 ? `-${n}` : ''}.${format}`);
    if (!existsSync(file) && !existsSync(`${file}.partial`)) return file;
  }
}

export function startExport(
  till: Till,
  jobs: ReportJobs,
  input: { jobId: string; kind: ExportKind; format: 'xlsx' | 'csv'; from: string; to: string; top?: number },
): JobView {
  const session = till.auth.requireSession();
  if (jobs.running('export').length) throw new TillError('EXPORT_BUSY', '已有导出正在进行，请等它完成或取消后再导出');
  const dir = exportsDir(till);
  mkdirSync(dir, { recursive: true });
  const at = till.now();
  const file = exportPath(dir, input.kind, input.from, input.to, input.format, at);
  till.tx(() =>
    audit(till.sqlite, {
      userId: session.userId,
      action: 'report.export',
      target: input.kind,
      details: { format: input.format, from: input.from, to: input.to, file },
    }, at),
  );
  const { view, result } = jobs.run<ExportResult>(
    'export',
    { type: 'export', spec: { kind: input.kind, format: input.format, from: input.from, to: input.to, top: input.top, file } },
    input.jobId,
    { file },
  );
  result.catch(() => undefined); // the outcome is in the job's view and its 'job' event
  return view;
}

export function listExports(till: Till, limit = 20): { dir: string; files: ExportFile[] } {
  const dir = exportsDir(till);
  if (!existsSync(dir)) return { dir, files: [] };
  const files = readdirSync(dir)
    .filter((n) => /\.(xlsx|csv)$/.test(n))
    .map((name) => {
      const path = join(dir, name);
      const st = statSync(path);
      return { name, path, bytes: st.size, at: st.mtimeMs };
    })
    .sort((a, b) => b.at - a.at)
    .slice(0, limit);
  return { dir, files };
}
