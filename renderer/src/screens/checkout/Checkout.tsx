// 收银: the scan field always ready, the cart on the left, member and totals on the right, the
// function keys along the bottom. Every change goes through the main side (cart.*) and the screen
// shows the CartView it answers.
import i18next from 'i18next';
import { memo, useCallback, useEffect, useMemo, useRef, type RefObject } from 'react';
import { create } from 'zustand';
import { useTranslation } from 'react-i18next';
import { normalizeCode } from '../../../../shared/barcode';
import { ApiCallError, call } from '../../api/client';
import { ManagerApproval } from '../../components/ManagerApproval';
import { NumPad } from '../../components/NumPad';
import { beepError, beepOk } from '../../feedback';
import { LEVEL, routeScan, useLayer } from '../../keys/layers';
import { takeHandedScan } from '../../keys/ScanElsewhere';
import { useApproval, withApproval } from '../../stores/approval';
import { errorText, useCart } from '../../stores/cart';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { APPROVAL } from './actions';
import { CartTable } from './CartTable';
import { DialogHost } from './dialogs';
import { RedeemHost } from '../pickup/RedeemDialog';
import { offerRedeem, offerRedeemUnknown } from '../pickup/redeem-store';
import { SidePane } from './SidePane';

const MULTIPLIER = /^(\d{1,3})[*×xX]$/;

/** The scan field's text, outside the Checkout component so typing re-renders only the field. */
const useScanText = create<{ text: string }>(() => ({ text: '' }));
const setCode = (v: string | ((c: string) => string)) =>
  useScanText.setState((s) => ({ text: typeof v === 'function' ? v(s.text) : v }));

function ScanInput({ inputRef, placeholder }: { inputRef: RefObject<HTMLInputElement | null>; placeholder: string }) {
  const text = useScanText((s) => s.text);
  return (
    <input
      ref={inputRef}
      className="scan-input"
      data-testid="scan-input"
      value={text}
      onChange={(e) => setCode(e.target.value)}
      placeholder={placeholder}
      autoComplete="off"
      spellCheck={false}
      inputMode="numeric"
      aria-label={placeholder}
      data-scan-field /* a scan here is typed and submitted by the field itself (keys/app-keys) */
    />
  );
}

const payNow = () => void toPayment();
const holdNow = () => void hold();
const removeNow = () => void removeLine();

