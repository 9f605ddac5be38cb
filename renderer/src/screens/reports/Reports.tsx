// 报表 (manager and owner): a report chosen on the left over any range of business days, read by the
// till's reports worker from its summary tables (a year answers as fast as a day), with a progress
// bar and 取消 while it runs, figures and notes above the table, and export to Excel / CSV.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REPORT_NOTES, REPORTS, type ReportKind, type ReportResult } from '../../../../shared/reports/defs';
import { call } from '../../api/client';
import { newRequestId } from '../../api/request-key';
import { useSession } from '../../stores/session';
import { DataTable } from './DataTable';
import { ExportBar, ProgressBar } from './ExportBar';
import { errorText, formatValue } from './format';
import { RangePicker, type Range } from './RangePicker';
import './reports.css';

/** The reports by group, in the order of the list on the left. */
const GROUPS: { key: string; kinds: ReportKind[] }[] = [
  { key: 'sales', kinds: ['byDay', 'byHour', 'byCategory', 'byCategoryDay', 'byItem', 'byCashier', 'byTender', 'byChannel'] },
  { key: 'goods', kinds: ['bestSellers', 'worstSellers', 'margin', 'stockValue', 'slowMovers'] },
  { key: 'other', kinds: ['refunds', 'members'] },
];
/** Show the progress bar only for a report that takes a moment (most answer at once). */
const SHOW_PROGRESS_AFTER_MS = 300;

export function Reports() {
  const { t, i18n } = useTranslation();
  const info = useSession((s) => s.info);
  const [today, setToday] = useState(info?.businessDay ?? new Date().toISOString().slice(0, 10));
  const [range, setRange] = useState<Range>({ from: today, to: today });
  const [kind, setKind] = useState<ReportKind>('byDay');
  const [result, setResult] = useState<ReportResult | null>(null);
  const [running, setRunning] = useState<{ jobId: string; slow: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<string | null>(null);

  // The business day may have turned since the app started: ask the till once on opening.
  useEffect(() => {
    void call('app.info', {}).then((a) => {
      setToday(a.businessDay);
      setRange((r) => (r.from === today && r.to === today ? { from: a.businessDay, to: a.businessDay } : r));
    }, () => undefined);
  }, []);

  const run = useCallback(async (k: ReportKind, r: Range) => {
    const jobId = newRequestId();
    latest.current = jobId;
    setError(null);
    setRunning({ jobId, slow: false });
    const slow = setTimeout(() => setRunning((cur) => (cur?.jobId === jobId ? { jobId, slow: true } : cur)), SHOW_PROGRESS_AFTER_MS);
    try {
      const res = await call('reports.run', { jobId, kind: k, from: r.from, to: r.to });
      if (latest.current === jobId) setResult(res);
    } catch (e) {
      if (latest.current === jobId) {
        setResult(null);
        setError(errorText(e, t));
      }
    } finally {
      clearTimeout(slow);
      setRunning((cur) => (cur?.jobId === jobId ? null : cur));
    }
  }, [t]);

  useEffect(() => {
    void run(kind, range);
  }, [kind, range, run]);

  const cancel = () => {
    if (running) void call('reports.cancel', { jobId: running.jobId }).catch(() => undefined);
  };
  const name = (k: ReportKind) => (i18n.language === 'en' ? REPORTS[k].en : REPORTS[k].zh);
  const shown = result && result.kind === kind ? result : null;

  return (
    <section className="reports" data-testid="screen-reports">
      <aside className="report-list" aria-label={t('reports.list')}>
        {GROUPS.map((g) => (
          <div key={g.key} className="report-group">
            <h3>{t(`reports.group.${g.key}`)}</h3>
            {g.kinds.map((k) => (
              <button
                key={k}
                type="button"
                className={`report-item ${k === kind ? 'active' : ''}`}
                aria-current={k === kind}
                onClick={() => setKind(k)}
                data-testid={`report-${k}`}
              >
                {name(k)}
              </button>
            ))}
          </div>
        ))}
      </aside>
      <div className="report-main">
        <div className="report-head">
          <h2 data-testid="report-title">{name(kind)}</h2>
          <RangePicker today={today} value={range} onChange={setRange} />
        </div>
        <ExportBar kind={kind} from={range.from} to={range.to} disabled={!!running} />
        {running?.slow && <ProgressBar done={0} total={0} label={t('reports.running')} onCancel={cancel} testId="report-progress" />}
        {error && (
          <p className="settings-error" role="alert" data-testid="report-error">
            {error}
          </p>
        )}
        {shown && (
          <>
            {shown.figures.length > 0 && (
              <div className="report-figures">
                {shown.figures.map((f) => (
                  <div key={f.key} className="fig-card" data-testid={`figure-${f.key}`}>
                    <span>{i18n.language === 'en' ? f.en : f.zh}</span>
                    <strong>{formatValue(f.type, f.value, i18n.language)}</strong>
                  </div>
                ))}
              </div>
            )}
            <DataTable columns={shown.columns} rows={shown.rows} totals={shown.totals} testId="report-table" />
            <div className="report-foot">
              <span className="muted" data-testid="report-meta">
                {t('reports.meta', { rows: shown.rowCount.toLocaleString(), ms: shown.ms })}
              </span>
              {shown.notes.map((n) => (
                <span key={n} className="report-note">
                  {(i18n.language === 'en' ? REPORT_NOTES[n].en : REPORT_NOTES[n].zh).replace('{{n}}', shown.rows.length.toLocaleString())}
                </span>
              ))}
            </div>
          </>
        )}
      </div>
    </section>
  );
}
