// The status bar's sync light: one dot and a word for all the online shops together, and on a tap a
// popover with each platform's state (connected, last success, backlog, error). Polled lightly in
// the background (a call every POLL_MS while the page is visible, never awaited by anything else),
// so a slow or stopped sync never holds up the counter. A till with no shop set up says so.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEVEL, useLayer } from '../../keys/layers';
import { screensFor, useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { syncApi } from './api';
import { useSyncStatus } from './store';
import { agoText, lightOf, platformWord, reasonText } from './words';
import './light.css';

const POLL_MS = 20_000;

/** Esc closes the open popover as it closes any dialog (a layer lives while it is mounted). */
function EscCloses({ onEsc }: { onEsc(): void }) {
  useLayer({ onEsc }, LEVEL.dialog);
  return null;
}

/** fallback: the till's own sync light (app.status), shown while the sync status cannot be read. */
export function SyncLight({ fallback }: { fallback: { color: string; word: string } }) {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const go = useNav((s) => s.go);
  const { status, failed, set } = useSyncStatus();
  const list = status?.platforms ?? null;
  const [open, setOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  // The popover is placed fixed under the light: the status bar's row of lights clips what overflows it.
  const [at, setAt] = useState<{ top: number; left: number }>({ top: 0, left: 0 });
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!session) return;
    let live = true;
    let timer = 0;
    const poll = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const s = await syncApi.status();
          if (live) {
            set(s);
            setNow(Date.now());
          }
        } catch {
          if (live) set(null, true);
        }
      }
      if (live) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [session, set]);

  // A tap outside closes the popover; Esc closes it as it closes any dialog.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const shown = (list ?? []).filter((p) => p.enabled);
  const { color, word } = list === null && failed && fallback.word ? fallback : lightOf(shown, failed, t);
  const canOpenScreen = session && screensFor(session.role).includes('sync');
  return (
    <div className="sync-light-box" ref={box}>
      <button
        type="button"
        className="light sync-light"
        title={word}
        aria-expanded={open}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setAt({ top: r.bottom + 6, left: Math.max(8, Math.min(r.left, window.innerWidth - 360)) });
          setOpen((o) => !o);
          setNow(Date.now());
        }}
        data-testid="sync-status"
        data-state={color}
      >
        <i className={`dot ${color}`} /> {t('status.sync')}
        <small>{word}</small>
      </button>
      {open && (
        <EscCloses onEsc={() => setOpen(false)} />
      )}
      {open && (
        <div className="sync-pop" style={at} role="dialog" aria-label={t('sync.light.title')} data-testid="sync-popover">
          <h3>{t('sync.light.title')}</h3>
          {shown.length === 0 ? (
            <p className="muted" data-testid="sync-pop-none">
              {failed ? t('sync.light.unknown') : t('sync.light.none')}
            </p>
          ) : (
            <ul>
              {shown.map((p) => {
                const l = lightOf([p], false, t);
                return (
                  <li key={p.platform} data-testid={`sync-pop-${p.platform}`}>
                    <span className="sync-pop-name">
                      <i className={`dot ${l.color}`} /> {platformWord(t, p.platform)}
                    </span>
                    <span className="sync-pop-word">{l.word}</span>
                    <small className="muted">
                      {p.lastSuccessAt ? t('sync.lastSuccess', { ago: agoText(t, now - p.lastSuccessAt, i18n.language) }) : t('sync.neverSucceeded')}
                      {' · '}
                      {t('sync.backlog', { count: p.backlog })}
                    </small>
                    {p.lastError && p.connected !== true && <small className="sync-pop-err">{reasonText(t, p.lastError)}</small>}
                  </li>
                );
              })}
            </ul>
          )}
          {canOpenScreen && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setOpen(false);
                go('sync');
              }}
              data-testid="sync-pop-open"
            >
              {t('sync.light.openScreen')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