export function Checkout() {
  const { t } = useTranslation();
  const dialog = useCart((s) => s.dialog);
  const pending = useApproval((s) => s.pending);
  const shiftOpen = useSession((s) => s.status?.shift.open);
  const scanRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    useCart
      .getState()
      .load()
      .catch((e) => useCart.getState().say({ kind: 'error', text: errorText(e) }))
      // A code scanned on another screen and brought here (keys/ScanElsewhere): after the cart is read.
      .finally(() => {
        const handed = takeHandedScan();
        if (handed) routeScan(handed);
      });
  }, []);

  // ---- scanning ---------------------------------------------------------------------------
  const scanCode = useCallback(
    async (raw: string, multiplier?: number) => {
      const { run, say } = useCart.getState();
      if (offerRedeem(raw, false)) return; // a Douyin voucher QR: the redemption dialog, same screen
      try {
        // The line and its 已添加 message in one update: one render before the frame that shows them.
        await run('cart.scan', multiplier && multiplier > 1 ? { code: raw, multiplier } : { code: raw }, undefined, (view) => {
          const line = view.lines.find((l) => l.id === view.focusLineId) ?? view.lines[view.lines.length - 1];
          return { kind: 'ok', text: t('checkout.added', { name: line?.name ?? raw }) };
        });
        beepOk();
      } catch (e) {
        const unknown = e instanceof ApiCallError && e.code === 'UNKNOWN_BARCODE';
        // Not a product here (unknown, or no valid GTIN): a voucher or pickup code when the classifier says it fits one.
        if (e instanceof ApiCallError && ['UNKNOWN_BARCODE', 'BAD_CHECK_DIGIT', 'BAD_FORMAT'].includes(e.code) && (await offerRedeemUnknown(raw))) return;
        beepError();
        say({ kind: 'error', text: errorText(e), unknownCode: unknown ? raw : undefined });
      }
    },
    [t],
  );

  /** Typed code + Enter in the scan field (also `6*6901234567892`). */
  const submitField = () => {
    const raw = normalizeCode(useScanText.getState().text); // ６*６９０… typed in 全角 reads as 6*690…
    if (!raw) return;
    setCode('');
    const m = /^(\d{1,3})[*×xX](.+)$/.exec(raw);
    if (m && Number(m[1]) === 0) {
      beepError();
      useCart.getState().say({ kind: 'error', text: t('checkout.badMultiplier') });
      return;
    }
    void scanCode(m ? m[2] : raw, m ? Number(m[1]) : undefined);
  };

  // The cart is the screen's layer: a scan that no dialog takes goes into the cart, and the function
  // keys act here while no dialog is open (keys/app-keys routes them; dialogs are modal layers).
  useLayer(
    {
      onScan: (c) => {
        const pre = normalizeCode(scanRef.current?.value ?? '');
        const m = MULTIPLIER.exec(pre);
        setCode('');
        void scanCode(c, m ? Number(m[1]) || undefined : undefined);
      },
      onKey: (e) => {
        const target = e.target as HTMLElement;
        const inScan = target === scanRef.current;
        const inOther = !inScan && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA');
        const scanEmpty = !scanRef.current?.value;
        const free = (inScan && scanEmpty) || (!inScan && !inOther);
        const act = (fn: () => void) => {
          fn();
          return true;
        };
        switch (e.key) {
          case 'F1':
            return act(() => openSearch());
          case 'F2':
            return act(() => useCart.getState().open({ kind: 'member' }));
          case 'F3':
            return act(() => void hold());
          case 'F4':
            return act(() => useCart.getState().open({ kind: 'held' }));
          case 'F5':
            return act(() => needLine() && useCart.getState().open({ kind: 'discount' }));
          case 'F6':
            return act(() => needLine() && useCart.getState().open({ kind: 'price' }));
          case 'F7':
            return act(() => useCart.getState().open({ kind: 'return' }));
          case 'F8':
            return act(() => void openDrawer());
          case 'F9':
            return act(() => useNav.getState().go('shift'));
          case 'F10':
            return act(() => needLine() && useCart.getState().open({ kind: 'void' }));
          case 'ArrowUp':
            return !inOther && act(() => useCart.getState().move(-1));
          case 'ArrowDown':
            return !inOther && act(() => useCart.getState().move(1));
          case 'Delete':
            return free && act(() => void removeLine());
          case '*':
            return free && act(() => needLine() && useCart.getState().open({ kind: 'qty' }));
          case '+':
          case '-':
            return free && act(() => void bumpQty(e.key === '+' ? 1 : -1));
          case ' ':
            return free && act(() => void toPayment());
          case 'End':
            return !inOther && act(() => void toPayment());
        }
        return false;
      },
    },
    LEVEL.screen,
  );

  // Stable children: a key typed in the scan field re-renders the field only, not the cart.
  const submitRef = useRef(submitField);
  submitRef.current = submitField;
  const pad = useMemo(
    () => (
      <NumPad
        compact
        dot
        extra="×"
        testId="scan-pad"
        onKey={(k) => {
          if (k === 'Backspace') setCode((c) => c.slice(0, -1));
          else if (k === 'Clear') setCode('');
          else setCode((c) => (c + (k === '×' ? '*' : k)).slice(0, 48));
          scanRef.current?.focus();
        }}
        onEnter={() => submitRef.current()}
        enterLabel={t('checkout.enterKey')}
      />
    ),
    [t],
  );

  // ---- focus: the scan field is always ready --------------------------------------------------
  useEffect(() => {
    if (dialog || pending) return;
    scanRef.current?.focus();
    const refocus = () => {
      const a = document.activeElement;
      if (!a || a === document.body || a.tagName === 'BUTTON') scanRef.current?.focus();
    };
    const id = window.setInterval(refocus, 400);
    return () => window.clearInterval(id);
  }, [dialog, pending]);

  return (
    <div className="checkout" data-testid="screen-checkout">
      <div className="cart-pane">
        {shiftOpen === false && (
          <div className="shift-banner" data-testid="shift-banner">
            <span>⚠ {t('checkout.shiftClosed')}</span>
            <button type="button" className="btn primary" onClick={() => useCart.getState().open({ kind: 'shift' })} data-testid="open-shift">
              {t('checkout.openShift')}
            </button>
          </div>
        )}
        <form
          className="scan-bar"
          onSubmit={(e) => {
            e.preventDefault();
            submitField();
          }}
        >
          <ScanInput inputRef={scanRef} placeholder={t('checkout.scanPlaceholder')} />
          <button type="button" className="btn search-btn" onClick={() => openSearch()} data-testid="open-search">
            {t('checkout.search')} <kbd>F1</kbd>
          </button>
        </form>
        <ScanMessageLine />
        <CartTable />
      </div>
      <SidePane onPay={payNow} pad={pad} />
      <FunctionKeys onSearch={openSearch} onHold={holdNow} onRemove={removeNow} />
      <DialogHost />
      <RedeemHost onRedeemed={() => void useCart.getState().load().catch(() => undefined)} />
      <ManagerApproval />
    </div>
  );
}

