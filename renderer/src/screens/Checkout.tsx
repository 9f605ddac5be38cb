// 收银: scan field always ready, the cart on the left, totals on the right.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../shared/money';
import { formatQty } from '../../../shared/pricing';
import { ApiCallError, call } from '../api/client';
import { beepError, beepOk } from '../feedback';
import { useCart } from '../stores/cart';

export function Checkout() {
  const { t } = useTranslation();
  const { lines, priced, selectedId, addLookup } = useCart();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const selectedRef = useRef<HTMLTableRowElement>(null);

  // The scan field takes focus back whenever nothing else needs it.
  useEffect(() => {
    const refocus = () => {
      const active = document.activeElement;
      if (!active || active === document.body || active.tagName === 'BUTTON') scanRef.current?.focus();
    };
    refocus();
    const id = window.setInterval(refocus, 500);
    return () => window.clearInterval(id);
  }, []);
  useEffect(() => selectedRef.current?.scrollIntoView({ block: 'nearest' }), [selectedId]);

  const submit = async () => {
    const raw = code.trim();
    if (!raw) return;
    setCode('');
    const m = /^(\d{1,3})\*(.+)$/.exec(raw); // 6*barcode multiplies the scan
    const multiplier = m ? Number(m[1]) : 1;
    try {
      const r = await call('catalog.lookup', { code: m ? m[2] : raw });
      const line = addLookup(r, multiplier);
      setMessage({ kind: 'ok', text: t('checkout.added', { name: line.name }) });
      beepOk();
    } catch (e) {
      beepError();
      setMessage({ kind: 'error', text: e instanceof ApiCallError ? e.message : String(e) });
    }
  };

  return (
    <div className="checkout" data-testid="screen-checkout">
      <div className="cart-pane">
        <form
          className="scan-bar"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <input
            ref={scanRef}
            className="scan-input"
            data-testid="scan-input"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={t('checkout.scanPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            inputMode="numeric"
          />
        </form>
        <div className={`scan-message ${message?.kind ?? ''}`} role="status" data-testid="scan-message">
          {message?.kind === 'error' ? '⚠ ' : ''}
          {message?.text}
        </div>
        <div className="cart-table-wrap">
          <table className="cart-table" data-testid="cart">
            <thead>
              <tr>
                <th className="col-no">{t('checkout.no')}</th>
                <th>{t('checkout.name')}</th>
                <th className="num">{t('checkout.qty')}</th>
                <th className="num">{t('checkout.price')}</th>
                <th className="num">{t('checkout.discount')}</th>
                <th className="num">{t('checkout.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {priced.lines.map((l, i) => {
                const ui = lines[i];
                const discount = l.originalGrossFen - l.netFen;
                return (
                  <tr
                    key={l.id}
                    ref={l.id === selectedId ? selectedRef : undefined}
                    className={l.id === selectedId ? 'selected' : ''}
                    data-testid="cart-line"
                  >
                    <td className="col-no">{i + 1}</td>
                    <td className="name">{l.name}</td>
                    <td className="num">{formatQty(l.qty, ui.unit)}</td>
                    <td className="num">{formatYuan(l.unitPriceFen)}</td>
                    <td className="num">{discount ? formatYuan(-discount) : ''}</td>
                    <td className="num strong">{formatYuan(l.netFen)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {lines.length === 0 && <div className="cart-empty">{t('checkout.empty')}</div>}
        </div>
      </div>
      <aside className="side-pane">
        <div className="totals">
          <div className="row">
            <span>{t('checkout.items')}</span>
            <span data-testid="item-count">{priced.itemCount}</span>
          </div>
          <div className="row">
            <span>{t('checkout.gross')}</span>
            <span>{formatYuan(priced.originalGrossFen)}</span>
          </div>
          <div className="row">
            <span>{t('checkout.savings')}</span>
            <span>{formatYuan(-(priced.originalGrossFen - priced.totalFen))}</span>
          </div>
          <div className="due">
            <span className="due-label">{t('checkout.total')}</span>
            <span className="due-amount" data-testid="total">
              {formatYuan(priced.totalFen)}
            </span>
          </div>
        </div>
      </aside>
    </div>
  );
}
