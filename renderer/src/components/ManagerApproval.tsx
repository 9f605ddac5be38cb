// 店长授权: the manager types their PIN on the same screen (no logout). auth.approve returns a
// single-use token for this one action; the caller retries its call with it.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client';
import { beepError } from '../feedback';
import { useLayer } from '../scan-router';
import { useApproval } from '../stores/approval';
import { NumPad } from './NumPad';

export function ManagerApproval() {
  const pending = useApproval((s) => s.pending);
  if (!pending) return null;
  return <ApprovalDialog key={pending.action + pending.reason} />;
}

function ApprovalDialog() {
  const { t } = useTranslation();
  const pending = useApproval((s) => s.pending)!;
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useLayer({ onEsc: () => pending.resolve(null), onScan: () => true /* a scan now would be a mistake */ });
  useEffect(() => input.current?.focus(), []);

  const submit = async () => {
    if (busy || pin.length < 4) return;
    setBusy(true);
    try {
      const a = await call('auth.approve', { pin, action: pending.action });
      pending.resolve(a.token);
    } catch (e) {
      beepError();
      setError(e instanceof ApiCallError ? e.message : String(e));
      setPin('');
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  const actionLabel = t(`approval.actions.${pending.action}`, { defaultValue: pending.action });

  return (
    <div className="backdrop backdrop-top">
      <section className="dialog approval" role="dialog" aria-modal="true" data-testid="manager-approval">
        <header className="dialog-head">
          <h2>{t('approval.title')}</h2>
          <button type="button" className="btn dialog-close" onClick={() => pending.resolve(null)}>
            {t('common.cancel')} <kbd>Esc</kbd>
          </button>
        </header>
        <div className="dialog-body approval-body">
          <p className="approval-what">
            {t('approval.for')}：<strong data-testid="approval-action">{actionLabel}</strong>
          </p>
          {pending.reason && <p className="muted">{pending.reason}</p>}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <input
              ref={input}
              className="pin-field"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={8}
              value={pin}
              placeholder={t('approval.pin')}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
              data-testid="approval-pin"
            />
          </form>
          <div className="error-line" role="alert" data-testid="approval-error">
            {error}
          </div>
          <NumPad
            dot={false}
            onKey={(k) =>
              setPin((p) => (k === 'Backspace' ? p.slice(0, -1) : k === 'Clear' ? '' : /^\d$/.test(k) && p.length < 8 ? p + k : p))
            }
            onEnter={() => void submit()}
            enterLabel={t('approval.approve')}
            testId="approval-pad"
          />
        </div>
      </section>
    </div>
  );
}