function ScanMessageLine() {
  const { t } = useTranslation();
  const message = useCart((s) => s.message);
  const role = useCheckoutRole();
  return (
    <div className={`scan-message ${message?.kind ?? ''}`} role="status" data-testid="scan-message">
      <span className="scan-message-text">
        {message?.kind === 'error' ? '⚠ ' : message?.kind === 'ok' ? '✓ ' : ''}
        {message?.text}
      </span>
      {message?.unknownCode && (
        <span className="scan-message-actions">
          <button
            type="button"
            className="btn small"
            data-testid="unknown-search"
            onClick={() => useCart.getState().open({ kind: 'search', q: message.unknownCode })}
          >
            {t('checkout.findByName')}
          </button>
          <button
            type="button"
            className="btn small"
            data-testid="unknown-create"
            onClick={() => useCart.getState().open({ kind: 'create', code: message.unknownCode! })}
          >
            {t('checkout.createProduct')}
            {role === 'cashier' && <small className="muted"> · {t('checkout.createNeedsManager')}</small>}
          </button>
        </span>
      )}
    </div>
  );
}

const useCheckoutRole = () => useSession((s) => s.session?.role);

// ---- actions shared by keys and buttons --------------------------------------------------------
function openSearch() {
  useCart.getState().open({ kind: 'search' });
}

function needLine(): boolean {
  const { view, selectedId, say } = useCart.getState();
  if (view?.lines.length && selectedId) return true;
  say({ kind: 'info', text: i18nT('checkout.cartEmpty') });
  return false;
}

async function hold() {
  const { view, run, say } = useCart.getState();
  if (!view?.lines.length) return say({ kind: 'info', text: i18nT('checkout.cartEmpty') });
  try {
    const v = await run('cart.hold', {});
    say({ kind: 'ok', text: i18nT('checkout.held', { count: v?.heldCount ?? 0 }) });
  } catch (e) {
    beepError();
    say({ kind: 'error', text: errorText(e) });
  }
}

async function removeLine() {
  if (!needLine()) return;
  const { selectedId, run, say, view } = useCart.getState();
  const name = view?.lines.find((l) => l.id === selectedId)?.name ?? '';
  try {
    const v = await run('cart.removeLine', { lineId: selectedId! }, APPROVAL.removeLine);
    if (v) say({ kind: 'info', text: i18nT('checkout.removed', { name }) });
  } catch (e) {
    beepError();
    say({ kind: 'error', text: errorText(e) });
  }
}

