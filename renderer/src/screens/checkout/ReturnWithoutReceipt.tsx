// 无小票退货: items by scan or product search, quantities, unit price (the catalog price, may be
// lowered, never raised), a required reason, cash out of the drawer; a cashier gets the manager's PIN
// on the spot. The refund steps (busy, error, key, approval) are useRefundFlow's.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SkuView } from '../../../../shared/api';
import { formatYuan, parseYuan } from '../../../../shared/money';
import { formatQty } from '../../../../shared/pricing';
import { call } from '../../api/client';
import { Money } from '../../components/Money';
import { beepError, beepOk } from '../../feedback';
import { errorText } from '../../stores/cart';
import { useSession } from '../../stores/session';
import { APPROVAL } from './actions';
import { RefundDone } from './RefundViews';
import type { ReturnTabProps } from './Returns';
import { ResultList } from './SearchPanel';
import { useRefundFlow, type Done } from './useRefundFlow';

interface NoReceiptItem {
  sku: SkuView;
  /** Thousandths of the sell unit (0 until a weighed item's weight is typed). */
  qty: number;
  /** What the field shows: a weighed item's weight in its unit, e.g. "1.5". */
  qtyText: string;
  priceText: string;
}

const yuanText = (fen: number) => (fen / 100).toFixed(2);

/** The unit price typed, or an error word: never above the catalog price. */
function priceOf(it: NoReceiptItem): { fen: number | null; error: 'badPrice' | 'priceTooHigh' | null } {
  try {
    const fen = parseYuan(it.priceText);
    if (fen < 0) return { fen: null, error: 'badPrice' };
    if (fen > it.sku.priceFen) return { fen: null, error: 'priceTooHigh' };
    return { fen, error: null };
  } catch {
    return { fen: null, error: 'badPrice' };
  }
}

function weightToQty(text: string): number {
  const s = text.normalize('NFKC').trim();
  if (!/^\d{0,4}(\.\d{0,3})?$/.test(s) || s === '' || s === '.') return 0;
  return Math.round(Number(s) * 1000);
}

const REASONS = ['reasonQuality', 'reasonUnwanted', 'reasonWrong', 'reasonDamaged'] as const;

