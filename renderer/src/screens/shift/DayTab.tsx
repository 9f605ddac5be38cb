// 日结 tab (manager, owner): the business day now and the last close, the days that can be closed
// (a day forgotten last night too), the shifts that must be closed first, a live preview of the Z
// report, the close itself (once per day: printed, kept, and a database backup), and the closed
// days with their backup and a reprint.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupOutcome, DayCloseSummary, DayReport, DayStatus } from '../../../../shared/api/day';
import { formatYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { DayReportView } from './DayReportView';
import { dateTime, messageOf } from './format';

export function DayTab() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [status, setStatus] = useState<DayStatus | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [preview, setPreview] = useState<DayReport | null>(null);
  const [closed, setClosed] = useState<DayCloseSummary[]>([]);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ report: DayReport; backup: BackupOutcome } | null>(null);
  const [viewing, setViewing] = useState<DayReport | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const s = await call('day.status', {});
      setStatus(s);
      setClosed(await call('day.list', { limit: 30 }));
      setDay((d) => (d && s.closable.includes(d) ? d : (s.closable[0] ?? null)));
    } catch (e) {
      setMessage({ ok: false, text: messageOf(e) });
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!day) return setPreview(null);
    let live = true;
    call('day.preview', { businessDay: day })
      .then((r) => live && setPreview(r))
      .catch((e) => live && setMessage({ ok: false, text: messageOf(e) }));
    return () => {
      live = false;
    };
  }, [day, status]);

  const close = async () => {
    if (!day || busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await call('day.close', { businessDay: day });
      setResult({ report: r.report, backup: r.backup });
      setConfirm(false);
      await load();
    } catch (e) {
      setConfirm(false);
      setMessage({ ok: false, text: messageOf(e) });
    } finally {
      setBusy(false);
    }
  };
  const reprint = async (businessDay: string) => {
    try {
      await call('day.reprint', { businessDay });
      setMessage({ ok: true, text: t('dayClose.reprinted') });
    } catch (e) {
      setMessage({ ok: false, text: messageOf(e) });
    }
  };
  const view = async (businessDay: string) => {
    try {
      setViewing(await call('day.report', { businessDay }));
    } catch (e) {
      setMessage({ ok: false, text: messageOf(e) });
    }
  };

  if (!status) return <div className="boot">{t('app.loading')}</div>;
  const blocking = status.openShifts.filter((s) => day && s.businessDay <= day);

  return (
    <div className="day-tab">
      <header className="settings-head">
        <div>
          <h2>
            {t('dayClose.current')}：<span data-testid="day-current">{status.businessDay}</span>
          </h2>
          <div className="muted">
            {status.lastClosed
              ? t('dayClose.lastClosed', { day: status.lastClosed.businessDay, time: dateTime(status.lastClosed.closedAt, lang), name: status.lastClosed.closedBy })
              : t('dayClose.neverClosed')}
          </div>
        </div>
      </header>
      {message && (
        <p className={message.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="day-message">
          {message.text}
        </p>
      )}
      {result && (
        <div className="shift-panel" data-testid="day-done">
          <p className="ok-line big-note">{t('dayClose.done', { day: result.report.businessDay })}</p>
          <p className={result.backup.ok && (!result.backup.second || result.backup.second.ok) ? 'settings-ok' : 'settings-error'} data-testid="day-backup">
            {result.backup.ok && (!result.backup.second || result.backup.second.ok)
              ? t('dayClose.backupOk', { file: result.backup.file })
              : t('dayClose.backupFail', { message: result.backup.message })}
          </p>
        </div>
      )}
      <div className="st-row">
        <span className="st-label small">{t('dayClose.pick')}</span>
        {status.closable.length ? (
          <div className="st-seg st-seg-wrap">
            {status.closable.map((d) => (
              <button key={d} type="button" className={`st-seg-btn ${d === day ? 'on' : ''}`} onClick={() => setDay(d)} data-testid={`day-pick-${d}`}>
                {d}
              </button>
            ))}
          </div>
        ) : (
          <span className="muted">{t('dayClose.none')}</span>
        )}
      </div>
      {blocking.length > 0 && (
        <p className="warn-note" data-testid="day-open-shifts">
          {t('dayClose.openShifts', { list: blocking.map((s) => `${s.userName}（${s.businessDay}）`).join('、') })}
        </p>
      )}
      {day && preview && (
        <>
          <div className="settings-head">
            <h3>
              {t('dayClose.preview')} · {day}
            </h3>
            <button type="button" className="btn primary big" disabled={blocking.length > 0 || busy} onClick={() => setConfirm(true)} data-testid="day-close">
              {t('dayClose.closeBtn')}
            </button>
          </div>
          <DayReportView report={preview} />
        </>
      )}
      <h3>{t('dayClose.closedDays')}</h3>
      <table className="queue-table" data-testid="day-list">
        <thead>
          <tr>
            <th>{t('dayClose.colDay')}</th>
            <th>{t('dayClose.colClosedAt')}</th>
            <th>{t('dayClose.colBy')}</th>
            <th className="num">{t('dayClose.colSales')}</th>
            <th className="num">{t('dayClose.colNet')}</th>
            <th>{t('dayClose.colBackup')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {closed.map((c) => (
            <tr key={c.businessDay}>
              <td className="nowrap">{c.businessDay}</td>
              <td className="nowrap">{dateTime(c.closedAt, lang)}</td>
              <td>{c.closedBy}</td>
              <td className="num">{c.saleCount}</td>
              <td className="num">{formatYuan(c.netFen)}</td>
              <td className={c.backupError ? 'job-reason' : 'small'}>{c.backupError ?? c.backupFile ?? ''}</td>
              <td>
                <div className="job-actions">
                  <button type="button" className="btn" onClick={() => void view(c.businessDay)}>
                    {t('dayClose.view')}
                  </button>
                  <button type="button" className="btn" onClick={() => void reprint(c.businessDay)} data-testid={`day-reprint-${c.businessDay}`}>
                    {t('dayClose.reprint')}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirm && day && (
        <Dialog title={t('dayClose.confirmTitle', { day })} testId="day-confirm" onClose={() => setConfirm(false)}>
          <p className="big-note">{t('dayClose.confirmText', { day })}</p>
          <div className="row-actions">
            <button type="button" className="btn big" onClick={() => setConfirm(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn primary big" disabled={busy} onClick={() => void close()} data-testid="day-confirm-do">
              {t('dayClose.confirmDo')}
            </button>
          </div>
        </Dialog>
      )}
      {viewing && (
        <Dialog title={viewing.businessDay} testId="day-view" wide onClose={() => setViewing(null)}>
          <DayReportView report={viewing} />
        </Dialog>
      )}
    </div>
  );
}
