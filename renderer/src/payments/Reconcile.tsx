// 对账 (manager): the business day's electronic payments per provider and state, and every attempt
// with UNKNOWN and mismatched ones first (the main side orders them: payments.reconcile). 查询 asks the
// platform again; 撤销 cancels a payment no sale took (refunded when it had been paid) after a
// confirmation that names the amount. Both are manager-only and audited on the main side.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentAttemptView, ReconcileView } from '../../../shared/api/payments';
import { formatYuan } from '../../../shared/money';
import { call } from '../api/client';
import { Dialog } from '../components/Dialog';
import './payments.css';

type Row = ReconcileView['rows'][number];

/** 撤销 makes sense for a payment no sale took that is not already over without money. */
export function canReverse(r: Pick<PaymentAttemptView, 'saleId' | 'state' | 'kind'>): boolean {
  return !r.saleId && (r.state === 'SUCCESS' || r.state === 'UNKNOWN' || r.state === 'USERPAYING' || r.state === 'PENDING' || r.state === 'CREATED');
}
/** 查询 for anything not final, or a received payment with something to check. */
export function canQuery(r: Row): boolean {
  return !r.final || r.issues.length > 0;
}

const time = (at: number) => new Date(at).toLocaleTimeString('zh-CN', { hour12: false });

export function Reconcile() {
  const { t } = useTranslation();
  const [day, setDay] = useState('');
  const [view, setView] = useState<ReconcileView | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Row | null>(null);

  const load = useCallback(
    async (d = day) => {
      try {
        const v = await call('payments.reconcile', d ? { businessDay: d } : {});
        setView(v);
        if (!d) setDay(v.businessDay);
      } catch (e) {
        setNote({ ok: false, text: (e as Error).message });
      }
    },
    [day],
  );
  useEffect(() => {
    void load('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function act(kind: 'query' | 'reverse', r: Row) {
    setBusy(r.id);
    setNote(null);
    try {
      const a = await call(kind === 'query' ? 'payments.query' : 'payments.reverse', { id: r.id });
      setNote({ ok: true, text: t('payments.reconcile.after', { no: r.outTradeNo, words: stateText(a) }) });
    } catch (e) {
      setNote({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(null);
      await load();
    }
  }

  const stateText = (a: Pick<PaymentAttemptView, 'state' | 'kind'>) => t(`payments.state.${a.kind === 'code' ? 'code' : 'qr'}.${a.state}`);

  return (
    <section className="recon" data-testid="screen-reconcile" data-ready={view ? 'yes' : 'no'}>
      <header className="report-head recon-head">
        <h2>{t('payments.reconcile.title')}</h2>
        <label className="range-field">
          {t('payments.reconcile.day')}
          <input
            type="date"
            value={day}
            onChange={(e) => {
              setDay(e.target.value);
              if (e.target.value) void load(e.target.value);
            }}
            data-testid="recon-day"
          />
        </label>
        <button type="button" className="btn" onClick={() => void load()} data-testid="recon-refresh">
          {t('payments.reconcile.refresh')}
        </button>
      </header>
      {note && (
        <p className={note.ok ? 'settings-ok' : 'settings-error'} data-testid="recon-note" role={note.ok ? undefined : 'alert'}>
          {note.text}
        </p>
      )}
      {view && (
        <>
          <div className="recon-totals" data-testid="recon-totals">
            {view.totals.length === 0 && <p className="muted">{t('payments.reconcile.none')}</p>}
            {view.totals.map((x) => (
              <div key={`${x.provider}-${x.state}`} className={`fig-card recon-total state-${x.state}`} data-testid={`recon-total-${x.provider}-${x.state}`}>
                <span>
                  {t(`payments.provider.${x.provider}`)} · {t(`payments.state.code.${x.state}`)}
                </span>
                <strong>
                  {t('payments.reconcile.count', { count: x.count })} · {formatYuan(x.amountFen)}
                </strong>
              </div>
            ))}
          </div>
          <div className="recon-scroll">
            <table className="recon-table" data-testid="recon-rows">
              <thead>
                <tr>
                  <th>{t('payments.reconcile.time')}</th>
                  <th>{t('payments.reconcile.provider')}</th>
                  <th className="num">{t('payments.reconcile.amount')}</th>
                  <th>{t('payments.reconcile.state')}</th>
                  <th>{t('payments.reconcile.issues')}</th>
                  <th>{t('payments.reconcile.receipt')}</th>
                  <th>{t('payments.reconcile.tradeNo')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {view.rows.map((r) => (
                  <tr key={r.id} className={r.issues.length ? 'recon-issue' : ''} data-testid="recon-row" data-state={r.state} data-id={r.id}>
                    <td>{time(r.createdAt)}</td>
                    <td>
                      {t(`payments.provider.${r.provider}`)}
                      <small className="muted"> {t(`payments.kind.${r.kind}`)}</small>
                    </td>
                    <td className="num">
                      {formatYuan(r.amountFen)}
                      {r.refundedFen > 0 && <small className="recon-refunded"> {t('payments.reconcile.refunded', { amount: formatYuan(r.refundedFen) })}</small>}
                    </td>
                    <td data-testid="recon-state">{stateText(r)}</td>
                    <td data-testid="recon-issues">
                      {r.issues.map((i) => (
                        <span key={i} className={`recon-tag ${i === 'unknown' ? 'bad' : ''}`}>
                          {t(`payments.issue.${i}`)}
                        </span>
                      ))}
                    </td>
                    <td>{r.receiptNo ?? '—'}</td>
                    <td className="recon-no">
                      {r.outTradeNo}
                      {r.codeMask && <small className="muted"> {r.codeMask}</small>}
                    </td>
                    <td className="recon-actions">
                      {canQuery(r) && (
                        <button type="button" className="btn small" disabled={busy !== null} onClick={() => void act('query', r)} data-testid="recon-query">
                          {busy === r.id ? t('payments.reconcile.working') : t('payments.reconcile.query')}
                        </button>
                      )}
                      {canReverse(r) && (
                        <button type="button" className="btn small st-danger" disabled={busy !== null} onClick={() => setConfirm(r)} data-testid="recon-reverse">
                          {t('payments.reconcile.reverse')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {confirm && (
        <Dialog
          title={t('payments.reconcile.reverseTitle')}
          testId="recon-reverse-confirm"
          onClose={() => setConfirm(null)}
          footer={
            <div style={{ display: 'flex', gap: 12, justifyContent: 'flex-end' }}>
              <button type="button" className="btn" onClick={() => setConfirm(null)} data-testid="recon-reverse-cancel">
                {t('payments.reconcile.keep')} <kbd>Esc</kbd>
              </button>
              <button
                type="button"
                className="btn primary"
                onClick={() => {
                  const r = confirm;
                  setConfirm(null);
                  void act('reverse', r);
                }}
                data-testid="recon-reverse-ok"
              >
                {t('payments.reconcile.reverseOk')}
              </button>
            </div>
          }
        >
          <p className="big-note">
            {t('payments.reconcile.reverseText', {
              provider: t(`payments.provider.${confirm.provider}`),
              amount: formatYuan(confirm.amountFen),
              no: confirm.outTradeNo,
            })}
          </p>
        </Dialog>
      )}
    </section>
  );
}