async function bumpQty(delta: number) {
  if (!needLine()) return;
  const { selectedId, run, say, view } = useCart.getState();
  const i = view!.lines.findIndex((l) => l.id === selectedId);
  const line = view!.lines[i];
  const priced = view!.priced.lines[i];
  if (line.weighed) return say({ kind: 'info', text: i18nT('checkout.weighedQty') });
  const qty = priced.qty + delta * 1000;
  try {
    if (qty <= 0) await run('cart.removeLine', { lineId: line.id }, APPROVAL.removeLine);
    else await run('cart.setQty', { lineId: line.id, qty }, APPROVAL.reduceQty);
  } catch (e) {
    beepError();
    say({ kind: 'error', text: errorText(e) });
  }
}

/** 开钱箱 without a sale (change for a customer, a count): the manager approves, it is audited. */
async function openDrawer() {
  const { say } = useCart.getState();
  try {
    const r = await withApproval(APPROVAL.drawer, (approval) => call('drawer.open', approval ? { approval } : {}));
    if (r) say({ kind: 'ok', text: i18nT('checkout.drawerOpened') });
  } catch (e) {
    beepError();
    say({ kind: 'error', text: errorText(e) });
  }
}

async function toPayment() {
  const { view, run, say, open } = useCart.getState();
  if (!view?.lines.length) return say({ kind: 'info', text: i18nT('checkout.cartEmpty') });
  if (useSession.getState().status?.shift.open === false) return open({ kind: 'shift' });
  try {
    await run('cart.subtotal', {});
    open({ kind: 'payment' });
  } catch (e) {
    beepError();
    say({ kind: 'error', text: errorText(e) });
  }
}

const i18nT = (key: string, opts?: Record<string, unknown>) => i18next.t(key, opts) as string;

const FunctionKeys = memo(function FunctionKeys({ onSearch, onHold, onRemove }: { onSearch(): void; onHold(): void; onRemove(): void }) {
  const { t } = useTranslation();
  const open = useCart((s) => s.open);
  const go = useNav((s) => s.go);
  const key = (k: string, label: string, onClick: () => void, opts: { disabled?: boolean; note?: string; id: string } = { id: k }) => (
    <button
      type="button"
      className="fkey"
      onClick={onClick}
      disabled={opts.disabled}
      title={opts.note}
      data-testid={`fkey-${opts.id}`}
    >
      <kbd>{k}</kbd>
      <span>{label}</span>
      {opts.note && <small>{opts.note}</small>}
    </button>
  );
  return (
    <div className="fkeys" role="toolbar" aria-label={t('checkout.functionKeys')}>
      {key('F1', t('fkeys.search'), onSearch, { id: 'search' })}
      {key('F2', t('fkeys.member'), () => open({ kind: 'member' }), { id: 'member' })}
      {key('F3', t('fkeys.hold'), onHold, { id: 'hold' })}
      {key('F4', t('fkeys.recall'), () => open({ kind: 'held' }), { id: 'recall' })}
      {key('F5', t('fkeys.discount'), () => needLine() && open({ kind: 'discount' }), { id: 'discount' })}
      {key('F6', t('fkeys.price'), () => needLine() && open({ kind: 'price' }), { id: 'price' })}
      {key('F7', t('fkeys.return'), () => open({ kind: 'return' }), { id: 'return' })}
      {key('F8', t('fkeys.drawer'), () => void openDrawer(), { id: 'drawer', note: t('fkeys.drawerNote') })}
      {key('Del', t('fkeys.remove'), onRemove, { id: 'remove' })}
      {key('F10', t('fkeys.void'), () => needLine() && open({ kind: 'void' }), { id: 'void' })}
      {key(t('fkeys.qtyKey'), t('fkeys.qty'), () => needLine() && open({ kind: 'qty' }), { id: 'qty' })}
      {key('F9', t('fkeys.shift'), () => go('shift'), { id: 'shift' })}
    </div>
  );
});
