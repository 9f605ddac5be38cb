// 设置 → 备份 (manager, owner): where backups go, how many are kept, a second folder (a USB stick),
// a backup now, and the backups with 检查 (opened on a copy, integrity, version, its day's close) and
// 恢复 (after a check, with what the restore replaces said plainly; the current database is kept as
// a backup of its own). After a restore everyone logs in again (the main side ends the session).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_RANK } from '../../../../shared/api';
import type { BackupCheck, BackupFile, BackupSettings } from '../../../../shared/api/day';
import type { JobView } from '../../../../shared/api/reports';
import { call, on } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { useSession } from '../../stores/session';

const size = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const when = (ms: number, lang: string) =>
  new Date(ms).toLocaleString(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const keyOf = (f: Pick<BackupFile, 'name' | 'where'>) => `${f.where}/${f.name}`;

export function BackupTab() {
  const { t, i18n } = useTranslation();
  const role = useSession((s) => s.session?.role ?? 'cashier');
  const [settings, setSettings] = useState<BackupSettings | null>(null);
  const [keep, setKeep] = useState('');
  const [second, setSecond] = useState('');
  const [files, setFiles] = useState<BackupFile[]>([]);
  const [checks, setChecks] = useState<Record<string, BackupCheck | 'running'>>({});
  const [restoring, setRestoring] = useState<{ file: BackupFile; check: BackupCheck } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // The check runs in the reports worker (a big file takes a while): its progress comes as a
  // 'backup' job, which 取消 stops like a report.
  const [checkJob, setCheckJob] = useState<JobView | null>(null);
  useEffect(() => on('job', (v) => v.kind === 'backup' && setCheckJob(v.state === 'running' ? v : null)), []);
  const manager = ROLE_RANK[role] >= ROLE_RANK.manager;

  const load = useCallback(async () => {
    try {
      const s = await call('backup.settings', {});
      setSettings(s);
      setKeep(String(s.keep));
      setSecond(s.secondDir);
      setFiles(await call('backup.list', {}));
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }, []);
  useEffect(() => {
    if (manager) void load();
  }, [load, manager]);

  if (!manager) return <p className="settings-note">{t('backup.managerOnly')}</p>;

  const act = async (fn: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ ok: true, text: await fn() });
      await load();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const check = async (f: BackupFile): Promise<BackupCheck | null> => {
    setChecks((c) => ({ ...c, [keyOf(f)]: 'running' }));
    try {
      const r = await call('backup.check', { name: f.name, where: f.where });
      setChecks((c) => ({ ...c, [keyOf(f)]: r }));
      return r;
    } catch (e) {
      setChecks((c) => {
        const { [keyOf(f)]: _gone, ...rest } = c;
        return rest;
      });
      setMessage({ ok: false, text: (e as Error).message });
      return null;
    }
  };
  const askRestore = async (f: BackupFile) => {
    const r = await check(f);
    if (r) setRestoring({ file: f, check: r });
  };
  const restore = async () => {
    if (!restoring) return;
    setBusy(true);
    try {
      const r = await call('backup.restore', { name: restoring.file.name, where: restoring.file.where, confirm: true });
      setRestoring(null);
      setMessage({ ok: true, text: t('backup.restored', { file: r.replacedFile }) });
      // The main side ended the session: the session event takes the app to the login screen.
    } catch (e) {
      setRestoring(null);
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const checkText = (c: BackupCheck) =>
    c.ok ? t('backup.checkOk', { sales: c.saleCount, day: c.lastClosedDay ?? '—', till: c.tillId ?? '—' }) : t('backup.checkBad', { problems: c.problems.join('；') });

  return (
    <div className="backup-tab" data-testid="backup-tab">
      <header className="settings-head">
        <h2>{t('backup.tab')}</h2>
        <div className="settings-head-actions">
          <button type="button" className="btn primary" disabled={busy} onClick={() => void act(async () => (await call('backup.now', {})).message)} data-testid="backup-now">
            {t('backup.now')}
          </button>
        </div>
      </header>
      {message && (
        <p className={message.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="backup-message">
          {message.text}
        </p>
      )}
      {settings && (
        <div className="dev-form">
          <div className="st-row">
            <span className="st-label">{t('backup.where')}</span>
            <code style={{ fontSize: 15, background: '#f3f4f6', padding: '4px 8px', borderRadius: 6, overflowWrap: 'anywhere' }}>{settings.dir}</code>
          </div>
          <div className="st-row">
            <span className="st-label">{t('backup.keep')}</span>
            <input className="st-input narrow" inputMode="numeric" value={keep} onChange={(e) => setKeep(e.target.value.replace(/\D/g, ''))} data-testid="backup-keep" />
            <span>{t('backup.keepUnit')}</span>
          </div>
          <div className="st-row">
            <span className="st-label">{t('backup.second')}</span>
            <input className="st-input" value={second} onChange={(e) => setSecond(e.target.value)} placeholder={'E:\\小店备份'} data-testid="backup-second" />
          </div>
          <p className="settings-note">{t('backup.secondHint')}</p>
          <div className="st-foot">
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await call('backup.saveSettings', { keep: Number(keep), secondDir: second.trim() });
                  return t('backup.saved');
                })
              }
              data-testid="backup-save"
            >
              {t('backup.save')}
            </button>
          </div>
        </div>
      )}
      <h3>{t('backup.list')}</h3>
      <table className="queue-table" data-testid="backup-list">
        <thead>
          <tr>
            <th>{t('backup.colTime')}</th>
            <th>{t('backup.colKind')}</th>
            <th>{t('backup.colDay')}</th>
            <th>{t('backup.colSize')}</th>
            <th>{t('backup.colWhere')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {files.map((f) => {
            const c = checks[keyOf(f)];
            return (
              <tr key={keyOf(f)} data-testid={`backup-${f.name}`}>
                <td className="nowrap">{when(f.createdAt, i18n.language)}</td>
                <td>
                  {t(`backup.kind.${f.kind}`)}
                  <div className="muted small">{f.name}</div>
                  {c === 'running' && (
                    <div className="muted" role="status" data-testid={`backup-checking-${f.name}`}>
                      {t('backup.checking')}
                      {checkJob && checkJob.total > 0 && ` ${Math.floor((checkJob.done / checkJob.total) * 100)}%`}
                      {checkJob && (
                        <button type="button" className="btn small" onClick={() => void call('reports.cancel', { jobId: checkJob.jobId })} data-testid="backup-check-cancel">
                          {t('common.cancel')}
                        </button>
                      )}
                    </div>
                  )}
                  {c && c !== 'running' && (
                    <div className={c.ok ? 'settings-ok' : 'settings-error'} data-testid={`backup-check-${f.name}`}>
                      {checkText(c)}
                    </div>
                  )}
                </td>
                <td className="nowrap">{f.businessDay ?? ''}</td>
                <td className="nowrap">{size(f.bytes)}</td>
                <td>{t(`backup.whereName.${f.where}`)}</td>
                <td>
                  <div className="job-actions">
                    <button type="button" className="btn" disabled={busy} onClick={() => void check(f)} data-testid={`backup-check-btn-${f.name}`}>
                      {t('backup.check')}
                    </button>
                    <button type="button" className="btn" disabled={busy} onClick={() => void askRestore(f)} data-testid={`backup-restore-btn-${f.name}`}>
                      {t('backup.restore')}
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!files.length && <p className="settings-note">{t('backup.empty')}</p>}
      {restoring && (
        <Dialog title={t('backup.restoreTitle')} testId="restore-dialog" onClose={() => setRestoring(null)}>
          <p className="big-note">{when(restoring.file.createdAt, i18n.language)} · {t(`backup.kind.${restoring.file.kind}`)}</p>
          <p className={restoring.check.ok ? 'settings-ok' : 'settings-error'}>{checkText(restoring.check)}</p>
          {restoring.check.ok && <p className="warn-note">{t('backup.restoreWarn')}</p>}
          {restoring.check.ok && restoring.check.newerSales > 0 && (
            <p className="warn-note" data-testid="restore-newer">
              {t('backup.newer', { count: restoring.check.newerSales })}
            </p>
          )}
          <div className="row-actions">
            <button type="button" className="btn big" onClick={() => setRestoring(null)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn danger big" disabled={busy || !restoring.check.ok} onClick={() => void restore()} data-testid="restore-do">
              {busy ? t('backup.restoring') : t('backup.restoreDo')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
