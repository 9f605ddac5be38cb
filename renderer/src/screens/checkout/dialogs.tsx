// The small dialogs of the checkout: quantity, weight, price override, discount, member, held carts,
// void, open shift. Each closes with Esc without touching the cart, and focus goes back to the scan field.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldCartView, SkuView } from '../../../../shared/api';
import type { ScaleReading } from '../../../../shared/api/devices';
import { bpToZhe, formatYuan, mulDivRound, parseYuan, percentOf, zheToBp } from '../../../../shared/money';
import { formatQty, qtyFromWeight } from '../../../../shared/pricing';
import { call, on } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Entry, parseThousandths } from '../../components/Entry';
import { Money } from '../../components/Money';
import { RemoteRequestButtons, RemoteRequestList } from '../../payments/RemoteRequests';
import { beepError, beepOk } from '../../feedback';
import { errorText, useCart } from '../../stores/cart';
import { useSession } from '../../stores/session';
import { APPROVAL } from './actions';
import { CreateDialog } from './CreateDialog';
import { LogoutDialog } from './LogoutDialog';
import { PaymentScreen } from './Payment';
import { ReturnScreen } from './Returns';
import { SearchPanel } from './SearchPanel';

export function DialogHost() {
  const dialog = useCart((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'search':
      return <SearchPanel initial={dialog.q ?? ''} tab={dialog.tab ?? 'search'} />;
    case 'qty':
      return <QtyDialog />;
    case 'price':
      return <PriceDialog />;
    case 'discount':
      return <DiscountDialog />;
    case 'member':
      return <MemberDialog />;
    case 'held':
      return <HeldDialog />;
    case 'void':
      return <VoidDialog />;
    case 'logout':
      return <LogoutDialog />;
    case 'weight':
      return <WeightDialog sku={dialog.sku} />;
    case 'shift':
      return <ShiftDialog />;
    case 'payment':
      return <PaymentScreen />;
    case 'return':
      return <ReturnScreen />;
    case 'create':
      return <CreateDialog code={dialog.code} />;
  }
}

/** The selected line with its priced figures. */
function useSelected() {
  const view = useCart((s) => s.view);
  const selectedId = useCart((s) => s.selectedId);
  const i = view?.lines.findIndex((l) => l.id === selectedId) ?? -1;
  return i >= 0 ? { line: view!.lines[i], priced: view!.priced.lines[i] } : null;
}

function useError() {
  const [error, setError] = useState('');
  const fail = (e: unknown) => {
    beepError();
    setError(errorText(e));
  };
  return { error, setError, fail };
}

const ErrorLine = ({ error }: { error: string }) => (
  <div className="error-line" role="alert" data-testid="dialog-error">
    {error}
  </div>
);

/** The selected line's quantity and its note (备注, shown on the line). */
function QtyDialog() {
  const { t } = useTranslation();
  const sel = useSelected();
  const [value, setValue] = useState(sel ? String(sel.priced.qty / 1000) : '');
  const [note, setNote] = useState(sel?.line.note ?? '');
  const { error, setError, fail } = useError();
  const close = useCart((s) => s.close);
  if (!sel) return null;
  const submit = async () => {
    const qty = parseThousandths(value);
    if (!qty || (!sel.line.weighed && qty % 1000 !== 0)) return setError(t('dialogs.badQty'));
    const newNote = note.trim() || null;
    try {
      const { run } = useCart.getState();
      // Each change is its own call, so a refused quantity (manager needed) leaves the note unsaved too.
      if (qty !== sel.priced.qty && !(await run('cart.setQty', { lineId: sel.line.id, qty }, APPROVAL.reduceQty))) return;
      if (newNote !== (sel.line.note ?? null) && !(await run('cart.setNote', { lineId: sel.line.id, note: newNote }))) return;
      close();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('dialogs.qtyTitle', { name: sel.line.name })} testId="qty-dialog" onClose={close}>
      <p className="muted">{t('dialogs.current', { value: formatQty(sel.priced.qty, sel.line.unit) })}</p>
      <Entry value={value} onChange={setValue} onSubmit={() => void submit()} decimals={sel.line.weighed ? 3 : 0} suffix={sel.line.unit} testId="qty-input" />
      <label className="note-field">
        <span>{t('dialogs.note')}</span>
        <input
          value={note}
          maxLength={60}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
          placeholder={t('dialogs.notePlaceholder')}
          data-testid="note-input"
        />
      </label>
      <ErrorLine error={error} />
    </Dialog>
  );
}

/** Thousandths as the weight field shows them: 2468 -> "2.468". */
const weightText = (qty: number) => (qty / 1000).toFixed(3);

/**
 * The serial scale's reading, live: a settled weight fills the field until the cashier types a
 * weight by hand. Without a scale the field is typed as before.
 */
function useScale(sku: SkuView, fill: (text: string) => void) {
  const [reading, setReading] = useState<ScaleReading | null>(null);
  const typed = useRef(false);
  useEffect(() => {
    let live = true;
    const apply = (r: ScaleReading) => {
      if (!live) return;
      setReading(r);
      if (!typed.current && r.stable && !r.overload && r.grams > 0 && sku.gramsPerUnit) {
        fill(weightText(qtyFromWeight(r.grams, sku.gramsPerUnit)));
      }
    };
    void call('scale.weight', {}).then((r) => r && apply(r)).catch(() => undefined);
    const off = on('weight', apply);
    return () => {
      live = false;
      off();
    };
  }, [sku, fill]);
  return { reading, markTyped: () => (typed.current = true) };
}

function ScaleLine({ reading, onError }: { reading: ScaleReading | null; onError(e: unknown): void }) {
  const { t } = useTranslation();
  if (!reading) return <p className="muted" data-testid="scale-reading">{t('dialogs.noScale')}</p>;
  const state = reading.overload ? t('dialogs.scaleOverload') : reading.stable ? t('dialogs.scaleStable') : t('dialogs.scaleMoving');
  return (
    <p className="scale-line" data-testid="scale-reading">
      {t('dialogs.scaleReading', { kg: (reading.grams / 1000).toFixed(3) })} · {state}
      {reading.tareGrams ? ` · ${t('dialogs.tareOf', { kg: (reading.tareGrams / 1000).toFixed(3) })}` : ''}
      <button type="button" className="btn small" onClick={() => void call('scale.tare', { clear: false }).catch(onError)}>
        {t('dialogs.tare')}
      </button>
    </p>
  );
}

function WeightDialog({ sku }: { sku: SkuView }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const { error, setError, fail } = useError();
  const close = useCart((s) => s.close);
  const { reading, markTyped } = useScale(sku, setValue);
  const qty = parseThousandths(value);
  const submit = async () => {
    if (!qty) return setError(t('dialogs.badWeight'));
    try {
      const v = await useCart.getState().run('cart.addSku', { skuId: sku.skuId, qty });
      if (v) {
        beepOk();
        useCart.getState().say({ kind: 'ok', text: t('checkout.added', { name: sku.name }) });
        close();
      }
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('dialogs.weightTitle', { name: sku.name })} testId="weight-dialog" onClose={close}>
      <p className="muted">
        {formatYuan(sku.priceFen)}/{sku.unit} · {t('dialogs.weightHint', { unit: sku.unit })}
      </p>
      <ScaleLine reading={reading} onError={fail} />
      <Entry
        value={value}
        onChange={(v) => {
          markTyped();
          setValue(v);
        }}
        onSubmit={() => void submit()}
        decimals={3}
        suffix={sku.unit}
        testId="weight-input"
        big
      />
      <p className="entry-preview" data-testid="weight-amount">
        {t('checkout.amount')}{t('common.colon')}{formatYuan(qty ? mulDivRound(sku.priceFen, qty, 1000) : 0)}
      </p>
      <ErrorLine error={error} />
    </Dialog>
  );
}

function PriceDialog() {
  const { t } = useTranslation();
  const sel = useSelected();
  const [value, setValue] = useState('');
  const { error, setError, fail } = useError();
  const close = useCart((s) => s.close);
  if (!sel) return null;
  const submit = async () => {
    let fen: number;
    try {
      fen = parseYuan(value);
    } catch {
      return setError(t('dialogs.badPrice'));
    }
    if (fen < 0) return setError(t('dialogs.badPrice'));
    try {
      const v = await useCart.getState().run('cart.overridePrice', { lineId: sel.line.id, unitPriceFen: fen }, APPROVAL.price);
      if (v) close();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('dialogs.priceTitle', { name: sel.line.name })} testId="price-dialog" onClose={close}>
      <p className="muted">
        {t('dialogs.catalogPrice')}{t('common.colon')}{formatYuan(sel.priced.originalUnitPriceFen)}/{sel.line.unit} · {t('dialogs.currentPrice')}{t('common.colon')}
        {formatYuan(sel.priced.unitPriceFen)}
      </p>
      <Entry value={value} onChange={setValue} onSubmit={() => void submit()} prefix="¥" placeholder="0.00" testId="price-input" big />
      <p className="muted small-note">{t('dialogs.needsManager')}</p>
      <ErrorLine error={error} />
    </Dialog>
  );
}

/** The 折 typed as a discount: "9" → 1000 bp off, "85" → 1500; null for 10折 (nothing off), 0折 (free: a price override) or no 折. */
function discountBp(s: string): number | null {
  const bp = zheToBp(s);
  return bp !== null && bp > 0 && bp < 10_000 ? bp : null;
}

/** The 折 a shop gives most (九五折 … 七折): one tap each. */
const ZHE_PRESETS = ['9.5', '9', '8', '7'] as const;

function DiscountDialog() {
  const { t } = useTranslation();
  const sel = useSelected();
  const view = useCart((s) => s.view);
  const close = useCart((s) => s.close);
  const [scope, setScope] = useState<'line' | 'order'>('line');
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const { error, setError, fail } = useError();
  /** `preset`: a 折 button (9折 …) applies at once, as the typed 折 would. */
  const apply = async (clear = false, preset?: string) => {
    let discount: { kind: 'percent'; bp: number } | { kind: 'amount'; fen: number } | null = null;
    if (!clear) {
      if (preset !== undefined || kind === 'percent') {
        const bp = discountBp(preset ?? value);
        if (bp === null) return setError(t('dialogs.badZhe'));
        discount = { kind: 'percent', bp };
      } else {
        let fen: number;
        try {
          fen = parseYuan(value);
        } catch {
          return setError(t('dialogs.badPrice'));
        }
        if (fen <= 0) return setError(t('dialogs.badPrice'));
        discount = { kind: 'amount', fen };
      }
    }
    try {
      const run = useCart.getState().run;
      const v =
        scope === 'line' && sel
          ? await run('cart.setLineDiscount', { lineId: sel.line.id, discount }, APPROVAL.discount)
          : await run('cart.setOrderDiscount', { discount }, APPROVAL.discount);
      if (v) close();
    } catch (e) {
      fail(e);
    }
  };
  const bp = kind === 'percent' ? discountBp(value) : null;
  const base = scope === 'line' && sel ? sel.priced.grossFen : (view?.priced.grossFen ?? 0);
  return (
    <Dialog title={t('dialogs.discountTitle')} testId="discount-dialog" onClose={close}>
      <div className="seg" role="radiogroup" aria-label={t('dialogs.scope')}>
        <button type="button" className={`seg-btn ${scope === 'line' ? 'on' : ''}`} onClick={() => setScope('line')} disabled={!sel} data-testid="discount-line">
          {t('dialogs.lineDiscount')}
          {sel && <small>{sel.line.name}</small>}
        </button>
        <button type="button" className={`seg-btn ${scope === 'order' ? 'on' : ''}`} onClick={() => setScope('order')} data-testid="discount-order">
          {t('dialogs.orderDiscount')}
        </button>
      </div>
      <div className="seg" role="radiogroup" aria-label={t('dialogs.kind')}>
        <button type="button" className={`seg-btn ${kind === 'percent' ? 'on' : ''}`} onClick={() => setKind('percent')} data-testid="discount-percent">
          {t('dialogs.byZhe')}
        </button>
        <button type="button" className={`seg-btn ${kind === 'amount' ? 'on' : ''}`} onClick={() => setKind('amount')} data-testid="discount-amount">
          {t('dialogs.byAmount')}
        </button>
      </div>
      <Entry
        key={kind}
        value={value}
        onChange={setValue}
        onSubmit={() => void apply()}
        prefix={kind === 'amount' ? '-¥' : undefined}
        suffix={kind === 'percent' ? t('dialogs.zheUnit') : undefined}
        decimals={kind === 'percent' ? 1 : 2}
        placeholder={kind === 'percent' ? '9' : '0.00'}
        testId="discount-input"
      />
      <div className="seg" role="group" aria-label={t('counter.presets')}>
        {ZHE_PRESETS.map((z) => (
          <button
            key={z}
            type="button"
            className="seg-btn"
            onClick={() => {
              setKind('percent');
              setValue(z);
              void apply(false, z);
            }}
            data-testid={`discount-preset-${z}`}
          >
            {t('checkout.zhe', { zhe: z })}
          </button>
        ))}
      </div>
      <p className="entry-preview" data-testid="discount-preview">
        {bp !== null ? t('dialogs.zhePreview', { zhe: bpToZhe(bp), pct: bp / 100, amount: formatYuan(-percentOf(base, bp)) }) : '\u00a0'}
      </p>
      <div className="row-actions">
        <button type="button" className="btn" onClick={() => void apply(true)} data-testid="discount-clear">
          {t('dialogs.clearDiscount')}
        </button>
      </div>
      <p className="muted small-note">{t('dialogs.discountLimit')}</p>
      <ErrorLine error={error} />
    </Dialog>
  );
}

function MemberDialog() {
  const { t } = useTranslation();
  const member = useCart((s) => s.view?.member);
  const close = useCart((s) => s.close);
  const [phone, setPhone] = useState('');
  const { error, setError, fail } = useError();
  const attach = async (p: string | null) => {
    if (p !== null && !/^1\d{10}$/.test(p)) return setError(t('dialogs.badPhone'));
    try {
      const v = await useCart.getState().run('cart.attachMember', { phone: p });
      if (v) {
        if (p && v.member) useCart.getState().say({ kind: 'ok', text: t('dialogs.memberAttached', { name: v.member.name }) });
        close();
      }
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('dialogs.memberTitle')} testId="member-dialog" onClose={close}>
      {member && (
        <div className="member-now">
          <span>
            {member.name} · {member.level} · {member.phone}
          </span>
          <button type="button" className="btn" onClick={() => void attach(null)} data-testid="member-detach">
            {t('dialogs.memberDetach')}
          </button>
        </div>
      )}
      <Entry value={phone} onChange={setPhone} onSubmit={() => void attach(phone)} decimals={0} maxLen={11} placeholder={t('dialogs.phone')} testId="member-phone" enterLabel={t('dialogs.find')} />
      <ErrorLine error={error} />
    </Dialog>
  );
}

function HeldDialog() {
  const { t, i18n } = useTranslation();
  const close = useCart((s) => s.close);
  const items = useCart((s) => s.view?.priced.itemCount ?? 0); // held in the same step as the recall
  const cashier = useSession((s) => s.session?.role === 'cashier');
  const [held, setHeld] = useState<HeldCartView[] | null>(null);
  const [posterFor, setPosterFor] = useState<string | null>(null); // a 远程收款 just asked for: its poster opens
  const { error, fail } = useError();
  const loadHeld = useCallback(() => {
    call('cart.held', {}).then(setHeld, fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(loadHeld, [loadHeld]);
  const recall = async (id: string) => {
    try {
      const v = await useCart.getState().run('cart.recall', { heldId: id });
      if (v) {
        useCart.getState().say({ kind: 'ok', text: t('dialogs.recalled') });
        close();
      }
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('dialogs.heldTitle')} testId="held-dialog" onClose={close} wide>
      {items > 0 && <p className="warn-note" data-testid="recall-swap-note">{t('cartOwner.recallSwap', { count: items })}</p>}
      {cashier && <p className="muted">{t('cartOwner.heldMine')}</p>}
      {held === null && <p className="muted">{t('dialogs.heldLoading')}</p>}
      {held && held.length === 0 && <p className="muted">{t('dialogs.noHeld')}</p>}
      {/* data-ready: the list is the server's answer, not the empty first render */}
      <ul className="pick-list" data-testid="held-list" data-ready={held ? 'yes' : 'no'}>
        {held?.map((h) => (
          <li key={h.id}>
            <button type="button" className="pick" onClick={() => void recall(h.id)} data-testid="held-cart">
              <span className="pick-main">
                <strong>{new Date(h.heldAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })}</strong> ·{' '}
                {t('dialogs.heldItems', { count: h.itemCount })} · {h.userName}
                <small>{h.firstItems}</small>
              </span>
              <Money fen={h.totalFen} className="pick-amount" />
            </button>
            <RemoteRequestButtons heldId={h.id} onCreated={setPosterFor} onError={fail} />
          </li>
        ))}
      </ul>
      <RemoteRequestList posterFor={posterFor} onPosterClosed={() => setPosterFor(null)} onChanged={loadHeld} />
      <ErrorLine error={error} />
    </Dialog>
  );
}

function VoidDialog() {
  const { t } = useTranslation();
  const close = useCart((s) => s.close);
  const total = useCart((s) => s.view?.priced.totalFen ?? 0);
  const { error, fail } = useError();
  const confirm = async () => {
    try {
      const v = await useCart.getState().run('cart.void', {}, APPROVAL.void);
      if (v) {
        useCart.getState().say({ kind: 'info', text: t('dialogs.voided') });
        close();
      }
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('dialogs.voidTitle')} testId="void-dialog" onClose={close}>
      <p className="big-note">{t('dialogs.voidConfirm', { amount: formatYuan(total) })}</p>
      <div className="row-actions">
        <button type="button" className="btn" onClick={close}>
          {t('common.cancel')}
        </button>
        <button type="button" className="btn danger" onClick={() => void confirm()} data-testid="void-confirm" autoFocus>
          {t('dialogs.voidDo')}
        </button>
      </div>
      <ErrorLine error={error} />
    </Dialog>
  );
}

function ShiftDialog() {
  const { t } = useTranslation();
  const close = useCart((s) => s.close);
  const [value, setValue] = useState('');
  const { error, setError, fail } = useError();
  const submit = async () => {
    let fen = 0;
    try {
      fen = value ? parseYuan(value) : 0;
    } catch {
      return setError(t('dialogs.badPrice'));
    }
    if (fen < 0) return setError(t('dialogs.badPrice'));
    try {
      await call('shift.open', { openingCashFen: fen });
      await useSession.getState().refreshStatus();
      useCart.getState().say({ kind: 'ok', text: t('dialogs.shiftOpened') });
      close();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('checkout.openShift')} testId="shift-dialog" onClose={close}>
      <p>{t('checkout.openShiftHint')}</p>
      <Entry value={value} onChange={setValue} onSubmit={() => void submit()} prefix="¥" placeholder="0.00" testId="shift-float" enterLabel={t('checkout.openShift')} />
      <ErrorLine error={error} />
    </Dialog>
  );
}
