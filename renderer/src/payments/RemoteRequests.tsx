// 远程收款 in the held-cart dialog (挂单): a payment request for a held cart (payments.requestCreate, its
// poster to send to the customer), and the list of requests with their state in words. The main side
// polls the platforms and turns a paid held cart into a sale; this list only shows it, refreshed on the
// 'payment' events (and every few seconds while one is open, in case an event was missed).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentProviderName, PaymentRequestView } from '../../../shared/api/payments';
import { ApiCallError, call, on } from '../api/client';
import { formatYuan } from '../../../shared/money';
import { PosterDialog } from './PosterDialog';

const REFRESH_MS = 5000;

/** The 微信 / 支付宝 远程收款 buttons of one held cart. */
export function RemoteRequestButtons({ heldId, onCreated, onError }: { heldId: string; onCreated(id: string): void; onError(e: unknown): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const create = async (provider: PaymentProviderName) => {
    setBusy(true);
    try {
      const r = await call('payments.requestCreate', { requestId: crypto.randomUUID(), provider, heldCartId: heldId });
      onCreated(r.attempt.id);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="remote-buttons">
      {(['wechat', 'alipay'] as const).map((p) => (
        <button key={p} type="button" className="btn small" disabled={busy} onClick={() => void create(p)} data-testid={`remote-${p}`}>
          {t('payments.remote.ask', { provider: t(`payments.provider.${p}`) })}
        </button>
      ))}
    </span>
  );
}

/** Open remote payment requests and those of the last day, newest first; opens a new one's poster. */
export function RemoteRequestList({ posterFor, onPosterClosed, onChanged }: { posterFor: string | null; onPosterClosed(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const [list, setList] = useState<PaymentRequestView[] | null>(null);
  const [poster, setPoster] = useState<string | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(() => {
    call('payments.requests', {}).then(setList, (e: unknown) => {
      // A till without electronic payments set up has no requests to show.
      if (!(e instanceof ApiCallError && (e.code === 'PAYMENTS_OFF' || e.code === 'FORBIDDEN'))) setError(e instanceof Error ? e.message : String(e));
      setList([]);
    });
  }, []);
  useEffect(load, [load, posterFor]);
  useEffect(() => setPoster(posterFor), [posterFor]);
  useEffect(
    () =>
      on('payment', (a) => {
        if (a.kind !== 'remote') return;
        load();
        if (a.final) onChanged(); // a paid held cart left the list of held carts
      }),
    [load, onChanged],
  );
  const anyOpen = !!list?.some((r) => r.open);
  useEffect(() => {
    if (!anyOpen) return;
    const timer = window.setInterval(load, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [anyOpen, load]);
  const cancel = (id: string) => {
    setError('');
    call('payments.requestCancel', { id }).then(load, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  if (!list?.length && !error) return null;
  return (
    <section className="remote-list" data-testid="remote-list">
      <h3>{t('payments.remote.title')}</h3>
      <ul>
        {list?.map((r) => (
          <li key={r.attempt.id} className={r.open ? 'remote-open' : r.attempt.state === 'SUCCESS' ? 'remote-paid' : 'remote-closed'} data-testid="remote-request" data-state={r.attempt.state} data-outcome={r.outcome ?? ''}>
            <span className="remote-main">
              <span>
                {t(`payments.provider.${r.attempt.provider}`)} {formatYuan(r.attempt.amountFen)} ·{' '}
                {r.cartText ?? (r.orderRef ? `${r.orderRef.platform} ${r.orderRef.platformOrderId}` : r.heldCartId ? t('payments.remote.held') : t('payments.kind.remote'))}
                {r.note ? ` · ${r.note}` : ''}
              </span>
              <small data-testid="remote-words">{r.words}</small>
            </span>
            {r.open && (
              <span className="remote-actions">
                <button type="button" className="btn small" onClick={() => setPoster(r.attempt.id)} data-testid="remote-poster">
                  {t('payments.poster.make')}
                </button>
                <button type="button" className="btn small" onClick={() => cancel(r.attempt.id)} data-testid="remote-cancel">
                  {t('payments.remote.cancel')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {error && <p className="settings-error">{error}</p>}
      {poster && (
        <PosterDialog
          attemptId={poster}
          onClose={() => {
            setPoster(null);
            onPosterClosed();
          }}
        />
      )}
    </section>
  );
}
