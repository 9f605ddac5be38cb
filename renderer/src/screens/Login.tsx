import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginUser } from '../../../shared/api';
import { ApiCallError, call } from '../api/client';
import { Keypad } from '../components/Keypad';
import { beepError } from '../feedback';
import { setLanguage } from '../i18n';
import { LEVEL, useLayer } from '../keys/layers';
import { useSession } from '../stores/session';

export function Login() {
  const { t, i18n } = useTranslation();
  const [users, setUsers] = useState<LoginUser[]>([]);
  const [userId, setUserId] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const setSession = useSession((s) => s.setSession);

  const loadUsers = () => call('auth.users', {}).then(setUsers);
  useEffect(() => {
    void loadUsers();
  }, []);

  const submit = async () => {
    if (!userId) return setError(t('login.pickUser'));
    if (busy || pin.length < 4) return;
    setBusy(true);
    try {
      setSession(await call('auth.login', { userId, pin }));
    } catch (e) {
      beepError();
      setError(e instanceof ApiCallError ? e.message : String(e));
      setPin('');
      void loadUsers();
    } finally {
      setBusy(false);
    }
  };

  // A PIN is never scanned: the scanner's digits already went into the PIN, so it starts again.
  useLayer(
    {
      onScan: () => {
        beepError();
        setPin('');
        setError(t('scans.pinNoScan'));
        return true;
      },
    },
    LEVEL.screen,
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^\d$/.test(e.key)) setPin((p) => (p.length < 8 ? p + e.key : p));
      else if (e.key === 'Backspace') setPin((p) => p.slice(0, -1));
      else if (e.key === 'Enter') void submit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div className="login" data-ready="login">
      {/* The language is chosen before logging in too: a cashier who reads English starts in English. */}
      <button
        type="button"
        className="btn login-lang"
        data-testid="login-lang"
        onClick={() => {
          setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en');
          setError('');
        }}
      >
        {t('status.language')}
      </button>
      <h1>{t('login.title')}</h1>
      <div className="login-body">
        <ul className="user-list">
          {users.map((u) => (
            <li key={u.id}>
              <button
                type="button"
                className={`user ${u.id === userId ? 'selected' : ''}`}
                onClick={() => {
                  setUserId(u.id);
                  setError('');
                  setPin('');
                }}
                data-testid={`user-${u.name}`}
              >
                <span className="user-name">{u.name}</span>
                <span className="user-role">
                  {t(`role.${u.role}`)}
                  {u.locked ? ` · ${t('login.locked')}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <div className="pin-pad">
          <div className="pin-dots" aria-label={t('login.pin')} data-testid="pin-dots">
            {Array.from({ length: Math.max(4, pin.length) }, (_, i) => (
              <span key={i} className={i < pin.length ? 'dot on' : 'dot'} />
            ))}
          </div>
          <div className="error-line" role="alert" data-testid="login-error">
            {error}
          </div>
          <Keypad
            onDigit={(d) => setPin((p) => (p.length < 8 ? p + d : p))}
            onBack={() => setPin((p) => p.slice(0, -1))}
            onClear={() => setPin('')}
            onEnter={() => void submit()}
            enterLabel={t('login.enter')}
            clearLabel={t('login.clear')}
            backLabel={t('login.back')}
          />
        </div>
      </div>
    </div>
  );
}
