// 网店同步 (manager and owner): each platform's state as a card, 立即同步 with its progress, the dead
// letters (deliveries a platform kept refusing) with their reason in words and 重试 / 忽略, and the
// recent activity (virtualized, it may be long). The second tab reviews the SKU mapping. Everything
// here reads the sync worker through the main side; the checkout never waits for any of it.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { TabBar } from '../../components/TabBar';
import '../settings/settings.css';
import { syncApi, type ActivityRow, type DeadLetter, type PlatformStatus, type SyncReconcileReport, type SyncStatusView } from './api';
import { MappingTab } from './MappingTab';
import { SafetyTab } from './SafetyTab';
import { useSyncStatus } from './store';
import './sync.css';
import { agoText, errorText, lightOf, platformWord, reasonText, said, timeText, type Said } from './words';

const TABS = ['status', 'mapping', 'safety'] as const;
type Tab = (typeof TABS)[number];
const ACTIVITY_ROW = 48;
const REFRESH_MS = 10_000;
const RUNNING_REFRESH_MS = 1_000;

function PlatformCard({ p, now }: { p: PlatformStatus; now: number }) {
  const { t, i18n } = useTranslation();
  const l = p.enabled ? lightOf([p], false, t) : { color: 'grey' as const, word: t('sync.state.off') };
  return (
    <article className={`sy-card sy-${l.color}`} data-testid={`sync-card-${p.platform}`} data-state={l.color}>
      <header>
        <i className={`dot ${l.color}`} />
        <strong>{platformWord(t, p.platform)}</strong>
        <span className="sy-card-word">{l.word}</span>
      </header>
      <dl>
        <dt>{t('sync.card.lastSuccess')}</dt>
        <dd>{p.lastSuccessAt ? agoText(t, now - p.lastSuccessAt, i18n.language, p.lastSuccessAt) : t('sync.neverSucceeded')}</dd>
        <dt>{t('sync.card.backlog')}</dt>
        <dd data-testid={`sync-backlog-${p.platform}`}>{p.backlog}</dd>
        <dt>{t('sync.card.dead')}</dt>
        <dd className={p.deadLetters ? 'sy-bad' : ''}>{p.deadLetters}</dd>
      </dl>
      {p.lastError && (
        <p className="sy-card-err" title={p.lastError.code}>
          {reasonText(t, p.lastError)}
        </p>
      )}
    </article>
  );
}

