import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusLight } from '../../../shared/api';
import { setLanguage } from '../i18n';
import { useSession } from '../stores/session';
import { requestLogout } from '../screens/checkout/LogoutDialog';
import { SyncLight } from '../screens/sync/SyncLight';

const light = (state: string | undefined) =>
  state === 'ok' ? 'green' : state === 'warn' ? 'amber' : state === 'error' ? 'red' : 'grey';

type T = (k: string, o?: Record<string, unknown>) => string;
/** A light's words: the main side's Chinese as it is, in English by its code (device state or status code). */
export function lightText(t: T, zh: boolean, l: StatusLight | undefined): string {
  if (!l) return '';
  if (zh || !l.code) return l.message;
  const word = t(`counter.status.${l.code}`, { defaultValue: '' }) || t(`devices.state.${l.code}`, { defaultValue: l.code });
  return l.waiting ? `${word} · ${t('counter.status.waiting', { count: l.waiting })}` : word;
}

export function StatusBar() {
  const { t, i18n } = useTranslation();
  const { info, session, status } = useSession();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 15_000);
    return () => window.clearInterval(id);
  }, []);
  const shiftOpen = status?.shift.open;
  const zh = i18n.language.startsWith('zh');
  const printerText = lightText(t as T, zh, status?.printer);
  const syncText = lightText(t as T, zh, status?.sync);
  return (
    <header className="status-bar">
      <div className="shop">
        <strong>{info?.shopName}</strong>
        <span className="muted">
          {t('app.till')} {info?.tillId}
        </span>
      </div>
      <div className="lights">
        <span className="light" title={printerText} data-testid="printer-status">
          <i className={`dot ${light(status?.printer.state)}`} /> {t('status.printer')}
          <small>{printerText}</small>
        </span>
        <SyncLight fallback={{ color: light(status?.sync.state), word: syncText }} />
        <span className="light" data-testid="shift-status">
          <i className={`dot ${shiftOpen ? 'green' : 'amber'}`} /> {t('status.shift')}
          <small>{shiftOpen ? t('status.shiftOpen') : t('status.shiftClosed')}</small>
        </span>
      </div>
      <div className="who">
        <span data-testid="current-user">
          {session?.name} · {session ? t(`role.${session.role}`) : ''}
        </span>
        <span className="clock">
          {now.toLocaleString(i18n.language, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })}
        </span>
        <button
          type="button"
          className="btn small"
          data-testid="lang-switch"
          onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
        >
          {t('status.language')}
        </button>
        <button type="button" className="btn small" onClick={() => void requestLogout()} data-testid="logout">
          {t('status.logout')}
        </button>
      </div>
    </header>
  );
}
