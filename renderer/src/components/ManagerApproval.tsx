// 店长授权: the manager types their PIN on the same screen (no logout). The dialog shows what exactly
// is approved (the ask's summary from the main side, e.g. "可口可乐 330ml ×1 5折 −¥1.50", or in English
// the sentence built from the ask's subject: i18n/approval-text.ts); auth.approve
// returns a single-use token for that ask only, and the caller retries its call with it. The manager
// may pick their name (their own lockout then counts); by default the PIN finds the manager.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_RANK, type LoginUser } from '../../../shared/api';
import { ApiCallError, call } from '../api/client';
import { beepError } from '../feedback';
import { approvalSummary, type NameBook } from '../i18n/approval-text';
import { LEVEL, useLayer } from '../keys/layers';
import { approvalGranted, useApproval } from '../stores/approval';
import { useCart } from '../stores/cart';
import { NumPad } from './NumPad';

/** How long "李店长 批准：…" stays on screen after the dialog closed. */
const GRANTED_MS = 4000;

export function ManagerApproval() {
  const pending = useApproval((s) => s.pending);
  if (!pending) return <GrantedNotice />;
  return <ApprovalDialog key={pending.ask.id + pending.reason} />;
}

function GrantedNotice() {
  const { t } = useTranslation();
  const granted = useApproval((s) => s.granted);
  useEffect(() => {
    if (!granted) return;
    const timer = setTimeout(() => useApproval.setState({ granted: null }), Math.max(0, granted.at + GRANTED_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [granted]);
  if (!granted) return null;
  return (
    <div className="approval-granted" role="status" data-testid="approval-granted">
      {t('approval.granted', { name: granted.approverName, summary: granted.summary })}
    </div>
  );
}

/** The cart's lines by line id and SKU id, then whatever the caller named (a receipt's lines …). */
function namesFor(extra: NameBook | undefined): NameBook {
  const lines = useCart.getState().view?.lines ?? [];
  return (id) => {
    const l = lines.find((x) => x.id === id || x.skuId === id);
    return l ? { name: l.name, unit: l.unit, weighed: l.weighed } : extra?.(id);
  };
}

function ApprovalDialog() {
  const { t, i18n } = useTranslation();
  const pending = useApproval((s) => s.pending)!;
  const summary = approvalSummary(pending.ask, i18n.language, namesFor(pending.names));
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [managers, setManagers] = useState<LoginUser[]>([]);
  /** null: any manager (the PIN finds them). */
  const [approverId, setApproverId] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useLayer(
    {
      onEsc: () => pending.resolve(null),
      // A PIN is never scanned (the key layer already took the code back out of the field): say so.
      onScan: () => {
        beepError();
        setError(t('scans.pinNoScan'));
        input.current?.focus();
        return true;
      },
      modal: true,
    },
    LEVEL.approval,
  );
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    let live = true;
    call('auth.users', {})
      .then((users) => live && setManagers(users.filter((u) => ROLE_RANK[u.role] >= ROLE_RANK.manager)))
      .catch(() => undefined); // the picker is optional: without it the PIN finds the manager
    return () => {
      live = false;
    };
  }, []);

  const submit = async () => {
    if (busy || pin.length < 4) return;
    setBusy(true);
    try {
      const a = await call('auth.approve', { pin, askId: pending.ask.id, ...(approverId ? { approverId } : {}) });
      approvalGranted(a.approverName, summary); // a.summary is the Chinese for the log
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
  const actionLabel = t(`approval.actions.${pending.ask.action}`, { defaultValue: pending.ask.action });

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
            {t('approval.for')} <strong data-testid="approval-action">{actionLabel}</strong>
          </p>
          <p className="approval-summary" data-testid="approval-summary">
            {summary}
          </p>
          {pending.reason && <p className="muted">{pending.reason}</p>}
          {managers.length > 1 && (
            <div className="seg" role="radiogroup" aria-label={t('approval.approver')}>
              {[null, ...managers].map((m) => (
                <button
                  key={m?.id ?? 'any'}
                  type="button"
                  role="radio"
                  aria-checked={approverId === (m?.id ?? null)}
                  className={`seg-btn${approverId === (m?.id ?? null) ? ' on' : ''}`}
                  disabled={!!m?.locked}
                  onClick={() => {
                    setApproverId(m?.id ?? null);
                    input.current?.focus();
                  }}
                  data-testid="approval-approver"
                  data-id={m?.id ?? ''}
                >
                  {m ? m.name : t('approval.anyManager')}
                  {m?.locked && <small>{t('approval.locked')}</small>}
                </button>
              ))}
            </div>
          )}
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
