// WeChat Pay / Alipay on the payment screen (结算): a scanned payment code (付款码, payments.codePay)
// or a QR shown to the customer (主扫, payments.qrCreate), followed to a final state with the state in
// words (请在手机上输入密码 / 已收款 / 未确定，正在查询…). A received payment becomes a tender that
// sales.pay links by its attempt id; it is never charged again and cannot be removed from the list.
//
// The main side owns the no-double-charge rules (an attempt not final blocks the cart; a retried call
// with the same request id returns the same attempt). Here: one request id per scan, kept for a retry
// after a lost answer; the attempt is followed by its 'payment' events and, as a fallback when an
// event is missed (a reconnect), by reading it every few seconds.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentAttemptView, PaymentProviderName } from '../../../shared/api/payments';
import { formatYuan } from '../../../shared/money';
import { maskCode, paymentCodeKind } from '../../../shared/payment-code';
import { ApiCallError, call, on } from '../api/client';
import { useQrSvg } from './PaymentQr';
import { PosterDialog } from './PosterDialog';

export interface WalletTender {
  method: PaymentProviderName;
  amountFen: number;
  attemptId: string;
}

const POLL_MS = 3000;

export interface WalletPay {
  /** The attempt being followed (or the last one, final, until the next starts). */
  attempt: PaymentAttemptView | null;
  /** An attempt not final: nothing else may be paid until it is. */
  busy: boolean;
  error: string;
  /** A payment code scanned on the payment screen. Returns false when `code` is not a payment code. */
  scan(code: string, amountFen: number): boolean;
  /** A QR the customer scans; `ttlSeconds` longer for a poster sent to a group chat (远程收款). */
  showQr(provider: PaymentProviderName, amountFen: number, ttlSeconds?: number): void;
  cancelQr(): void;
  /** Retries the last call whose answer was lost (same request id: never a second charge). */
  retry(): void;
  retryable: boolean;
}

