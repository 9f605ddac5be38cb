// One online order at the counter: its lines with pictures (or the name's first character), ordered and
// already collected, and what leaves now (ticked, with − / + for a part: two now, one later). 确认交付
// hands them over (pickup.handOver with one key per confirmation: a retry after a lost answer moves
// nothing twice), prints the slip and, when nothing is left, verifies the code on the platform.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OnlineOrderDetail, PickupResultView } from '../../../../shared/api';
import { formatYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { beepError, beepOk } from '../../feedback';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const newKey = () => `pickup-${crypto.randomUUID()}`;

export function PickupOrder({ order: first, code, onDone }: { order: OnlineOrderDetail; code: string | null; onDone?(r: PickupResultView): void }) {
  const { t } = useTranslation();
  const [order, setOrder] = useState(first);
  const initial = useMemo(() => Object.fromEntries(first.lines.map((l) => [l.lineNo, l.reservedQty])) as Record<number, number>, [first]);
  const [now, setNow] = useState<Record<number, number>>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState<PickupResultView | null>(null);
  // One key per confirmation of one selection: resent as is after a lost answer or an unknown verify.
  const [key, setKey] = useState(newKey);
  const total = Object.values(now).reduce((n, q) => n + q, 0);
  const open = order.lines.reduce((n, l) => n + l.reservedQty, 0);

  const set = (lineNo: number, qty: number) => {
    setNow((m) => ({ ...m, [lineNo]: qty }));
    setError('');
    if (result) {
      setResult(null);
      setKey(newKey());
    }
  };

  const [sent, setSent] = useState<{ lineNo: number; qty: number }[]>([]);
  const confirm = async (again = false) => {
    const lines = again
      ? sent
      : Object.entries(now)
          .filter(([, q]) => q > 0)
          .map(([lineNo, qty]) => ({ lineNo: Number(lineNo), qty }));
    if (!lines.length) return setError(t('pickup.nothingTicked'));
    setBusy(true);
    setError('');
    setSent(lines);
    try {
      const r = await call('pickup.handOver', code ? { orderId: order.id, code, lines, key } : { orderId: order.id, lines, key });
      beepOk();
      setResult(r);
      setOrder(r.order);
      setNow(Object.fromEntries(r.order.lines.map((l) => [l.lineNo, 0])));
      // An unknown verify keeps the key (再点一次 retries it); otherwise the next selection gets a new one.
      if (r.platform !== 'unknown') setKey(newKey());
      onDone?.(r);
    } catch (e) {
      beepError();
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pickup-order" data-testid="pickup-order" data-order-id={order.id}>
      <div className="pickup-order-head">
        <strong data-testid="pickup-order-no">{t('pickup.order', { no: order.platformOrderId })}</strong>
        <span className="muted">
          {/* the phone as the main side gives it to this role: 138****5678 below manager */}
          {order.buyerName ?? ''} {order.buyerPhone ? `· ${order.buyerPhone}` : ''} · {formatYuan(order.payAmountFen)}
        </span>
        <span className={`pickup-state ${open === 0 ? 'done' : ''}`} data-testid="pickup-order-state">
          {open === 0 ? t('pickup.allTaken') : t(`pickup.sync.${order.syncState}`, { defaultValue: order.syncState })}
        </span>
        <span className="muted small-note">{code ? `${t('pickup.code')} ${code}` : t('pickup.noCode')}</span>
      </div>
      <table className="pickup-lines">
        <thead>
          <tr>
            <th aria-label={t('pickup.picture')} />
            <th>{t('pickup.col.item')}</th>
            <th>{t('pickup.col.ordered')}</th>
            <th>{t('pickup.col.handed')}</th>
            <th>{t('pickup.col.now')}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => {
            const q = now[l.lineNo] ?? 0;
            const name = l.skuName ?? `#${l.itemId}`;
            return (
              <tr key={l.lineNo} data-testid="pickup-line" data-line={l.lineNo} className={q > 0 ? 'ticked' : ''}>
                <td>
                  {l.imageUrl ? <img className="pickup-pic" src={l.imageUrl} alt="" /> : <span className="pickup-pic pickup-pic-none">{name.slice(0, 1)}</span>}
                </td>
                <td>
                  <div>{name}</div>
                  {l.spec && !name.includes(l.spec) && <small className="muted">{l.spec}</small>}
                </td>
                <td className="num">{l.qty}</td>
                <td className="num" data-testid="pickup-line-handed">{l.handedQty}</td>
                <td>
                  {l.reservedQty > 0 ? (
                    <span className="pickup-stepper">
                      <button type="button" className="btn" aria-label={t('pickup.less')} disabled={q <= 0} onClick={() => set(l.lineNo, q - 1)} data-testid="pickup-less">
                        −
                      </button>
                      <span className="pickup-now num" data-testid="pickup-now">
                        {q}
                      </span>
                      <button type="button" className="btn" aria-label={t('pickup.more')} disabled={q >= l.reservedQty} onClick={() => set(l.lineNo, q + 1)} data-testid="pickup-more">
                        +
                      </button>
                      <button type="button" className={`btn pickup-tick ${q > 0 ? 'on' : ''}`} onClick={() => set(l.lineNo, q > 0 ? 0 : l.reservedQty)} data-testid="pickup-tick" aria-pressed={q > 0}>
                        {q > 0 ? '✓ ' : ''}
                        {q > 0 ? t('pickup.tick') : t('pickup.untick')}
                      </button>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {result && (
        <div className={`pickup-result ${result.platform === 'unknown' || result.platform === 'refused' ? 'warn' : 'ok'}`} role="status" data-testid="pickup-result" data-platform={result.platform}>
          <div>
            ✓ {t('pickup.handed', { n: result.moved.reduce((n, m) => n + m.qty, 0) })} · {result.slipJobId ? t('pickup.slip') : t('pickup.noSlip')}
          </div>
          {/* The state in the screen's language (the main side's words are Chinese): by its code. */}
          <div data-testid="pickup-platform-text">{result.platform === 'refused' ? result.platformText : t(`pickup.platformState.${result.platform}`, { n: result.openQty })}</div>
        </div>
      )}
      {error && (
        <div className="pickup-error" role="alert" data-testid="pickup-error">
          ⚠ {error}
        </div>
      )}
      <div className="pickup-actions">
        {open > 0 && (
          <button type="button" className="btn" onClick={() => setNow(Object.fromEntries(order.lines.map((l) => [l.lineNo, l.reservedQty])))} data-testid="pickup-all">
            {t('pickup.all')}
          </button>
        )}
        {result?.platform === 'unknown' ? (
          <button type="button" className="btn primary big" disabled={busy} onClick={() => void confirm(true)} data-testid="pickup-retry">
            {t('pickup.again')}
          </button>
        ) : (
          open > 0 && (
            <button type="button" className="btn primary big" disabled={busy || total === 0} onClick={() => void confirm()} data-testid="pickup-confirm">
              {t('pickup.confirm', { n: total })}
            </button>
          )
        )}
      </div>
    </div>
  );
}
