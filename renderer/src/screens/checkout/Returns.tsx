// 退货 (F7), two tabs:
// - 凭小票退货: find the sale by scanning its receipt barcode (the receipt number) or by day and
//   amount, pick lines and quantities up to what is still returnable, see how the refund splits over
//   the original tenders (sales.refundPlan, the same function the return uses), refund (a cashier
//   needs the manager's PIN on the spot). A part going back to the card terminal is run there by the
//   cashier after the manager approved, who then types the terminal's refund reference. Reprint, and
//   for a manager cancel the whole sale.
// - 无小票退货: items by scan or product search, quantities, unit price (the catalog price, may be
//   lowered), a required reason, cash out of the drawer; a cashier gets the manager's PIN on the spot.
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RefundPlanView, SaleResult, SaleSummary, SaleView, SkuView } from '../../../../shared/api';
import { formatYuan, parseYuan } from '../../../../shared/money';
import { formatQty, refundableAmounts } from '../../../../shared/pricing';
import { ApiCallError, call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Money } from '../../components/Money';
import { beepError, beepOk } from '../../feedback';
import { newRequestId } from '../../scan-router';
import { withApproval } from '../../stores/approval';
import { errorText, useCart } from '../../stores/cart';
import { useSession } from '../../stores/session';
import { APPROVAL } from './actions';
import { ResultList } from './SearchPanel';

/** The approval action of a return without a receipt (the main side names it in APPROVAL_REQUIRED too). */
const REFUND_NO_RECEIPT = 'refund_no_receipt';

type Tab = 'receipt' | 'none';
type Done = { result: SaleResult; refund: SaleView | null };
type PlanPart = RefundPlanView['parts'][number];

export function ReturnScreen() {
  const { t } = useTranslation();
  const close = useCart((s) => s.close);
  const [tab, setTab] = useState<Tab>('receipt');
  // The open tab takes the scans (a receipt barcode, or an item coming back).
  const scanRef = useRef<(code: string) => boolean>(() => false);
  const tabs = (
    <div className="seg" role="tablist">
      <button type="button" role="tab" aria-selected={tab === 'receipt'} className={`seg-btn ${tab === 'receipt' ? 'on' : ''}`} onClick={() => setTab('receipt')} data-testid="tab-receipt">
        {t('returns.tabReceipt')}
      </button>
      <button type="button" role="tab" aria-selected={tab === 'none'} className={`seg-btn ${tab === 'none' ? 'on' : ''}`} onClick={() => setTab('none')} data-testid="tab-no-receipt">
        {t('returns.tabNoReceipt')}
      </button>
    </div>
  );
  return (
    <Dialog title={t('returns.title')} testId="return-screen" onClose={close} onScan={(c) => scanRef.current(c)} full>
      {tab === 'receipt' ? <ReceiptReturn tabs={tabs} scanRef={scanRef} /> : <NoReceiptReturn tabs={tabs} scanRef={scanRef} />}
    </Dialog>
  );
}

/** The refund parts as words: 银行卡 ¥2.70（在刷卡终端退） · 现金 ¥1.00（钱箱）. */
function PartsText({ parts }: { parts: readonly Pick<PlanPart, 'method' | 'amountFen'>[] }) {
  const { t } = useTranslation();
  return (
    <>
      {parts.map((p, i) => (
        <span key={i} data-testid="refund-part" className={p.method === 'card_terminal' ? 'strong' : ''}>
          {i > 0 && ' · '}
          {p.method === 'card_terminal'
            ? t('returns.partCard', { amount: formatYuan(p.amountFen) })
            : p.method === 'cash'
              ? t('returns.partCash', { amount: formatYuan(p.amountFen) })
              : `${t(`pay.methods.${p.method}`, { defaultValue: p.method })} ${formatYuan(p.amountFen)}`}
        </span>
      ))}
    </>
  );
}

