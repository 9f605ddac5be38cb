// 结算: big tender buttons, cash quick amounts, 应收 / 已收 / 还差 or 找零 in very large type, split
// tender. Payments stay on this screen (removable) until sales.pay charges them all in one call. Its
// requestId belongs to that cart and that list of tenders (RequestKeys): a retry of the same list
// keeps it, so a network blip never charges twice; another list is another key.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SaleResult, TenderMethod } from '../../../../shared/api';
import { BIG_CHANGE_CHECK_FEN, formatYuan, parseYuan } from '../../../../shared/money';
import { maskCode, paymentCodeKind } from '../../../../shared/payment-code';
import { ApiCallError, call } from '../../api/client';
import { RequestKeys } from '../../api/request-key';
import { Dialog } from '../../components/Dialog';
import { NumPad, padEdit } from '../../components/NumPad';
import { beepError, beepOk } from '../../feedback';
import { errorText, useCart } from '../../stores/cart';
import { useWalletPay, WalletStatus } from '../../payments/WalletPay';
import { useCartVouchers } from '../pickup/useCartVouchers';

interface Tender {
  method: TenderMethod;
  amountFen: number;
  reference?: string;
  /** WeChat / Alipay: the payment attempt that already took this money (sales.pay links it). */
  attemptId?: string;
  /** A group-buy voucher redeemed for this cart (screens/pickup): already taken, paid as its own line. */
  redemptionId?: string;
}

const LATER = ['stored_value', 'coupon'] as const;
const WALLETS = ['wechat', 'alipay'] as const;
const isWallet = (m: TenderMethod): m is (typeof WALLETS)[number] => m === 'wechat' || m === 'alipay';

/** Exact, then the next round notes above what is due (¥10/¥20/¥50/¥100 steps), then ¥50 and ¥100. */
export function quickAmounts(dueFen: number): number[] {
  if (dueFen <= 0) return [];
  const out = new Set<number>([dueFen]);
  for (const step of [1000, 2000, 5000, 10000]) {
    const up = Math.ceil(dueFen / step) * step;
    if (up > dueFen) out.add(up);
  }
  for (const note of [5000, 10000]) if (note > dueFen) out.add(note);
  return [...out].sort((a, b) => a - b).slice(0, 5);
}

