// 导出报表: the report on screen (or the raw sales lines) to Excel or CSV. The export runs in the
// till's reports worker; its progress arrives as 'job' events, with a bar and 取消; when done the
// file's path is shown (the exports folder under the till's data folder). Manager and owner only,
// checked and audited on the main side.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFile, JobView } from '../../../../shared/api/reports';
import type { ExportKind } from '../../../../shared/reports/defs';
import { call, on } from '../../api/client';
import { newRequestId } from '../../api/request-key';
import { errorText } from './format';

export function ProgressBar({ done, total, label, onCancel, testId }: { done: number; total: number; label: string; onCancel?(): void; testId?: string }) {
  const { t } = useTranslation();
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="job-progress" role="status" data-testid={testId}>
      <div className="job-label">
        {label} {pct !== null && <strong>{pct}%</strong>} {total > 0 && <span className="muted">{t('reports.rowsOf', { done: done.toLocaleString(), total: total.toLocaleString() })}</span>}
      </div>
      <div className="job-track" aria-hidden>
        <div className={`job-fill ${pct === null ? 'indeterminate' : ''}`} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      {onCancel && (
        <button type="button" className="btn" onClick={onCancel} data-testid="job-cancel">
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}

export function ExportBar({ kind, from, to, top, disabled }: { kind: ExportKind; from: string; to: string; top?: number; disabled?: boolean }) {
  const { t } = useTranslation();
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [recent, setRecent] = useState<{ dir: string; files: ExportFile[] } | null>(null);
  const running = job?.state === 'running';

  // Progress comes as 'job' events; one may come before exports.start answers (kept in `seen`), and
  // an event stream that dropped is covered by asking once a second while it runs.
  const seen = useRef(new Map<string, JobView>());
  useEffect(
    () =>
      on('job', (v) => {
        seen.current.set(v.jobId, v);
        setJob((cur) => (cur && v.jobId === cur.jobId ? v : cur));
      }),
    [],
  );
  useEffect(() => {
    if (!running || !job) return;
    const timer = setInterval(() => {
      void call('reports.job', { jobId: job.jobId }).then((v) => v && setJob((cur) => (cur?.jobId === v.jobId && cur.state === 'running' ? v : cur)), () => undefined);
    }, 1000);
    return () => clearInterval(timer);
  }, [running, job?.jobId]);
  useEffect(() => {
    if (job && job.state !== 'running') void call('exports.list', {}).then(setRecent, () => undefined);
  }, [job?.state]);

  const start = async (exportKind: ExportKind, format: 'xlsx' | 'csv') => {
    setError(null);
    try {
      const view = await call('exports.start', { jobId: newRequestId(), kind: exportKind, format, from, to, top });
      const later = seen.current.get(view.jobId);
      setJob(later && later.state !== 'running' ? later : view);
    } catch (e) {
      setError(errorText(e, t));
    }
  };
  const cancel = async () => {
    if (job) await call('reports.cancel', { jobId: job.jobId }).catch(() => undefined);
  };

  return (
    <div className="export-bar" data-testid="export-bar">
      <div className="export-buttons">
        <button type="button" className="btn" disabled={disabled || running} onClick={() => void start(kind, 'xlsx')} data-testid="export-xlsx">
          {t('reports.exportXlsx')}
        </button>
        <button type="button" className="btn" disabled={disabled || running} onClick={() => void start(kind, 'csv')} data-testid="export-csv">
          {t('reports.exportCsv')}
        </button>
        <button type="button" className="btn" disabled={disabled || running} onClick={() => void start('lines', 'xlsx')} data-testid="export-lines">
          {t('reports.exportLines')}
        </button>
      </div>
      {running && <ProgressBar done={job.done} total={job.total} label={t('reports.exporting')} onCancel={() => void cancel()} testId="export-progress" />}
      {job?.state === 'done' && (
        <p className="settings-ok" data-testid="export-done">
          {t('reports.exported', { rows: (job.rows ?? 0).toLocaleString() })} <code className="path">{job.file}</code>
        </p>
      )}
      {job?.state === 'cancelled' && <p className="settings-note" data-testid="export-cancelled">{t('reports.exportCancelled')}</p>}
      {job?.state === 'failed' && <p className="settings-error">{job.error?.message}</p>}
      {error && <p className="settings-error" data-testid="export-error">{error}</p>}
      {recent && recent.files.length > 0 && !running && (
        <details className="export-recent">
          <summary>{t('reports.exportFolder', { dir: recent.dir })}</summary>
          <ul>
            {recent.files.map((f) => (
              <li key={f.path}>
                {f.name} <span className="muted">({Math.max(1, Math.round(f.bytes / 1024)).toLocaleString()} KB)</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