function DeadLetters({ rows, onChanged }: { rows: DeadLetter[]; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: Said } | null>(null);
  const act = async (d: DeadLetter, what: 'retry' | 'dismiss') => {
    setBusy(d.id);
    setNote(null);
    try {
      await (what === 'retry' ? syncApi.retry(d.id) : syncApi.dismiss(d.id));
      setNote({ ok: true, text: (tt) => (what === 'retry' ? tt('sync.dead.retried') : tt('sync.dead.dismissed')) });
      setConfirm(null);
      onChanged();
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="sy-panel sy-dead" data-testid="sync-dead">
      <h3>
        {t('sync.dead.title')} <span className="sy-count">{rows.length}</span>
      </h3>
      <p className="muted sy-help">{t('sync.dead.help')}</p>
      {note && (
        <p className={note.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="sync-dead-note">
          {said(t, note.text)}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted sy-empty" data-testid="sync-dead-none">
          {t('sync.dead.none')}
        </p>
      ) : (
        <ul className="sy-dead-list">
          {rows.map((d) => (
            <li key={d.id} className="sy-dead-row" data-testid="sync-dead-row" data-id={d.id}>
              <div className="sy-dead-main">
                <div className="sy-dead-what">
                  <span className="tag">{platformWord(t, d.platform)}</span> {d.skuName ?? d.skuId ?? t('sync.dead.noSku')}
                  {d.barcode && <small className="muted"> {d.barcode}</small>}
                </div>
                <div className="sy-dead-reason" data-testid="sync-dead-reason">
                  {reasonText(t, { code: d.errorCode, message: d.reason })}
                </div>
                <small className="muted">
                  {timeText(d.createdAt, i18n.language)} · {t('sync.dead.attempts', { count: d.attempts })}
                </small>
              </div>
              <div className="sy-dead-actions">
                <button type="button" className="btn primary" disabled={busy !== null} onClick={() => void act(d, 'retry')} data-testid="sync-dead-retry">
                  {t('sync.dead.retry')}
                </button>
                {confirm === d.id ? (
                  <button type="button" className="btn st-danger" disabled={busy !== null} onClick={() => void act(d, 'dismiss')} data-testid="sync-dead-dismiss-confirm">
                    {t('sync.dead.dismissConfirm')}
                  </button>
                ) : (
                  <button type="button" className="btn" disabled={busy !== null} onClick={() => setConfirm(d.id)} data-testid="sync-dead-dismiss">
                    {t('sync.dead.dismiss')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function activityText(t: TFunction, zh: boolean, r: ActivityRow): string {
  if (zh) return r.summary;
  const parts = [t(`sync.activity.kind.${r.kind}`, { defaultValue: r.kind })];
  if (r.skuName) parts.push(r.skuName);
  if (r.outcome) parts.push(t(`sync.activity.outcome.${r.outcome}`, { defaultValue: r.outcome }));
  return parts.join(' · ');
}

function Activity({ rows, more, onMore }: { rows: ActivityRow[]; more: boolean; onMore(): void }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ACTIVITY_ROW, overscan: 8 });
  const items = virtual.getVirtualItems();
  // Older pages come as the list scrolls to its end (a busy shop has thousands of rows).
  useEffect(() => {
    const last = items.at(-1);
    if (more && last && last.index >= rows.length - 5) onMore();
  }, [items, more, rows.length, onMore]);
  return (
    <section className="sy-panel sy-activity" data-testid="sync-activity">
      <h3>{t('sync.activity.title')}</h3>
      <div className="sy-act-scroll" ref={scroller}>
        {rows.length === 0 && <p className="muted sy-empty">{t('sync.activity.none')}</p>}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = rows[v.index];
            const text = activityText(t, zh, r);
            return (
              <div
                key={v.key}
                className={`sy-act-row ${r.ok ? '' : 'bad'}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ACTIVITY_ROW, transform: `translateY(${v.start}px)` }}
                data-testid="sync-activity-row"
                data-kind={r.kind}
              >
                <span className="sy-act-time">{timeText(r.at, i18n.language)}</span>
                <span className="tag">{platformWord(t, r.platform)}</span>
                <span className="sy-act-mark" role="img" aria-label={r.ok ? t('sync.activity.ok') : t('sync.activity.failed')}>
                  {r.ok ? '✓' : '✕'}
                </span>
                <span className="sy-act-text" title={text}>
                  {text}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** 全量对账: every mapped SKU's figure on each shop against what it should be; drift repaired and listed. */
function Reconcile({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<SyncReconcileReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await syncApi.reconcile());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sy-reconcile" data-testid="sync-reconcile">
      <button type="button" className="btn" disabled={busy || disabled} onClick={() => void run()} data-testid="sync-reconcile-run">
        {busy ? t('sync.reconcile.running') : t('sync.reconcile.button')}
      </button>
      {error && <p className="settings-error">{error}</p>}
      {report && (
        <ul className="sy-rec-list" data-testid="sync-reconcile-report">
          {report.platforms.map((p) => (
            <li key={p.platform}>
              <strong>{platformWord(t, p.platform)}</strong>{' '}
              {p.ok ? t('sync.reconcile.summary', { checked: p.checked, drift: p.drifts.length, repaired: p.repaired, missing: p.missing }) : reasonText(t, { message: p.error ?? '' })}
              {p.drifts.slice(0, 5).map((d) => (
                <div key={d.skuId} className="muted">
                  {t('sync.reconcile.drift', { name: d.skuName, was: d.platformQty, should: d.expectedQty })}
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function StatusTab() {
  const { t } = useTranslation();
  const [status, setStatusHere] = useState<SyncStatusView | null>(null);
  const share = useSyncStatus((s) => s.set);
  const setStatus = useCallback((s: SyncStatusView) => {
    setStatusHere(s);
    share(s); // the status bar's light shows the same
  }, [share]);
  const [dead, setDead] = useState<DeadLetter[]>([]);
  const [activity, setActivity] = useState<ActivityRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<{ startBacklog: number } | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: Said } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const loadingMore = useRef(false);

  const load = useCallback(async () => {
    try {
      // The newest page of activity replaces what was shown (older pages load again on scroll).
      const [s, d, a] = await Promise.all([syncApi.status(), syncApi.deadLetters(), syncApi.activity()]);
      setStatus(s);
      setDead(d);
      setActivity(a.items);
      setCursor(a.nextCursor);
      setError(null);
      setNow(Date.now());
    } catch (e) {
      setError(errorText(e));
    }
  }, [setStatus]);
  const more = useCallback(async () => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    try {
      const a = await syncApi.activity(cursor);
      setActivity((rows) => [...rows, ...a.items.filter((i) => !rows.some((r) => r.id === i.id))]);
      setCursor(a.nextCursor);
    } catch (e) {
      setError(errorText(e));
    } finally {
      loadingMore.current = false;
    }
  }, [cursor]);
  useEffect(() => {
    void load();
    const id = window.setInterval(() => void load(), running ? RUNNING_REFRESH_MS : REFRESH_MS);
    return () => window.clearInterval(id);
  }, [load, running]);

  const backlog = status?.backlog ?? 0;
  const syncNow = async () => {
    setRunning({ startBacklog: backlog });
    setResult(null);
    try {
      const s = await syncApi.now();
      setStatus(s);
      const failed = s.platforms.filter((p) => p.enabled && p.connected === false).length;
      setResult({ ok: failed === 0 && s.backlog === 0, text: (tt) => [tt('sync.now.done', { backlog: s.backlog, dead: s.deadLetters }), failed ? tt('sync.light.errors', { count: failed }) : ''].filter(Boolean).join(' · ') });
    } catch (e) {
      setResult({ ok: false, text: errorText(e) });
    } finally {
      setRunning(null);
      void load();
    }
  };
  const platforms = status?.platforms ?? [];
  const enabled = platforms.filter((p) => p.enabled);
  const progress = running && running.startBacklog > 0 ? Math.min(1, Math.max(0, (running.startBacklog - backlog) / running.startBacklog)) : null;

  return (
    <div className="sy-status">
      <div className="sy-top">
        <div className="sy-cards">
          {status === null && !error && <p className="muted">{t('app.loading')}</p>}
          {status !== null && enabled.length === 0 && (
            <p className="sy-none" data-testid="sync-none">
              {t('sync.light.none')} · {t('sync.noneHelp')}
            </p>
          )}
          {platforms
            .filter((p) => p.enabled || p.configured)
            .map((p) => (
              <PlatformCard key={p.platform} p={p} now={now} />
            ))}
        </div>
        <div className="sy-now">
          <button type="button" className="btn primary sy-now-btn" disabled={!!running || enabled.length === 0} onClick={() => void syncNow()} data-testid="sync-now">
            {running ? t('sync.now.running') : t('sync.now.button')}
          </button>
          {running && (
            <div className="sy-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress === null ? undefined : Math.round(progress * 100)} data-testid="sync-progress">
              <div className="sy-progress-track">
                <div className={`sy-progress-bar ${progress === null ? 'indeterminate' : ''}`} style={progress === null ? undefined : { width: `${Math.round(progress * 100)}%` }} />
              </div>
              <small className="muted">{t('sync.now.left', { count: backlog })}</small>
            </div>
          )}
          {result && (
            <p className={result.ok ? 'settings-ok' : 'settings-error'} data-testid="sync-now-result">
              {said(t, result.text)}
            </p>
          )}
          {!running && !result && <small className="muted">{t('sync.now.help')}</small>}
          <Reconcile disabled={!!running || enabled.length === 0} />
        </div>
      </div>
      {error && (
        <p className="settings-error" role="alert" data-testid="sync-error">
          {error}
        </p>
      )}
      <div className="sy-lists">
        <DeadLetters rows={dead} onChanged={() => void load()} />
        <Activity rows={activity} more={!!cursor} onMore={() => void more()} />
      </div>
    </div>
  );
}

export function SyncScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('status');
  return (
    <section className="settings sync-screen" data-testid="screen-sync">
      <TabBar<Tab> tabs={TABS} current={tab} onSelect={setTab} label={(k) => t(`sync.tabs.${k}`)} testIdPrefix="sync-tab-" />
      <div className="settings-body sy-body">{tab === 'status' ? <StatusTab /> : tab === 'mapping' ? <MappingTab /> : <SafetyTab />}</div>
    </section>
  );
}