export function useWalletPay(onReceived: (t: WalletTender) => void): WalletPay {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState<PaymentAttemptView | null>(null);
  const [error, setError] = useState('');
  const [lost, setLost] = useState<(() => Promise<PaymentAttemptView>) | null>(null);
  const taken = useRef(new Set<string>());
  const received = useRef(onReceived);
  received.current = onReceived;

  const follow = useCallback((a: PaymentAttemptView) => {
    setAttempt((cur) => (cur && cur.id === a.id && cur.updatedAt > a.updatedAt ? cur : a));
    if (a.state === 'SUCCESS' && !a.saleId && !taken.current.has(a.id)) {
      taken.current.add(a.id);
      received.current({ method: a.provider, amountFen: a.amountFen, attemptId: a.id });
    }
  }, []);

  // What this cart already has: payments received before a restart, or one still running.
  useEffect(() => {
    call('payments.forCart', {})
      .then((c) => {
        for (const r of c.received) follow(r);
        if (c.pending) follow(c.pending);
      })
      .catch(() => undefined); // an empty cart or no payments set up: nothing to resume
  }, [follow]);

  const id = attempt?.id;
  const running = !!attempt && !attempt.final;
  useEffect(() => {
    if (!id) return;
    return on('payment', (a) => {
      if (a.id === id) follow(a);
    });
  }, [id, follow]);
  useEffect(() => {
    if (!id || !running) return;
    const timer = window.setInterval(() => {
      call('payments.attempt', { id }).then(follow, () => undefined);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [id, running, follow]);

  const run = useCallback(
    (send: () => Promise<PaymentAttemptView>, about = '') => {
      setError('');
      setLost(null);
      send().then(follow, (e: unknown) => {
        setError(about + (e instanceof Error ? e.message : String(e)));
        // The answer was lost: the call may have charged. Retry it as it was (same request id).
        if (e instanceof ApiCallError && (e.code === 'NETWORK' || e.code === 'INTERNAL')) setLost(() => send);
      });
    },
    [follow],
  );

  const scan = useCallback(
    (code: string, amountFen: number) => {
      const wallet = paymentCodeKind(code);
      if (!wallet) return false;
      if (running) {
        setError(t('payments.pay.waitFirst'));
        return true;
      }
      setAttempt(null);
      const requestId = crypto.randomUUID();
      // A refusal names the code masked (never whole), so the cashier knows which scan it was.
      const about = t('payments.pay.codeAbout', { wallet: t(`payments.provider.${wallet}`), code: maskCode(code) });
      run(() => call('payments.codePay', { requestId, code, amountFen }), about);
      return true;
    },
    [run, running, t],
  );

  const showQr = useCallback(
    (provider: PaymentProviderName, amountFen: number, ttlSeconds?: number) => {
      if (running) return setError(t('payments.pay.waitFirst'));
      setAttempt(null);
      const requestId = crypto.randomUUID();
      run(() => call('payments.qrCreate', { requestId, provider, amountFen, ...(ttlSeconds ? { ttlSeconds } : {}) }));
    },
    [run, running, t],
  );

  const cancelQr = useCallback(() => {
    if (!attempt || attempt.kind === 'code' || attempt.final) return;
    const qid = attempt.id;
    run(() => call('payments.qrCancel', { id: qid }));
  }, [attempt, run]);

  return {
    attempt,
    busy: running,
    error,
    scan,
    showQr,
    cancelQr,
    retry: () => lost && run(lost),
    retryable: !!lost,
  };
}

/** The state of the running (or last) electronic payment, in words, with the QR when one is shown. Its error goes on the screen's error line. */
export function WalletStatus({ pay, provider }: { pay: WalletPay; provider: PaymentProviderName | null }) {
  const { t } = useTranslation();
  const [poster, setPoster] = useState<string | null>(null);
  const a = pay.attempt;
  const qrUrl = a && a.kind !== 'code' && !a.final ? a.codeUrl : null;
  const svg = useQrSvg(qrUrl ?? '');
  if (!a && !pay.retryable && !provider) return null;
  const words = a ? t(`payments.state.${a.kind === 'code' ? 'code' : 'qr'}.${a.state}`) : null;
  return (
    <div
      className={`wallet-status ${a?.state === 'SUCCESS' ? 'ok' : a && a.final ? 'failed' : a ? 'running' : ''}`}
      data-testid="wallet-status"
      data-state={a?.state ?? ''}
      role="status"
    >
      {a ? (
        <>
          <div className="wallet-line">
            <strong>
              {t(`payments.provider.${a.provider}`)} {formatYuan(a.amountFen)}
            </strong>
            {a.codeMask && <small className="muted"> {a.codeMask}</small>}
          </div>
          <div className="wallet-words" data-testid="wallet-words">
            {words}
          </div>
          {a.final && a.state !== 'SUCCESS' && a.detail && <div className="wallet-detail">{a.detail}</div>}
          {qrUrl && svg && <div className="wallet-qr" data-testid="wallet-qr" dangerouslySetInnerHTML={{ __html: svg }} />}
          {qrUrl && (
            <div className="wallet-actions">
              <button type="button" className="btn" onClick={() => setPoster(a.id)} data-testid="wallet-poster">
                {t('payments.poster.make')}
              </button>
              <button type="button" className="btn" onClick={pay.cancelQr} data-testid="wallet-qr-cancel">
                {t('payments.pay.cancelQr')}
              </button>
            </div>
          )}
          {poster && <PosterDialog attemptId={poster} onClose={() => setPoster(null)} />}
        </>
      ) : (
        provider && <div className="wallet-words">{t('payments.pay.askCode', { wallet: t(`payments.provider.${provider}`) })}</div>
      )}
      {/* The refusal itself is on the payment screen's one error line (pay-error). */}
      {pay.retryable && (
        <button type="button" className="btn small" onClick={pay.retry} data-testid="wallet-retry">
          {t('payments.pay.retry')}
        </button>
      )}
    </div>
  );
}
