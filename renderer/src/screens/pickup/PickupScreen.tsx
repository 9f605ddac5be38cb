// 核销/自提: three tabs. 自提取货 — one field for the pickup code (scanner or typed), or a phone / order
// number (orders.list search), then the order's hand-over (PickupOrder). 团购券核销 — a voucher code or
// Douyin QR opens the redemption dialog; the current cart's vouchers, undone within the platform's window
// by a manager (a cashier's undo asks for the manager's PIN on the spot). 核销记录 — the voucher log (filter, export for a manager) and the latest pickups.
// A scan anywhere on the screen goes to the field's rule (the classifier decides what it is).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OnlineOrderDetail, OnlineOrderSummary, PickupLogRow, RedemptionView, VoucherLogView } from '../../../../shared/api';
import { ROLE_RANK } from '../../../../shared/api';
import { ApprovalAction } from '../../../../shared/approvals';
import { formatYuan } from '../../../../shared/money';
import { scanKind } from '../../../../shared/scan-kind';
import { normalizeCode } from '../../../../shared/barcode';
import { ApiCallError, call } from '../../api/client';
import { ManagerApproval } from '../../components/ManagerApproval';
import { TabBar } from '../../components/TabBar';
import { beepError } from '../../feedback';
import { LEVEL, useLayer } from '../../keys/layers';
import { withApproval } from '../../stores/approval';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { PickupOrder } from './PickupOrder';
import { RedeemHost } from './RedeemDialog';
import { candidatesOf, useRedeem } from './redeem-store';
import './pickup.css';

type Tab = 'pickup' | 'vouchers' | 'log';
const TABS = ['pickup', 'vouchers', 'log'] as const;
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const time = (ms: number) => new Date(ms).toLocaleString();
/** A scan that arrived on the log tab: the pickup tab takes it when it opens. */
let pendingScan: string | null = null;

export function PickupScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('pickup');
  const [bump, setBump] = useState(0);
  const submitRef = useRef<(code: string) => void>(() => undefined);
  const tabRef = useRef(tab);
  tabRef.current = tab;
  useLayer(
    {
      onScan: (c) => {
        if (tabRef.current !== 'log') return submitRef.current(c);
        pendingScan = c; // the log has no field: the pickup tab opens with the code
        setTab('pickup');
      },
    },
    LEVEL.screen,
  );
  return (
    <div className="pickup-screen" data-testid="screen-pickup">
      <TabBar tabs={TABS} current={tab} onSelect={(k) => setTab(k as Tab)} label={(k) => t(`pickup.tabs.${k}`)} testIdPrefix="pickup-tab-" />
      {tab === 'pickup' && <PickupTab submitRef={submitRef} />}
      {tab === 'vouchers' && <VouchersTab submitRef={submitRef} bump={bump} />}
      {tab === 'log' && <LogTab />}
      <RedeemHost onRedeemed={() => setBump((n) => n + 1)} />
      <ManagerApproval />
    </div>
  );
}

/** A voucher shape (Douyin link, 15 digits …) opens the voucher dialog; null when it is not a voucher. */
function openVoucher(code: string): boolean {
  const c = candidatesOf(code).filter((x) => x !== 'pickup');
  if (!c.length) return false;
  const k = scanKind(code);
  // A code that is only a voucher, or a link: straight to it; a code that may also be a pickup code: the cashier picks.
  useRedeem.getState().show({ code, candidates: k.kind === 'code' ? k.candidates : c });
  return true;
}