export function ReturnWithoutReceipt({ tabs, scanRef }: ReturnTabProps) {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const [q, setQ] = useState('');
  const [items, setItems] = useState<NoReceiptItem[]>([]);
  const [reason, setReason] = useState('');
  const [info, setInfo] = useState('');
  const [done, setDone] = useState<Done | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => searchRef.current?.focus(), []);

  const flow = useRefundFlow((d) => {
    setDone(d);
    setItems([]);
    setReason('');
    setInfo('');
    setQ('');
  });
  const { busy, error, setError } = flow;

  const changed = () => setError('');
  const add = useCallback(
    (sku: SkuView, labelQty: number | null = null) => {
      setError('');
      setDone(null);
      setItems((list) => {
        const i = list.findIndex((x) => x.sku.skuId === sku.skuId);
        if (i >= 0 && !sku.weighed) {
          const next = [...list];
          next[i] = { ...next[i], qty: next[i].qty + 1000 };
          return next;
        }
        const qty = sku.weighed ? (labelQty ?? 0) : 1000;
        return [...list, { sku, qty, qtyText: sku.weighed && qty ? String(qty / 1000) : '', priceText: yuanText(sku.priceFen) }];
      });
      beepOk();
      setInfo(t('returns.noReceipt.added', { name: sku.name }));
    },
    [t, setError],
  );
  const update = (skuId: string, patch: Partial<NoReceiptItem>) => {
    changed();
    setItems((list) => list.map((x) => (x.sku.skuId === skuId ? { ...x, ...patch } : x)));
  };
  const remove = (skuId: string) => {
    changed();
    setItems((list) => list.filter((x) => x.sku.skuId !== skuId));
  };

  scanRef.current = (code: string) => {
    setError('');
    call('catalog.lookup', { code }).then(
      (r) => add(r.sku, r.qty),
      (e) => {
        beepError();
        setInfo('');
        setError(errorText(e));
      },
    );
    return true;
  };

  const priced = items.map((it) => ({ it, ...priceOf(it) }));
  const totalFen = priced.reduce((s, p) => s + (p.fen !== null && p.it.qty > 0 ? Math.round((p.fen * p.it.qty) / 1000) : 0), 0);
  const invalid = priced.some((p) => p.error || p.it.qty <= 0);
  const ready = items.length > 0 && !invalid && reason.trim().length > 0;

  const confirm = () => {
    if (busy) return;
    if (!items.length) return setError(t('returns.noReceipt.needItems'));
    if (!reason.trim()) return setError(t('returns.noReceipt.needReason'));
    if (invalid) return;
    const body = { items: priced.map((p) => ({ skuId: p.it.sku.skuId, qty: p.it.qty, unitPriceFen: p.fen! })), reason: reason.trim() };
    const names = (id: string) => items.find((x) => x.sku.skuId === id)?.sku; // the English PIN pad names the items
    void flow.submitRefund('sales.returnWithoutReceipt', body, { approval: APPROVAL.refundNoReceipt, names });
  };

  return (
    // The search column keeps 340 px at 1024 too (the receipt tab's narrows): result rows stay on two lines.
    <div className="returns" data-testid="no-receipt" style={{ gridTemplateColumns: '340px minmax(0, 1fr)' }}>
      <div className="returns-find">
        {tabs}
        <p className="warn-note" data-testid="no-receipt-note" style={{ margin: 0 }}>
          {t('returns.noReceipt.note')}
        </p>
        <input
          ref={searchRef}
          className="search-input"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('returns.noReceipt.search')}
          autoComplete="off"
          spellCheck={false}
          data-testid="nr-search"
        />
        <ResultList q={q} onPick={(s) => add(s)} testId="nr-results" hint={t('returns.noReceipt.hint')} />
        <div className="error-line" role="alert" data-testid="return-error">
          {error}
        </div>
        {info && !error && <div className="ok-line" data-testid="nr-info">{info}</div>}
      </div>

      {done && !items.length ? (
        // The result stays until the next item is scanned or picked (which starts the next return).
        <div className="returns-sale">
          <RefundDone done={done} />
          <p className="muted big-note">{t('returns.noReceipt.empty')}</p>
        </div>
      ) : (
        <div className="returns-sale" data-testid="nr-items">
          {items.length === 0 ? (
            <p className="muted big-note" data-testid="nr-empty">
              {t('returns.noReceipt.empty')}
            </p>
          ) : (
            <table className="cart-table return-table">
              <thead>
                <tr>
                  <th>{t('checkout.name')}</th>
                  <th className="num">{t('returns.noReceipt.qty')}</th>
                  <th className="num">{t('returns.noReceipt.unitPrice')}</th>
                  <th className="num">{t('returns.noReceipt.amount')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {priced.map(({ it, fen, error: priceError }) => (
                  <tr key={it.sku.skuId} data-testid="nr-line">
                    <td className="name">
                      {it.sku.name}
                      <small className="muted" style={{ display: 'block', fontSize: 14 }}>
                        {t('returns.noReceipt.catalogPrice', { price: `${formatYuan(it.sku.priceFen)}/${it.sku.unit}` })}
                      </small>
                    </td>
                    <td className="num">
                      {it.sku.weighed ? (
                        <label className="field" style={{ alignItems: 'flex-end' }}>
                          <input
                            value={it.qtyText}
                            inputMode="decimal"
                            style={{ width: 110, textAlign: 'right' }}
                            aria-label={t('returns.noReceipt.weightIn', { unit: it.sku.unit })}
                            placeholder={it.sku.unit}
                            onChange={(e) => update(it.sku.skuId, { qtyText: e.target.value, qty: weightToQty(e.target.value) })}
                            data-testid="nr-weight"
                          />
                          {it.qty <= 0 && <small className="error-text">{t('returns.noReceipt.badQty')}</small>}
                        </label>
                      ) : (
                        <div className="stepper">
                          <button type="button" className="btn small" disabled={it.qty <= 1000} onClick={() => update(it.sku.skuId, { qty: it.qty - 1000 })} aria-label="-" data-testid="nr-minus">
                            −
                          </button>
                          <strong data-testid="nr-qty">{formatQty(it.qty, it.sku.unit)}</strong>
                          <button type="button" className="btn small" disabled={it.qty >= 9_999_000} onClick={() => update(it.sku.skuId, { qty: it.qty + 1000 })} aria-label="+" data-testid="nr-plus">
                            +
                          </button>
                        </div>
                      )}
                    </td>
                    <td className="num">
                      <label className="field" style={{ alignItems: 'flex-end' }}>
                        <input
                          value={it.priceText}
                          inputMode="decimal"
                          style={{ width: 110, textAlign: 'right' }}
                          aria-label={t('returns.noReceipt.unitPrice')}
                          onChange={(e) => update(it.sku.skuId, { priceText: e.target.value.replace(/[^\d.]/g, '') })}
                          data-testid="nr-price"
                        />
                        {priceError && (
                          <small className="error-text" data-testid="nr-price-error">
                            {t(`returns.noReceipt.${priceError}`, { price: formatYuan(it.sku.priceFen) })}
                          </small>
                        )}
                      </label>
                    </td>
                    <td className="num strong" data-testid="nr-amount">
                      {fen !== null && it.qty > 0 ? formatYuan(Math.round((fen * it.qty) / 1000)) : '—'}
                    </td>
                    <td className="num">
                      <button type="button" className="btn small" onClick={() => remove(it.sku.skuId)} data-testid="nr-remove">
                        {t('returns.noReceipt.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form
            className="field-row"
            onSubmit={(e) => {
              e.preventDefault();
              confirm();
            }}
          >
            <label className="field grow">
              <span>{t('returns.noReceipt.reason')}</span>
              <input
                value={reason}
                maxLength={60}
                placeholder={t('returns.noReceipt.reasonPlaceholder')}
                onChange={(e) => {
                  changed();
                  setReason(e.target.value);
                }}
                autoComplete="off"
                data-testid="nr-reason"
              />
            </label>
          </form>
          <div className="row-actions" style={{ justifyContent: 'flex-start', flexWrap: 'wrap' }}>
            {REASONS.map((k) => (
              <button
                key={k}
                type="button"
                className={`btn small ${reason === t(`returns.noReceipt.${k}`) ? 'primary' : ''}`}
                style={{ minHeight: 44 }}
                onClick={() => {
                  changed();
                  setReason(t(`returns.noReceipt.${k}`));
                }}
                data-testid="nr-reason-pick"
              >
                {t(`returns.noReceipt.${k}`)}
              </button>
            ))}
          </div>
          <div className="returns-actions">
            <span className="refund-preview">
              {t('returns.noReceipt.total')}{t('common.colon')}<Money fen={totalFen} refund testId="nr-total" />
            </span>
            <button type="button" className="btn primary big" disabled={!ready || busy} onClick={confirm} data-testid="nr-confirm">
              {t('returns.noReceipt.confirm')}
            </button>
          </div>
          {role === 'cashier' && (
            <p className="warn-note small-note" style={{ margin: 0, alignSelf: 'flex-end' }} data-testid="nr-needs-manager">
              {t('returns.noReceipt.needsManager')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