function RefundDone({ done }: { done: Done }) {
  const { t } = useTranslation();
  return (
    <div className="refund-done" data-testid="refund-done">
      <h3>
        {t('returns.refunded')} <Money fen={Math.abs(done.result.totalFen)} refund testId="refund-total" />
      </h3>
      <p>
        {t('returns.refundReceipt')}：<strong data-testid="refund-receipt">{done.result.receiptNo}</strong>
      </p>
      <ul className="refund-tenders">
        {(done.refund?.payments ?? []).map((p, i) => (
          <li key={i} data-testid="refund-tender">
            {t(`pay.methods.${p.method}`, { defaultValue: p.method })}: <Money fen={Math.abs(p.amountFen)} refund />
            {p.method === 'cash'
              ? ` · ${t('returns.cashFromDrawer')}`
              : p.method === 'card_terminal'
                ? ` · ${p.reference ? t('returns.cardRefunded', { ref: p.reference }) : t('returns.cardOnTerminal')}`
                : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the main side said must be refunded on a device before the return can be recorded. */
interface ReferenceStep {
  kind: 'return' | 'cancel';
  amountFen: number;
  originalReferences: string[];
  /** The rest of the refund (cash from the drawer), recorded with it. */
  others: PlanPart[];
  /** The manager's token from the approval just given (not used up by the refusal). */
  token?: string;
}

function referenceStepFrom(e: unknown, kind: ReferenceStep['kind'], token: string | undefined): ReferenceStep | null {
  if (!(e instanceof ApiCallError) || e.code !== 'REFUND_REFERENCE_REQUIRED') return null;
  const d = (e.details ?? {}) as { parts?: PlanPart[]; missing?: { method: string; amountFen: number }[] };
  const card = (d.parts ?? []).filter((p) => p.needsReference);
  const amountFen = (d.missing ?? []).reduce((s, m) => s + m.amountFen, 0);
  const others = (d.parts ?? []).filter((p) => !p.needsReference);
  return { kind, amountFen, originalReferences: card.map((p) => p.originalReference).filter((r): r is string => !!r), others, token };
}

function ReceiptReturn({ tabs, scanRef }: { tabs: ReactNode; scanRef: MutableRefObject<(code: string) => boolean> }) {
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
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  const [cancelReason, setCancelReason] = useState<string | null>(null);
  const [refStep, setRefStep] = useState<ReferenceStep | null>(null);
  const [reference, setReference] = useState('');
  const requestId = useRef<string | null>(null);
  const receiptRef = useRef<HTMLInputElement>(null);
  const referenceRef = useRef<HTMLInputElement>(null);
  useEffect(() => receiptRef.current?.focus(), []);
  useEffect(() => {
    if (refStep) referenceRef.current?.focus();
  }, [refStep]);

  const fail = (e: unknown) => {
    beepError();
    setError(errorText(e));
  };
  const open = async (saleId: string) => {
    setError('');
    setInfo('');
    try {
      const s = await call('sales.get', { saleId });
      setSale(s);
      setQty({});
      setDone(null);
      setRefStep(null);
      requestId.current = null;
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

  const returnable = (l: SaleView['lines'][number]) => l.qty - l.returnedQty;
  const chosen = useMemo(() => (sale ? sale.lines.filter((l) => (qty[l.id] ?? 0) > 0) : []), [sale, qty]);
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
    if (!sale || !chosen.length) return;
    let live = true;
    const lines = chosen.map((l) => ({ lineId: l.id, qty: qty[l.id] }));
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
  }, [sale, chosen, qty]);

  const step = (l: SaleView['lines'][number], dir: 1 | -1 | 'all' | 'none') => {
    const max = returnable(l);
    setQty((q) => {
      const cur = q[l.id] ?? 0;
      const unit = l.weighed ? max : 1000; // a weighed line goes back whole
      const next = dir === 'all' ? max : dir === 'none' ? 0 : Math.min(max, Math.max(0, cur + dir * unit));
      return { ...q, [l.id]: next };
    });
    setRefStep(null);
    requestId.current = null;
  };

  const finished = async (r: SaleResult) => {
    beepOk();
    const refund = await call('sales.get', { saleId: r.saleId }).catch(() => null);
    setDone({ result: r, refund });
    setSale(await call('sales.get', { saleId: sale!.id }));
    setQty({});
    setRefStep(null);
    setReference('');
    setCancelReason(null);
    requestId.current = null;
  };

  /** The return; `refs` once the cashier ran the card part on the terminal and typed its reference. */
  const doReturn = async (refs?: { card_terminal: string }) => {
    if (!sale || !chosen.length || busy) return;
    setBusy(true);
    setError('');
    requestId.current ??= newRequestId();
    const id = requestId.current;
    let token = refStep?.token;
    try {
      const lines = chosen.map((l) => ({ lineId: l.id, qty: qty[l.id] }));
      const r = await withApproval(APPROVAL.refund, (approval) => {
        token = approval ?? token;
        return call('sales.return', {
          requestId: id,
          saleId: sale.id,
          lines,
          ...(token ? { approval: token } : {}),
          ...(refs ? { refundReferences: refs } : {}),
        });
      });
      if (!r) return;
      await finished(r);
    } catch (e) {
      const need = referenceStepFrom(e, 'return', token);
      if (need && !refs) {
        setRefStep(need);
        setReference('');
      } else fail(e);
    } finally {
      setBusy(false);
    }
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

  const cancelSale = async (refs?: { card_terminal: string }) => {
    if (!sale || !cancelReason?.trim() || busy) return;
    setBusy(true);
    setError('');
    requestId.current ??= newRequestId();
    try {
      const r = await call('sales.cancel', {
        requestId: requestId.current,
        saleId: sale.id,
        reason: cancelReason.trim(),
        ...(refs ? { refundReferences: refs } : {}),
      });
      await finished(r);
    } catch (e) {
      const need = referenceStepFrom(e, 'cancel', undefined);
      if (need && !refs) {
        setRefStep(need);
        setReference('');
      } else fail(e);
    } finally {
      setBusy(false);
    }
  };

  const confirmReference = () => {
    if (!refStep) return;
    const ref = reference.trim();
    if (ref.length < 4 || ref.length > 40) {
      beepError();
      setError(t('returns.needRef'));
      referenceRef.current?.focus();
      return;
    }
    void (refStep.kind === 'return' ? doReturn({ card_terminal: ref }) : cancelSale({ card_terminal: ref }));
  };

  scanRef.current = (code: string) => {
    if (refStep) {
      setReference(code.slice(0, 40)); // a terminal slip's barcode goes into the reference field
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
            <form
              className="warn-note ref-step"
              style={{ display: 'flex', flexDirection: 'column', gap: 8, padding: '12px 16px', color: 'var(--ink)' }}
              onSubmit={(e) => {
                e.preventDefault();
                confirmReference();
              }}
              data-testid="refund-reference-step"
            >
              <strong style={{ fontSize: 20 }}>{t('returns.refStepTitle')}</strong>
              <span style={{ fontSize: 18 }}>
                {t('returns.refStepAmount')}：<Money fen={refStep.amountFen} refund testId="refund-reference-amount" />
              </span>
              {refStep.originalReferences.map((r) => (
                <span key={r}>{t('returns.refStepOriginal', { ref: r })}</span>
              ))}
              <span>{t('returns.refStepText')}</span>
              {refStep.others.length > 0 && (
                <span data-testid="refund-reference-rest">
                  {t('returns.refStepRest')}：<PartsText parts={refStep.others} />
                </span>
              )}
              <div className="field-row">
                <label className="field grow">
                  <span>{t('returns.refInput')}</span>
                  <input
                    ref={referenceRef}
                    value={reference}
                    maxLength={40}
                    onChange={(e) => setReference(e.target.value)}
                    autoComplete="off"
                    spellCheck={false}
                    data-testid="refund-reference"
                  />
                </label>
                <button type="button" className="btn" onClick={() => setRefStep(null)} data-testid="refund-reference-back">
                  {t('returns.refBack')}
                </button>
                <button type="submit" className="btn primary big" disabled={busy} data-testid="refund-reference-confirm">
                  {t('returns.refConfirm')}
                </button>
              </div>
            </form>
          ) : (
            <>
              <div className="returns-actions">
                <span className="refund-preview">
                  {t('returns.refund')}：<Money fen={preview} refund testId="refund-preview" />
                  {plan && plan.parts.length > 0 && (
                    <small className="muted" style={{ display: 'block', fontSize: 16 }} data-testid="refund-split">
                      {t('returns.split')}：<PartsText parts={plan.parts} />
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
                <button type="button" className="btn primary big" disabled={!chosen.length || busy} onClick={() => void doReturn()} data-testid="do-return">
                  {t('returns.doReturn')}
                </button>
              </div>
              {role === 'cashier' && <p className="muted small-note">{t('returns.needsManager')}</p>}
              {cancelReason !== null && (
                <form
                  className="field-row cancel-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void cancelSale();
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

// ---------------------------------------------------------------------------------------------
// 无小票退货

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

function NoReceiptReturn({ tabs, scanRef }: { tabs: ReactNode; scanRef: MutableRefObject<(code: string) => boolean> }) {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const [q, setQ] = useState('');
  const [items, setItems] = useState<NoReceiptItem[]>([]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const requestId = useRef<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => searchRef.current?.focus(), []);

  const changed = () => {
    requestId.current = null;
    setError('');
  };
  const add = useCallback(
    (sku: SkuView, labelQty: number | null = null) => {
      changed();
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
    [t],
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

  const confirm = async () => {
    if (busy) return;
    if (!items.length) return setError(t('returns.noReceipt.needItems'));
    if (!reason.trim()) return setError(t('returns.noReceipt.needReason'));
    if (invalid) return;
    setBusy(true);
    setError('');
    requestId.current ??= newRequestId();
    const id = requestId.current;
    try {
      const input = {
        requestId: id,
        items: priced.map((p) => ({ skuId: p.it.sku.skuId, qty: p.it.qty, unitPriceFen: p.fen! })),
        reason: reason.trim(),
      };
      const r = await withApproval(REFUND_NO_RECEIPT, (approval) => call('sales.returnWithoutReceipt', approval ? { ...input, approval } : input));
      if (!r) return;
      beepOk();
      const refund = await call('sales.get', { saleId: r.saleId }).catch(() => null);
      setDone({ result: r, refund });
      setItems([]);
      setReason('');
      setInfo('');
      setQ('');
      requestId.current = null;
    } catch (e) {
      beepError();
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
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
              void confirm();
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
              {t('returns.noReceipt.total')}：<Money fen={totalFen} refund testId="nr-total" />
            </span>
            <button type="button" className="btn primary big" disabled={!ready || busy} onClick={() => void confirm()} data-testid="nr-confirm">
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