function PickupTab({ submitRef }: { submitRef: React.MutableRefObject<(code: string) => void> }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<{ order: OnlineOrderDetail; code: string | null } | null>(null);
  const [list, setList] = useState<OnlineOrderSummary[] | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const byOrder = async (q: string) => {
    const page = await call('orders.list', { q, limit: 20 });
    if (page.items.length === 1) {
      setFound({ order: await call('orders.get', { id: page.items[0].id }), code: null });
      return true;
    }
    setList(page.items);
    return page.items.length > 0;
  };

  const submit = async (raw: string) => {
    const code = normalizeCode(raw);
    if (!code) return;
    setText('');
    setError('');
    setFound(null);
    setList(null);
    const k = scanKind(code);
    // A code that is only a voucher goes to the voucher dialog (the classifier says so).
    if (k.kind === 'douyin_link' || k.kind === 'bad_link' || (k.kind === 'code' && !k.candidates.includes('pickup'))) {
      openVoucher(code);
      return;
    }
    setBusy(true);
    try {
      if (k.kind === 'code') {
        try {
          const r = await call('pickup.lookup', { code });
          setFound({ order: r.order, code: r.code });
          return;
        } catch (e) {
          // Not a code the platform knows: it may be a phone or an order number typed here.
          if (!(e instanceof ApiCallError) || e.code !== 'PICKUP_CODE_UNKNOWN') throw e;
          if (!(await byOrder(code))) throw e;
          return;
        }
      }
      if (k.kind === 'product' || k.kind === 'payment') {
        await call('pickup.lookup', { code }); // refused with its reason (product / payment code)
        return;
      }
      if (!(await byOrder(code))) {
        beepError();
        setError(t('pickup.none'));
      }
    } catch (e) {
      beepError();
      setError(errorText(e));
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  };
  submitRef.current = (c) => void submit(c);
  useEffect(() => {
    const c = pendingScan;
    pendingScan = null;
    if (c) void submit(c);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="pickup-tab">
      <form
        className="pickup-find"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(text);
        }}
      >
        <input
          ref={inputRef}
          autoFocus
          className="pickup-input"
          data-testid="pickup-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('pickup.field')}
          aria-label={t('pickup.field')}
          autoComplete="off"
          data-scan-field
        />
        <button type="submit" className="btn primary" disabled={busy} data-testid="pickup-find">
          {t('pickup.find')}
        </button>
      </form>
      <p className="muted small-note">{t('pickup.help')}</p>
      {error && (
        <div className="pickup-error" role="alert" data-testid="pickup-find-error">
          ⚠ {error}
        </div>
      )}
      {list && list.length > 1 && (
        <ul className="pickup-found" data-testid="pickup-found">
          <li className="muted">{t('pickup.orders')}</li>
          {list.map((o) => (
            <li key={o.id}>
              <button type="button" className="btn" data-testid="pickup-found-order" onClick={() => void call('orders.get', { id: o.id }).then((d) => setFound({ order: d, code: null }))}>
                {o.platformOrderId} · {o.buyerName ?? ''} {o.buyerPhone ?? ''} · {o.firstItemName ?? ''} ×{o.itemCount} · {t(`pickup.sync.${o.syncState}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {found && <PickupOrder key={found.order.id + (found.code ?? '')} order={found.order} code={found.code} />}
    </div>
  );
}

function VouchersTab({ submitRef, bump }: { submitRef: React.MutableRefObject<(code: string) => void>; bump: number }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [cart, setCart] = useState<RedemptionView[]>([]);
  const role = useSession((s) => s.session?.role);
  const mayUndo = ROLE_RANK[role ?? 'staff'] >= ROLE_RANK.cashier;
  const load = useCallback(() => {
    call('vouchers.forCart', {})
      .then((v) => setCart(v.redeemed))
      .catch((e) => setError(errorText(e)));
  }, []);
  useEffect(load, [load, bump]);

  const submit = (raw: string) => {
    const code = normalizeCode(raw);
    if (!code) return;
    setText('');
    setError('');
    if (!openVoucher(code)) {
      beepError();
      // Not a voucher shape: the main side words why (product, payment code, truncated QR …).
      void call('vouchers.prepare', { code }).catch((e) => setError(errorText(e)));
    }
  };
  submitRef.current = submit;

  return (
    <div className="pickup-tab">
      <form
        className="pickup-find"
        onSubmit={(e) => {
          e.preventDefault();
          submit(text);
        }}
      >
        <input className="pickup-input" autoFocus data-testid="voucher-input" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('pickup.voucherField')} aria-label={t('pickup.voucherField')} autoComplete="off" data-scan-field />
        <button type="submit" className="btn primary" data-testid="voucher-verify">
          {t('pickup.verify')}
        </button>
      </form>
      {error && (
        <div className="pickup-error" role="alert" data-testid="voucher-error">
          ⚠ {error}
        </div>
      )}
      <h3>{t('pickup.cartVouchers')}</h3>
      {cart.length === 0 && <p className="muted">{t('pickup.noCartVouchers')}</p>}
      <ul className="pickup-cart-vouchers">
        {cart.map((r) => (
          <li key={r.id} data-testid="cart-voucher">
            <span>
              {r.platformLabel} · {r.title} · {r.uses} × {formatYuan(r.unitValueFen)} = <strong>{formatYuan(r.valueFen)}</strong>
            </span>
            <UndoButton r={r} mayUndo={mayUndo} onDone={load} onError={setError} />
          </li>
        ))}
      </ul>
      {cart.length > 0 && mayUndo && (
        <button type="button" className="btn primary" onClick={() => useNav.getState().go('checkout')} data-testid="voucher-to-checkout">
          {t('pickup.toCheckout')}
        </button>
      )}
    </div>
  );
}

/** 撤销: a manager undoes at once; a cashier's undo asks for the manager's PIN on the spot (bound to this redemption); staff may not. */
function UndoButton({ r, mayUndo, onDone, onError }: { r: RedemptionView; mayUndo: boolean; onDone(): void; onError(s: string): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  if (r.state === 'UNDONE') return <span className="muted">{t('pickup.undone')}</span>;
  if (r.state !== 'REDEEMED' || !r.undoUntil || r.saleId) return null;
  if (!mayUndo) return <small className="muted">{t('pickup.undoManager')}</small>;
  return (
    <button
      type="button"
      className="btn"
      disabled={busy}
      data-testid="voucher-undo"
      onClick={() => {
        setBusy(true);
        withApproval(ApprovalAction.voucherUndo, (approval) => call('vouchers.undo', { id: r.id, approval }))
          .then((done) => done && onDone())
          .catch((e) => {
            beepError();
            onError(errorText(e));
          })
          .finally(() => setBusy(false));
      }}
    >
      {t('pickup.undo')}
    </button>
  );
}

function LogTab() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const manager = ROLE_RANK[role ?? 'cashier'] >= ROLE_RANK.manager;
  const [platform, setPlatform] = useState<'' | 'douyin' | 'meituan'>('');
  const [result, setResult] = useState<'' | 'redeemed' | 'undone' | 'failed' | 'open'>('');
  const [view, setView] = useState<VoucherLogView | null>(null);
  const [pickups, setPickups] = useState<PickupLogRow[]>([]);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const filter = { ...(platform ? { platform } : {}), ...(result ? { result } : {}) };
  const load = useCallback(() => {
    call('vouchers.log', { ...(platform ? { platform } : {}), ...(result ? { result } : {}) })
      .then(setView)
      .catch((e) => setNote({ ok: false, text: errorText(e) }));
    call('pickup.log', {})
      .then((r) => setPickups(r.rows))
      .catch(() => undefined);
  }, [platform, result]);
  useEffect(load, [load]);
  return (
    <div className="pickup-tab pickup-log">
      <h3>{t('pickup.log.vouchers')}</h3>
      <div className="pickup-filters">
        <span>{t('pickup.log.platform')}</span>
        {(['', 'douyin', 'meituan'] as const).map((p) => (
          <button key={p || 'all'} type="button" className={`btn ${platform === p ? 'primary' : ''}`} onClick={() => setPlatform(p)} data-testid={`log-platform-${p || 'all'}`}>
            {p ? t(`pickup.redeem.as.${p}`) : t('pickup.log.all')}
          </button>
        ))}
        <span>{t('pickup.log.result')}</span>
        <select className="pickup-select" value={result} onChange={(e) => setResult(e.target.value as typeof result)} data-testid="log-result">
          <option value="">{t('pickup.log.all')}</option>
          {(['redeemed', 'undone', 'failed', 'open'] as const).map((r) => (
            <option key={r} value={r}>
              {t(`pickup.log.results.${r}`)}
            </option>
          ))}
        </select>
        <button type="button" className="btn" onClick={load} data-testid="log-refresh">
          {t('pickup.log.refresh')}
        </button>
        {manager && (
          <button
            type="button"
            className="btn"
            data-testid="log-export"
            onClick={() =>
              void call('vouchers.export', { ...filter, format: 'xlsx' })
                .then((r) => setNote({ ok: true, text: t('pickup.log.exported', { rows: r.rows, file: r.file }) }))
                .catch((e) => setNote({ ok: false, text: errorText(e) }))
            }
          >
            {t('pickup.log.export')}
          </button>
        )}
      </div>
      {note && (
        <div className={note.ok ? 'pickup-ok' : 'pickup-error'} role="status" data-testid="log-note">
          {note.text}
        </div>
      )}
      <table className="pickup-table" data-testid="voucher-log">
        <thead>
          <tr>
            {(['at', 'platform', 'code', 'title', 'uses', 'value', 'state', 'by'] as const).map((c) => (
              <th key={c}>{t(`pickup.log.col.${c}`)}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {view?.rows.map((r) => (
            <tr key={r.id} data-testid="voucher-log-row" data-state={r.state}>
              <td>{time(r.createdAt)}</td>
              <td>{r.platformLabel}</td>
              <td>{r.codeMask}</td>
              <td>{r.title}</td>
              <td className="num">{r.uses}</td>
              <td className="num">{formatYuan(r.valueFen)}</td>
              <td>{r.words}</td>
              <td>{r.createdByName ?? r.createdBy}</td>
              <td>
                <UndoButton r={r} mayUndo={ROLE_RANK[role ?? 'staff'] >= ROLE_RANK.cashier} onDone={load} onError={(text) => setNote({ ok: false, text })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view && view.rows.length === 0 && <p className="muted">{t('pickup.log.empty')}</p>}
      <h3>{t('pickup.log.pickups')}</h3>
      <table className="pickup-table" data-testid="pickup-log">
        <thead>
          <tr>
            {(['at', 'order', 'items', 'by'] as const).map((c) => (
              <th key={c}>{t(`pickup.log.col.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {pickups.map((p) => (
            <tr key={p.key} data-testid="pickup-log-row">
              <td>{time(p.at)}</td>
              <td>{p.platformOrderId}</td>
              <td>{p.items}</td>
              <td>{p.byName ?? p.by ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pickups.length === 0 && <p className="muted">{t('pickup.log.empty')}</p>}
    </div>
  );
}
