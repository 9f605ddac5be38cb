// 凭小票退货: find the sale by scanning its receipt barcode (the receipt number) or by day and amount,
// pick lines and quantities up to what is still returnable, see how the refund splits over the
// original tenders (sales.refundPlan, the same function the return uses), refund (a cashier needs the
// manager's PIN on the spot). A part going back to the card terminal is run there by the cashier after
// the manager approved, who then types the terminal's refund reference (useRefundFlow). Reprint, and
// for a manager cancel the whole sale.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RefundPlanView, SaleSummary, SaleView } from '../../../../shared/api';
import { formatYuan, parseYuan } from '../../../../shared/money';
import { formatQty, refundableAmounts } from '../../../../shared/pricing';
import { call } from '../../api/client';
import { Money } from '../../components/Money';
import { useSession } from '../../stores/session';
import { APPROVAL } from './actions';
import { PartsText, RefundDone, ReferenceStepForm } from './RefundViews';
import type { ReturnTabProps } from './Returns';
import { useRefundFlow, type Done } from './useRefundFlow';

type Line = SaleView['lines'][number];
const returnable = (l: Line) => l.qty - l.returnedQty;

export function ReturnByReceipt({ tabs, scanRef }: ReturnTabProps) {
  const { t, i18n } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const day = useSession((s) => s.info?.businessDay) ?? new Date().toISOString().slice(0, 10);
  const [receipt, setReceipt] = useState('');
  const [date, setDate] = useState(day);
  const [amount, setAmount] = useState('');
  const [found, setFound] = useState<SaleSummary[] | null>(null);
  const [sale, setSale] = useState<SaleView | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [plan, setPlan] = useState<RefundPlanView | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [info, setInfo] = useState('');
  const [cancelReason, setCancelReason] = useState<string | null>(null);
  const receiptRef = useRef<HTMLInputElement>(null);
  useEffect(() => receiptRef.current?.focus(), []);

  const flow = useRefundFlow(async (d) => {
    setDone(d);
    setSale(await call('sales.get', { saleId: sale!.id }));
    setQty({});
    setCancelReason(null);
  });
  const { busy, error, setError, fail, refStep } = flow;

  const open = async (saleId: string) => {
    setError('');
    setInfo('');
    try {
      const s = await call('sales.get', { saleId });
      setSale(s);
      setQty({});
      setDone(null);
      flow.leaveReference();
    } catch (e) {
      fail(e);
    }
  };
  const find = async (by: 'receipt' | 'day', code?: string) => {
    setError('');
    setInfo('');
    try {
      let input: { receiptNo?: string; businessDay?: string; amountFen?: number; limit: number } = { limit: 50 };
      if (by === 'receipt') {
        const no = (code ?? receipt).trim();
        if (!no) return setError(t('returns.needReceipt'));
        input = { receiptNo: no, limit: 10 };
      } else {
        input = { businessDay: date, limit: 50 };
        if (amount) input.amountFen = parseYuan(amount);
      }
      const list = (await call('sales.find', input)).filter((s) => s.kind === 'sale');
      setFound(list);
      if (list.length === 1) await open(list[0].id);
      else if (!list.length) setError(t('returns.notFound'));
    } catch (e) {
      fail(e);
    }
  };

  const chosen = useMemo(() => (sale ? sale.lines.filter((l) => (qty[l.id] ?? 0) > 0) : []), [sale, qty]);
  const lines = useMemo(() => chosen.map((l) => ({ lineId: l.id, qty: qty[l.id] })), [chosen, qty]);
  const preview = useMemo(() => {
    if (!sale || !chosen.length) return 0;
    try {
      return refundableAmounts(
        sale.lines,
        chosen.map((l) => ({ lineId: l.id, qty: qty[l.id], alreadyReturnedQty: l.returnedQty, alreadyRefundedFen: l.refundedFen })),
      ).reduce((s, r) => s + r.refundFen, 0);
    } catch {
      return 0;
    }
  }, [sale, chosen, qty]);

  // How the refund splits over the original tenders, from the main side (the very plan the return runs).
  useEffect(() => {
    setPlan(null);
    if (!sale || !lines.length) return;
    let live = true;
    const id = window.setTimeout(() => {
      call('sales.refundPlan', { saleId: sale.id, lines }).then(
        (p) => live && setPlan(p),
        () => undefined, // the return itself reports what is wrong
      );
    }, 60);
    return () => {
      live = false;
      window.clearTimeout(id);
    };
  }, [sale, lines]);

  const step = (l: Line, dir: 1 | -1 | 'all') => {
    const max = returnable(l);
    setQty((q) => {
      const cur = q[l.id] ?? 0;
      const unit = l.weighed ? max : 1000; // a weighed line goes back whole
      const next = dir === 'all' ? max : Math.min(max, Math.max(0, cur + dir * unit));
      return { ...q, [l.id]: next };
    });
  };

  const doReturn = () => {
    if (!sale || !lines.length) return;
    // The English PIN pad names the receipt and its lines (the ask carries only their ids).
    const names = (id: string) => (id === sale.id ? { name: sale.receiptNo } : sale.lines.find((l) => l.id === id));
    void flow.submitRefund('sales.return', { saleId: sale.id, lines }, { approval: APPROVAL.refund, names });
  };
  const cancelSale = () => {
    if (sale && cancelReason?.trim()) void flow.submitRefund('sales.cancel', { saleId: sale.id, reason: cancelReason.trim() });
  };

  const reprint = async () => {
    if (!sale) return;
    try {
      await call('sales.reprint', { saleId: sale.id });
      setInfo(t('returns.reprinted'));
    } catch (e) {
      fail(e);
    }
  };

  scanRef.current = (code: string) => {
    if (refStep) {
      flow.setReference(code.slice(0, 40)); // a terminal slip's barcode goes into the reference field
      return true;
    }
    setReceipt(code);
    void find('receipt', code);
    return true;
  };

  return (
    <div className="returns">
      <div className="returns-find">
        {tabs}
        <form
          className="field-row"
          onSubmit={(e) => {
            e.preventDefault();
            void find('receipt');
          }}
        >
          <label className="field grow">
            <span>{t('returns.receipt')}</span>
            <input ref={receiptRef} value={receipt} onChange={(e) => setReceipt(e.target.value.trim())} placeholder={t('returns.scanReceipt')} data-testid="return-receipt" autoComplete="off" />
          </label>
          <button type="submit" className="btn primary" data-testid="return-find">
            {t('returns.find')}
          </button>
        </form>
        <form
          className="field-row"
          onSubmit={(e) => {
            e.preventDefault();
            void find('day');
          }}
        >
          <label className="field">
            <span>{t('returns.date')}</span>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="return-date" />
          </label>
          <label className="field">
            <span>{t('returns.amount')} ¥</span>
            <input value={amount} inputMode="decimal" onChange={(e) => setAmount(e.target.value.replace(/[^\d.]/g, ''))} data-testid="return-amount" autoComplete="off" />
          </label>
          <button type="submit" className="btn" data-testid="return-find-day">
            {t('returns.findByDay')}
          </button>
        </form>
        {found && found.length > 1 && (
          <ul className="pick-list sales-list">
            {found.map((s) => (
              <li key={s.id}>
                <button type="button" className={`pick ${sale?.id === s.id ? 'on' : ''}`} onClick={() => void open(s.id)} data-testid="found-sale">
                  <span className="pick-main">
                    <strong>{s.receiptNo}</strong>
                    <small>
                      {new Date(s.createdAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })} · {t('returns.items', { count: s.itemCount })}
                      {s.status === 'cancelled' ? ` · ${t('returns.cancelled')}` : ''}
                    </small>
                  </span>
                  <Money fen={s.totalFen} className="pick-amount" />
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="error-line" role="alert" data-testid="return-error">
          {error}
        </div>
        {info && <div className="ok-line">{info}</div>}
      </div>

      {sale && (
        <div className="returns-sale" data-testid="return-sale">
          <div className="sale-head">
            <span>
              {t('returns.receipt')} <strong data-testid="return-sale-no">{sale.receiptNo}</strong> · {new Date(sale.createdAt).toLocaleString(i18n.language)} ·{' '}
              {sale.cashierName}
              {sale.status === 'cancelled' && <strong className="warn-note"> · {t('returns.cancelled')}</strong>}
            </span>
            <span>
              {t('pay.total')} {formatYuan(sale.totalFen)} ·{' '}
              {sale.payments.map((p) => `${t(`pay.methods.${p.method}`, { defaultValue: p.method })} ${formatYuan(p.amountFen)}`).join(' + ')}
            </span>
          </div>
          <table className="cart-table return-table">
            <thead>
              <tr>
                <th>{t('checkout.name')}</th>
                <th className="num">{t('returns.sold')}</th>
                <th className="num">{t('returns.paidLine')}</th>
                <th className="num">{t('returns.returnable')}</th>
                <th className="num">{t('returns.returnNow')}</th>
              </tr>
            </thead>
            <tbody>
              {sale.lines.map((l) => {
                const max = returnable(l);
                const cur = qty[l.id] ?? 0;
                return (
                  <tr key={l.id} data-testid="return-line" className={cur ? 'selected' : ''}>
                    <td className="name">{l.name}</td>
                    <td className="num">{formatQty(l.qty, l.unit)}</td>
                    <td className="num">{formatYuan(l.payableFen)}</td>
                    <td className="num">{max > 0 ? formatQty(max, l.unit) : t('returns.none')}</td>
                    <td className="num">
                      <div className="stepper">
                        <button type="button" className="btn small" disabled={!cur || !!refStep} onClick={() => step(l, -1)} aria-label="-">
                          −
                        </button>
                        <strong data-testid="return-qty">{formatQty(cur, l.unit)}</strong>
                        <button type="button" className="btn small" disabled={cur >= max || !!refStep} onClick={() => step(l, 1)} aria-label="+" data-testid="return-plus">
                          +
                        </button>
                        <button type="button" className="btn small" disabled={cur >= max || !!refStep} onClick={() => step(l, 'all')} data-testid="return-all">
                          {t('returns.all')}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {refStep ? (
            <ReferenceStepForm flow={flow} />
          ) : (
            <>
              <div className="returns-actions">
                <span className="refund-preview">
                  {t('returns.refund')}{t('common.colon')}<Money fen={preview} refund testId="refund-preview" />
                  {plan && plan.parts.length > 0 && (
                    <small className="muted" style={{ display: 'block', fontSize: 16 }} data-testid="refund-split">
                      {t('returns.split')}{t('common.colon')}<PartsText parts={plan.parts} />
                    </small>
                  )}
                </span>
                <button type="button" className="btn" onClick={() => void reprint()} data-testid="reprint">
                  {t('returns.reprint')}
                </button>
                {role !== 'cashier' && sale.status === 'completed' && (
                  <button type="button" className="btn danger" onClick={() => setCancelReason('')} data-testid="cancel-sale">
                    {t('returns.cancelSale')}
                  </button>
                )}
                <button type="button" className="btn primary big" disabled={!chosen.length || busy} onClick={doReturn} data-testid="do-return">
                  {t('returns.doReturn')}
                </button>
              </div>
              {role === 'cashier' && <p className="muted small-note">{t('returns.needsManager')}</p>}
              {cancelReason !== null && (
                <form
                  className="field-row cancel-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    cancelSale();
                  }}
                >
                  <label className="field grow">
                    <span>{t('returns.cancelReason')}</span>
                    <input value={cancelReason} onChange={(e) => setCancelReason(e.target.value.slice(0, 60))} autoFocus data-testid="cancel-reason" />
                  </label>
                  <button type="submit" className="btn danger" disabled={!cancelReason.trim()} data-testid="cancel-confirm">
                    {t('returns.cancelConfirm')}
                  </button>
                </form>
              )}
            </>
          )}
        </div>
      )}

      {done && <RefundDone done={done} />}
    </div>
  );
}