export function PaymentScreen() {
  const { t } = useTranslation();
  const view = useCart((s) => s.view);
  const close = useCart((s) => s.close);
  const due = view?.priced.totalFen ?? 0;
  const [tenders, setTenders] = useState<Tender[]>([]);
  const vouchers = useCartVouchers(due, view?.id);
  useEffect(() => setTenders((l) => [...vouchers.filter((v) => !l.some((p) => p.redemptionId === v.redemptionId)), ...l]), [vouchers.map((v) => v.redemptionId).join()]); // eslint-disable-line react-hooks/exhaustive-deps
  const [method, setMethod] = useState<TenderMethod>('cash');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  /** Which field the on-screen pad types into (the one last focused). */
  const [padTarget, setPadTarget] = useState<'amount' | 'reference'>('amount');
  const [keys] = useState(() => new RequestKeys());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [retryable, setRetryable] = useState(false);
  const [result, setResult] = useState<SaleResult | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const refRef = useRef<HTMLInputElement>(null);
  /** More change than this and the cash typed is checked first (收银设置 → 大额找零确认). */
  const [bigChangeFen, setBigChangeFen] = useState(BIG_CHANGE_CHECK_FEN);
  /** Cash typed far above what is due, waiting for the cashier to say it is right. */
  const [checkCash, setCheckCash] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    call('settings.checkout', {})
      .then((s) => live && setBigChangeFen(s['checkout.cashOverConfirmFen']))
      .catch(() => undefined); // the default still checks
    return () => {
      live = false;
    };
  }, []);

  const paid = tenders.reduce((s, p) => s + p.amountFen, 0);
  const remaining = Math.max(0, due - paid);
  let typed = 0;
  try {
    typed = amount ? Math.max(0, parseYuan(amount)) : 0;
  } catch {
    typed = 0;
  }
  const shownPaid = paid + (method === 'cash' ? typed : 0);
  const shortFen = due - shownPaid;

  /** Card: the amount starts at what is still due (editable), focus goes to the reference. */
  const choose = (m: TenderMethod, left = remaining) => {
    setMethod(m);
    setAmount(m === 'card_terminal' && left ? (left / 100).toFixed(2) : '');
    setError('');
  };
  useEffect(() => {
    (method === 'card_terminal' ? refRef : amountRef).current?.focus();
  }, [method]);

  const back = async () => {
    if (result) return close();
    if (busy || walletPay.busy) return; // a running WeChat / Alipay payment is waited for
    try {
      await useCart.getState().run('cart.reopen', {});
    } catch (e) {
      useCart.getState().say({ kind: 'error', text: errorText(e) });
    }
    close();
  };

  const charge = async (list: Tender[]) => {
    setBusy(true);
    setError('');
    setRetryable(false);
    try {
      const body = {
        payments: list.map((p) =>
          p.method === 'cash'
            ? { method: 'cash' as const, amountFen: p.amountFen }
            : p.redemptionId
              ? { method: 'voucher' as const, amountFen: p.amountFen, redemptionId: p.redemptionId }
            : isWallet(p.method) && p.attemptId
              ? { method: p.method, amountFen: p.amountFen, attemptId: p.attemptId }
              : { method: 'card_terminal' as const, amountFen: p.amountFen, reference: p.reference! },
        ),
      };
      // The cart is part of what is charged though not of the body: it keys the request too.
      const requestId = keys.for('sales.pay', { ...body, cart: view?.id, dueFen: due });
      const r = await call('sales.pay', { requestId, ...body });
      keys.done();
      beepOk();
      setResult(r);
      useCart.getState().say({ kind: 'ok', text: t('pay.done', { receipt: r.receiptNo }) });
      void useCart.getState().load().catch(() => undefined);
    } catch (e) {
      beepError();
      setError(errorText(e));
      // Unknown outcome (connection lost): retry the same tenders (same key); the main side answers the first result.
      setRetryable(e instanceof ApiCallError && (e.code === 'NETWORK' || e.code === 'INTERNAL'));
    } finally {
      setBusy(false);
    }
  };

  /**
   * WeChat / Alipay (payments/WalletPay): a received payment joins the list as an already-charged
   * tender; when the list covers the sale, the sale is paid with it (sales.pay links the attempt).
   */
  const [walletIn, setWalletIn] = useState(0);
  const walletPay = useWalletPay((w) => {
    setTenders((l) => (l.some((p) => p.attemptId === w.attemptId) ? l : [...l, { method: w.method, amountFen: w.amountFen, attemptId: w.attemptId }]));
    setWalletIn((n) => n + 1);
  });
  useEffect(() => {
    if (!walletIn || busy || result) return;
    if (tenders.reduce((s, p) => s + p.amountFen, 0) >= due) void charge(tenders);
    else amountRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [walletIn]);

  /** Adds a tender; when the sale is covered, charges everything at once. */
  const add = (tender: Tender | null) => {
    if (busy || result || walletPay.busy) return;
    const list = tender ? [...tenders, tender] : tenders;
    const covered = list.reduce((s, p) => s + p.amountFen, 0) >= due;
    if (tender) {
      setTenders(list);
      setAmount('');
      setReference('');
    }
    if (covered) {
      void charge(list);
    } else if (tender) {
      choose('cash');
      amountRef.current?.focus();
    }
  };

  const confirm = () => {
    setError('');
    if (result) return close();
    if (isWallet(method)) return remaining > 0 && walletPay.showQr(method, remaining); // Enter: show the QR
    if (method === 'cash') {
      if (!amount) {
        if (remaining === 0) return add(null);
        return add({ method: 'cash', amountFen: remaining }); // Enter on an empty field = exact cash
      }
      let fen: number;
      try {
        fen = parseYuan(amount);
      } catch {
        return setError(t('pay.badAmount'));
      }
      if (fen <= 0) return setError(t('pay.badAmount'));
      // ¥1,500 typed for ¥52 is more likely a slip (or a scan on an old till) than a customer's notes.
      if (fen - remaining > bigChangeFen) return setCheckCash(fen);
      return add({ method: 'cash', amountFen: fen });
    }
    let fen: number;
    try {
      fen = parseYuan(amount);
    } catch {
      return setError(t('pay.badAmount'));
    }
    if (fen <= 0) return setError(t('pay.badAmount'));
    if (fen > remaining) return setError(t('pay.cardTooMuch', { amount: formatYuan(remaining) }));
    if (reference.trim().length < 4) {
      refRef.current?.focus();
      return setError(t('pay.needReference'));
    }
    add({ method: 'card_terminal', amountFen: fen, reference: reference.trim() });
  };

  const remove = (i: number) => {
    if (busy || result || tenders[i]?.attemptId) return; // a received WeChat / Alipay payment stays
    setTenders((l) => l.filter((_, j) => j !== i));
    amountRef.current?.focus();
  };

  /**
   * A scan here never types into 实收 (keys/app-keys put the field back). A payment code goes to the
   * payment flow, which is not open yet: say so and change nothing (the code shown masked). A product
   * is added on 收银, not here (the cart is subtotalled and tenders may be typed): say so.
   */
  const onScan = (code: string) => {
    if (result) {
      close();
      return false; // the next customer's first item
    }
    // A WeChat / Alipay code pays what is left (a split: the cash part first, with Enter, then the scan).
    if (remaining > 0 && walletPay.scan(code, remaining)) {
      setAmount('');
      setError('');
      return true;
    }
    const wallet = paymentCodeKind(code);
    setError(wallet ? t('pay.payCodeLater', { wallet: t(`scans.wallet.${wallet}`), code: maskCode(code) }) : t('pay.noItemsNow'));
    beepError();
    (method === 'card_terminal' ? refRef : amountRef).current?.focus();
    return true;
  };
  const retype = () => {
    setCheckCash(null);
    amountRef.current?.focus();
    amountRef.current?.select();
  };
  const cashChecked = checkCash !== null && (
    <Dialog
      title={t('cashCheck.title')}
      testId="cash-check"
      onClose={retype}
      footer={
        <div style={{ display: 'flex', gap: 12, justifyContent: 'flex-end' }}>
          <button type="button" className="btn" onClick={retype} data-testid="cash-check-retype">
            {t('cashCheck.retype')} <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className="btn primary big"
            autoFocus
            onClick={() => {
              const fen = checkCash;
              setCheckCash(null);
              add({ method: 'cash', amountFen: fen });
            }}
            data-testid="cash-check-ok"
          >
            {t('cashCheck.ok')} <kbd>Enter</kbd>
          </button>
        </div>
      }
    >
      <p className="big-note" data-testid="cash-check-text">
        {t('cashCheck.text', { paid: formatYuan(paid + checkCash), due: formatYuan(due), change: formatYuan(paid + checkCash - due) })}
      </p>
      <p className="warn-note">{t('cashCheck.ask', { limit: formatYuan(bigChangeFen) })}</p>
    </Dialog>
  );

  if (result) {
    return (
      <Dialog title={t('pay.doneTitle')} testId="payment-done" onClose={close} onScan={onScan} full>
        <div className="pay-done">
          <div className="pay-figure change">
            <span>{t('pay.change')}</span>
            <strong data-testid="change">{formatYuan(result.changeFen)}</strong>
          </div>
          <div className="pay-done-meta">
            <span>
              {t('pay.total')} {formatYuan(result.totalFen)} · {t('pay.paid')} {formatYuan(result.paidFen)}
            </span>
            {/* What was taken, tender by tender (a split payment especially), as the receipt will say. */}
            <ul className="done-tenders" aria-label={t('counter.paidBy')} data-testid="done-tenders">
              {tenders.map((p, i) => (
                <li key={i} data-testid="done-tender">
                  {t(`pay.methods.${p.method}`)} <strong>{formatYuan(p.amountFen)}</strong>
                  {p.reference && <small className="muted"> · {t('pay.ref')} {p.reference}</small>}
                </li>
              ))}
            </ul>
            <span>
              {t('pay.receiptNo')}{t('common.colon')}<strong data-testid="receipt-no">{result.receiptNo}</strong>
            </span>
            <span className="muted">{result.printJobId ? t('pay.printing') : t('pay.noPrint')}</span>
          </div>
          <button type="button" className="btn primary huge" onClick={close} data-testid="next-customer" autoFocus>
            {t('pay.next')} <kbd>Enter</kbd>
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('pay.title')} testId="payment" onClose={() => void back()} onScan={onScan} full>
      <div className="pay">
        <div className="pay-left">
          <div className="pay-figure">
            <span>{t('pay.due')}</span>
            <strong data-testid="pay-due">{formatYuan(due)}</strong>
          </div>
          <div className="pay-figure">
            <span>{t('pay.paid')}</span>
            <strong data-testid="pay-paid">{formatYuan(shownPaid)}</strong>
          </div>
          {shortFen > 0 ? (
            <div className="pay-figure short">
              <span>{t('pay.short')}</span>
              <strong data-testid="pay-short">{formatYuan(shortFen)}</strong>
            </div>
          ) : (
            <div className="pay-figure change">
              <span>{t('pay.change')}</span>
              <strong data-testid="pay-change">{formatYuan(-shortFen)}</strong>
            </div>
          )}
          <div className="tender-list" data-testid="tender-list">
            <h3>{t('pay.payments')}</h3>
            {tenders.length === 0 && <p className="muted">{t('pay.noPayments')}</p>}
            {tenders.map((p, i) => (
              <div key={i} className="tender-row" data-testid="tender-row">
                <span>
                  {p.redemptionId ? t('pickup.voucherTender') : t(`pay.methods.${p.method}`)}
                  {p.reference && <small> · {t('pay.ref')} {p.reference}</small>}
                </span>
                <span className="tender-amount">{formatYuan(p.amountFen)}</span>
                <span className="muted small-note">{p.attemptId || p.redemptionId ? t('payments.pay.received') : t('pay.notCharged')}</span>
                {!p.attemptId && !p.redemptionId && (
                  <button type="button" className="btn small" onClick={() => remove(i)} aria-label={t('pay.remove')} data-testid="tender-remove">
                    ✕ {t('pay.remove')}
                  </button>
                )}
              </div>
            ))}
          </div>
        </div>
        <div className="pay-right">
          <div className="tenders">
            {(['cash', 'card_terminal'] as const).map((m) => (
              <button
                key={m}
                type="button"
                className={`tender ${method === m ? 'on' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(m)}
                data-testid={`tender-${m}`}
                aria-pressed={method === m}
              >
                {t(`pay.methods.${m}`)}
              </button>
            ))}
            {WALLETS.map((m) => (
              <button
                key={m}
                type="button"
                className={`tender ${method === m ? 'on' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(m)}
                disabled={walletPay.busy}
                data-testid={`tender-${m}`}
                aria-pressed={method === m}
              >
                {t(`pay.methods.${m}`)}
              </button>
            ))}
            {LATER.map((m) => (
              <button key={m} type="button" className="tender" disabled title={t('pay.later')}>
                {t(`pay.methods.${m}`)}
                <small>{t('pay.later')}</small>
              </button>
            ))}
          </div>
          {method === 'cash' && (
            <div className="quick-amounts">
              {quickAmounts(remaining).map((a, i) => (
                <button key={a} type="button" className="btn quick-amount" onClick={() => add({ method: 'cash', amountFen: a })} data-testid={i === 0 ? 'quick-exact' : `quick-${a / 100}`}>
                  {i === 0 ? t('pay.exact') : ''} {formatYuan(a)}
                </button>
              ))}
            </div>
          )}
          {/* WeChat / Alipay take what is left: no amount to type (a split: the cash part first). */}
          {!isWallet(method) && (
          <form
            className="entry-field entry-big"
            onSubmit={(e) => {
              e.preventDefault();
              confirm();
            }}
          >
            <span className="entry-affix">{method === 'cash' ? t('pay.received') : t('pay.cardAmount')} ¥</span>
            <input
              ref={amountRef}
              value={amount}
              inputMode="decimal"
              autoComplete="off"
              placeholder={method === 'cash' ? (remaining / 100).toFixed(2) : ''}
              onChange={(e) => setAmount(e.target.value.normalize('NFKC').replace(/[^\d.]/g, '').slice(0, 10))}
              onFocus={() => setPadTarget('amount')}
              data-testid="pay-amount"
              autoFocus
            />
          </form>
          )}
          {method === 'card_terminal' && (
            <div className="card-steps">
              <p>{t('pay.cardSteps')}</p>
              <label className="field">
                <span>{t('pay.ref')}</span>
                <input
                  ref={refRef}
                  value={reference}
                  onChange={(e) => setReference(e.target.value.replace(/[^\w-]/g, '').slice(0, 40))}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      confirm();
                    }
                  }}
                  autoComplete="off"
                  onFocus={() => setPadTarget('reference')}
                  data-testid="card-reference"
                />
              </label>
            </div>
          )}
          {!isWallet(method) && (
          <NumPad
            onKey={(k) => {
              if (padTarget === 'reference' && method === 'card_terminal') {
                setReference((r) => (k === 'Backspace' ? r.slice(0, -1) : k === 'Clear' ? '' : /^\d$/.test(k) ? (r + k).slice(0, 40) : r));
                refRef.current?.focus();
              } else {
                setAmount((a) => padEdit(a, k, 2, 10));
                amountRef.current?.focus();
              }
            }}
            onEnter={confirm}
            enterLabel={method === 'cash' ? t('pay.confirm') : t('pay.cardConfirm')}
            testId="pay-pad"
          />
          )}
          <WalletStatus pay={walletPay} provider={isWallet(method) ? method : null} />
          {isWallet(method) && !walletPay.busy && remaining > 0 && (
            <button type="button" className="btn primary big" onClick={() => walletPay.showQr(method, remaining)} data-testid="wallet-show-qr">
              {t('payments.pay.showQr')} {formatYuan(remaining)}
            </button>
          )}
          {isWallet(method) && !walletPay.busy && remaining > 0 && (
            <button type="button" className="btn" onClick={() => walletPay.showQr(method, remaining, 1800)} data-testid="wallet-remote">
              {t('payments.poster.remote')}
            </button>
          )}
          <div className="error-line" role="alert" data-testid="pay-error">
            {busy ? t('pay.charging') : error || walletPay.error}
            {retryable && !busy && (
              <button type="button" className="btn small" onClick={() => void charge(tenders)} data-testid="pay-retry">
                {t('pay.retry')}
              </button>
            )}
          </div>
        </div>
      </div>
      {cashChecked}
    </Dialog>
  );
}
