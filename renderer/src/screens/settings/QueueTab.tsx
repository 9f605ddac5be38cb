// 打印队列: recent print jobs with their state and, for waiting ones, why (缺纸 / 上盖打开 / 离线 …).
// An interrupted job (the app or the printer stopped mid-print) is never printed again by itself:
// a person looks at the paper and decides — 没有打出 (print it as the original) or 重印 (a copy
// marked 重印) — or cancels it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintJobView } from '../../../../shared/api';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { useDevices } from '../../stores/devices';

function time(ms: number, lang: string): string {
  return new Date(ms).toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function QueueTab() {
  const { t, i18n } = useTranslation();
  const { jobs, loadJobs } = useDevices();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [preview, setPreview] = useState<{ title: string; png: string } | null>(null);
  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setMessage(null);
    try {
      await fn();
      setMessage({ ok: true, text: ok });
      await loadJobs();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const show = async (j: PrintJobView) => {
    try {
      const r = await call('print.preview', { jobId: j.id });
      setPreview({ title: j.title || t(`settings.queue.kind.${j.kind}`, { defaultValue: j.kind }), png: r.png });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const decisions = jobs.filter((j) => j.needsDecision);

  return (
    <div className="queue-tab">
      <header className="settings-head">
        <h2>{t('settings.tabs.queue')}</h2>
        <button type="button" className="btn" onClick={() => void loadJobs()}>
          {t('settings.queue.refresh')}
        </button>
      </header>
      {decisions.length > 0 && <p className="settings-error">{t('settings.queue.decide', { count: decisions.length })}</p>}
      {message && (
        <p className={message.ok ? 'settings-ok' : 'settings-error'} role="status">
          {message.text}
        </p>
      )}
      <table className="queue-table" data-testid="print-jobs">
        <thead>
          <tr>
            <th>{t('settings.queue.time')}</th>
            <th>{t('settings.queue.what')}</th>
            <th>{t('settings.queue.printer')}</th>
            <th>{t('settings.queue.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} className={`job-${j.status}`} data-testid={`job-${j.id}`}>
              <td className="nowrap">{time(j.createdAt, i18n.language)}</td>
              <td>
                {t(`settings.queue.kind.${j.kind}`, { defaultValue: j.kind })}
                {j.isCopy && <span className="copy-tag">{t('settings.queue.copy')}</span>}
                {j.title && <div className="muted small">{j.title}</div>}
              </td>
              <td>{t(`devices.role.${j.role}`, { defaultValue: j.role })}</td>
              <td>
                <strong className={`job-state ${j.status}`}>{t(`settings.queue.status.${j.status}`)}</strong>
                {j.waitReason && <div className="job-reason" data-testid={`job-reason-${j.id}`}>{j.waitReason}</div>}
              </td>
              <td>
                <div className="job-actions">
                <button type="button" className="btn small" onClick={() => void show(j)}>
                  {t('settings.queue.preview')}
                </button>
                {j.needsDecision && (
                  <button type="button" className="btn small primary" onClick={() => void act(() => call('print.confirmNotPrinted', { jobId: j.id }), t('settings.queue.requeued'))}>
                    {t('settings.queue.notPrinted')}
                  </button>
                )}
                {(j.needsDecision || j.status === 'printed') && (
                  <button type="button" className="btn small" onClick={() => void act(() => call('print.reprintJob', { jobId: j.id }), t('settings.queue.reprinted'))}>
                    {t('settings.queue.reprint')}
                  </button>
                )}
                {(j.status === 'pending' || j.status === 'failed') && (
                  <button type="button" className="btn small" onClick={() => void act(() => call('print.cancel', { jobId: j.id }), t('settings.queue.cancelled'))}>
                    {t('settings.queue.cancel')}
                  </button>
                )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!jobs.length && <p className="settings-note">{t('settings.queue.empty')}</p>}
      {preview && (
        <Dialog title={preview.title} testId="job-preview" onClose={() => setPreview(null)}>
          <div className="st-paper">
            <img src={preview.png} alt={preview.title} />
          </div>
        </Dialog>
      )}
    </div>
  );
}
