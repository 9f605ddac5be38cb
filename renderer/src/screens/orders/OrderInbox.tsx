// 聚合订单 (the order inbox, every role): the online orders of all platforms in one list, newest first,
// paged from the main side as the list scrolls (virtualized; a busy shop has thousands), with filters
// (platform, status, delivery type, payment state, sync state, 超卖) and a search by order number or
// phone (a scanned order barcode fills it). A tap shows the order: its lines with the local SKU and
// how much of each is reserved, handed over or given back, and its history. An oversold order says
// so in words on its row and at the top of its detail, never by colour alone.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DELIVERY_TYPES,
  ONLINE_ORDER_STATUSES,
  ORDER_PLATFORMS,
  ORDER_SYNC_STATES,
  PAYMENT_STATES,
  type OnlineOrderDetail,
  type OnlineOrderSummary,
  type OrdersListInput,
  type SellableView,
} from '../../../../shared/api/orders';
import { formatYuan } from '../../../../shared/money';
import { LetterPad, letterEdit } from '../../components/LetterPad';
import { Money } from '../../components/Money';
import { BalanceDue } from './BalanceDue';
import { useScanAsSearch } from '../../keys/layers';
import { useSession } from '../../stores/session';
import { ROLE_RANK } from '../../../../shared/api';
import { errorText, platformWord, timeText } from '../sync/words';
import { ordersApi } from './api';
import '../settings/settings.css';
import '../journal/journal.css';
import './orders.css';

const ROW = 72;
const PAGE = 100;
/** New orders arrive by the sync's polls: the first page is read again this often while it is all that is shown. */
const REFRESH_MS = 10_000;

interface Filter {
  platform?: (typeof ORDER_PLATFORMS)[number];
  status?: (typeof ONLINE_ORDER_STATUSES)[number];
  deliveryType?: (typeof DELIVERY_TYPES)[number];
  paymentState?: (typeof PAYMENT_STATES)[number];
  syncState?: (typeof ORDER_SYNC_STATES)[number];
  oversold?: boolean;
  q?: string;
}

/** A note for a person, in the user's language (the main side writes it in Chinese). */
function noteText(t: (k: string, o?: Record<string, unknown>) => string, zh: boolean, o: OnlineOrderSummary): string | null {
  if (!o.note && !o.oversold && o.syncState !== 'needs_review' && o.syncState !== 'unmapped') return null;
  if (zh && o.note) return o.note;
  return [o.oversold ? t('orders.note.oversold') : '', o.syncState === 'needs_review' || o.syncState === 'unmapped' ? t(`orders.note.${o.syncState}`) : ''].filter(Boolean).join(' ') || o.note;
}

/** A filter as one select: its first option names the filter (状态：全部), so it reads without a label. */
function Select<K extends string>(props: { label: string; value: K | undefined; options: readonly K[]; word(k: K): string; onChange(v: K | undefined): void; testId: string }) {
  const { t } = useTranslation();
  return (
    <select
      className={`st-input oi-select ${props.value ? 'on' : ''}`}
      aria-label={props.label}
      value={props.value ?? ''}
      onChange={(e) => props.onChange((e.target.value || undefined) as K | undefined)}
      data-testid={props.testId}
    >
      <option value="">{t('orders.allOf', { what: props.label })}</option>
      {props.options.map((k) => (
        <option key={k} value={k}>
          {t('orders.optionOf', { what: props.label, value: props.word(k) })}
        </option>
      ))}
    </select>
  );
}

function Tags({ o }: { o: OnlineOrderSummary }) {
  const { t } = useTranslation();
  return (
    <>
      {o.oversold && <span className="tag oi-oversold">{t('orders.oversold')}</span>}
      <span className={`tag oi-st-${o.status}`}>{t(`orders.status.${o.status}`)}</span>
      <span className="tag">{t(`orders.delivery.${o.deliveryType}`)}</span>
      <span className={`tag ${o.paymentState === 'paid_online' ? '' : 'oi-due'}`}>{t(`orders.payment.${o.paymentState}`)}</span>
      <span className={`tag oi-sync-${o.syncState}`}>{t(`orders.sync.${o.syncState}`)}</span>
    </>
  );
}

function OrderDetail({ id, onChanged }: { id: string; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const [deciding, setDeciding] = useState(false);
  const zh = i18n.language.startsWith('zh');
  const [order, setOrder] = useState<OnlineOrderDetail | null>(null);
  const [sellable, setSellable] = useState<Record<string, SellableView>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setOrder(null);
    setSellable({});
    setError(null);
    void ordersApi.get(id).then(
      (o) => {
        if (!live) return;
        setOrder(o);
        // What the counter may still sell of each linked line's SKU (on hand − reserved online).
        for (const skuId of new Set(o.lines.map((l) => l.skuId).filter((s): s is string => !!s)))
          void ordersApi.sellable(skuId).then((v) => live && setSellable((m) => ({ ...m, [skuId]: v })), () => undefined);
      },
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [id]);
  const decide = async (returnStock: boolean) => {
    setDeciding(true);
    setError(null);
    try {
      setOrder(await ordersApi.resolveReview(id, returnStock));
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setDeciding(false);
    }
  };
  if (!order) return <div className="jr-detail">{error ? <p className="settings-error">{error}</p> : <p className="muted">{t('app.loading')}</p>}</div>;
  const note = noteText(t, zh, order);
  return (
    <div className="jr-detail oi-detail" data-testid="order-detail" data-order={order.platformOrderId}>
      {order.oversold && (
        <p className="oi-banner" role="alert" data-testid="order-oversold">
          <strong>{t('orders.oversold')}</strong> {t('orders.oversoldHelp')}
        </p>
      )}
      <div className="jr-detail-head">
        <div>
          <h3 data-testid="order-detail-no">
            <span className="tag">{platformWord(t, order.platform)}</span> {order.platformOrderId}
          </h3>
          <div className="muted">
            {t('orders.createdAt')} {timeText(order.createdAt, i18n.language)} · {t('orders.updatedAt')} {timeText(order.updatedAt, i18n.language)}
          </div>
          {(order.buyerName || order.buyerPhone) && (
            <div className="muted">
              {t('orders.buyer')} {[order.buyerName, order.buyerPhone].filter(Boolean).join(' · ')}
            </div>
          )}
          <div className="jr-tags">
            <Tags o={order} />
          </div>
        </div>
        <div className="oi-amounts">
          <div>
            {t('orders.paid')} <Money fen={order.payAmountFen} className="oi-amt" />
          </div>
          {order.balanceDueFen > 0 && (
            <div className="oi-due-line" data-testid="order-balance-due">
              {t('orders.balanceDue')} {formatYuan(order.balanceDueFen)}
            </div>
          )}
          <BalanceDue key={`${order.id}:${order.balanceDueFen}`} orderId={order.id} onPaid={() => { void ordersApi.get(order.id).then(setOrder, () => undefined); onChanged(); }} />
        </div>
      </div>
      {note && (
        <p className="oi-note" data-testid="order-note">
          {note}
        </p>
      )}
      {error && (
        <p className="settings-error" role="alert">
          {error}
        </p>
      )}
      {order.syncState === 'needs_review' && (
        <div className="oi-review" data-testid="order-review">
          {role && ROLE_RANK[role] >= ROLE_RANK.manager ? (
            <>
              <span>{t('orders.review.ask')}</span>
              <button type="button" className="btn primary" disabled={deciding} onClick={() => void decide(true)} data-testid="order-review-return">
                {t('orders.review.return')}
              </button>
              <button type="button" className="btn" disabled={deciding} onClick={() => void decide(false)} data-testid="order-review-keep">
                {t('orders.review.keep')}
              </button>
            </>
          ) : (
            <span className="muted">{t('orders.review.managerOnly')}</span>
          )}
        </div>
      )}
      <table className="jr-lines oi-lines" data-testid="order-lines">
        <thead>
          <tr>
            <th>{t('orders.line.item')}</th>
            <th className="num">{t('orders.line.qty')}</th>
            <th className="num">{t('orders.line.reserved')}</th>
            <th className="num">{t('orders.line.handed')}</th>
            <th className="num">{t('orders.line.released')}</th>
            <th className="num">{t('orders.line.counter')}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => {
            const s = l.skuId ? sellable[l.skuId] : undefined;
            return (
              <tr key={l.lineNo} className={l.oversoldQty > 0 ? 'oi-line-over' : ''} data-testid="order-line" data-sku={l.skuId ?? ''}>
                <td>
                  {l.skuName ?? <span className="oi-unmapped">{t('orders.line.unmapped')}</span>}
                  {l.spec && <small className="muted"> {l.spec}</small>}
                  <br />
                  <small className="muted">
                    {[l.skuCode, l.outSkuId && `${t('sync.mapping.outerCode')} ${l.outSkuId}`, `ID ${l.platformSkuId ?? l.itemId}`].filter(Boolean).join(' · ')} · {t(`orders.lineState.${l.state}`)}
                  </small>
                  {l.oversoldQty > 0 && (
                    <div className="oi-over-line" data-testid="order-line-oversold">
                      {t('orders.line.oversoldQty', { count: l.oversoldQty })}
                    </div>
                  )}
                </td>
                <td className="num">{l.qty}</td>
                <td className="num" data-testid="order-line-reserved">
                  {l.reservedQty}
                </td>
                <td className="num">{l.handedQty}</td>
                <td className="num">{l.releasedQty}</td>
                <td className="num" data-testid="order-line-counter">
                  {s ? <span className={s.counterSellableQty < 0 ? 'oi-neg' : ''}>{Math.round(s.counterSellableQty) / 1000}</span> : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted oi-help">{t('orders.counterHelp')}</p>
      {order.history.length > 0 && (
        <>
          <h4>{t('orders.history')}</h4>
          <ul className="oi-history" data-testid="order-history">
            {order.history.map((h, i) => (
              <li key={i}>
                <span className="muted">{timeText(h.at, i18n.language)}</span> {h.text}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function OrderInbox() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<Filter>({});
  const [q, setQ] = useState('');
  const [pad, setPad] = useState(false);
  const [rows, setRows] = useState<OnlineOrderSummary[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const query = useRef(0);
  const loaded = useRef(0);

  const input = useCallback((offset: number): OrdersListInput => ({ ...filter, q: filter.q || undefined, offset, limit: PAGE }), [filter]);

  const first = useCallback(
    async (quiet = false) => {
      const n = ++query.current;
      if (!quiet) setLoading(true);
      try {
        const p = await ordersApi.list(input(0));
        if (n !== query.current) return;
        setRows(p.items);
        loaded.current = p.items.length;
        setTotal(p.total);
        setError(null);
        setSelected((cur) => (cur && p.items.some((o) => o.id === cur) ? cur : (p.items[0]?.id ?? null)));
      } catch (e) {
        if (n === query.current) {
          if (!quiet) setRows([]);
          setError(errorText(e));
        }
      } finally {
        if (n === query.current) setLoading(false);
      }
    },
    [input],
  );
  const more = useCallback(async () => {
    if (loading || total === null || rows.length >= total) return;
    const n = query.current;
    setLoading(true);
    try {
      const p = await ordersApi.list(input(rows.length));
      if (n !== query.current) return;
      setRows((r) => [...r, ...p.items.filter((o) => !r.some((x) => x.id === o.id))]);
      loaded.current += p.items.length;
      setTotal(p.total);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [loading, total, rows.length, input]);

  useEffect(() => {
    void first();
  }, [first]);
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible' && loaded.current <= PAGE) void first(true);
    }, REFRESH_MS);
    return () => window.clearInterval(id);
  }, [first]);

  // A scanned order number (a packing slip's barcode) finds that order.
  useScanAsSearch((code) => {
    setQ(code);
    setFilter((f) => ({ ...f, q: code }));
  });

  const scroller = useRef<HTMLDivElement>(null);
  const hasMore = total !== null && rows.length < total;
  const virtual = useVirtualizer({ count: rows.length + (hasMore ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  const items = virtual.getVirtualItems();
  useEffect(() => {
    const last = items.at(-1);
    if (last && hasMore && last.index >= rows.length - 1) void more();
  }, [items, hasMore, rows.length, more]);

  const set = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch }));
  const search = () => set({ q: q.trim() || undefined });
  const clear = () => {
    setQ('');
    setFilter({});
  };

  return (
    <section className="journal orders" data-testid="screen-orders">
      <div className="jr-filters oi-filters">
        <div className="oi-filter-row">
          <div className="st-seg st-seg-wrap" role="radiogroup" aria-label={t('orders.platform')}>
            {[undefined, ...ORDER_PLATFORMS.filter((p) => p !== 'kuaishou')].map((p) => (
              <button
                key={p ?? 'all'}
                type="button"
                role="radio"
                aria-checked={filter.platform === p}
                className={`st-seg-btn ${filter.platform === p ? 'on' : ''}`}
                onClick={() => set({ platform: p })}
                data-testid={`orders-platform-${p ?? 'all'}`}
              >
                {p ? platformWord(t, p) : t('orders.allPlatforms')}
              </button>
            ))}
          </div>
          <button
            type="button"
            className={`btn oi-over-btn ${filter.oversold ? 'on' : ''}`}
            aria-pressed={!!filter.oversold}
            onClick={() => set({ oversold: filter.oversold ? undefined : true })}
            data-testid="orders-oversold"
          >
            {t('orders.onlyOversold')}
          </button>
          <div className="oi-search">
            <input
              className="st-input"
              value={q}
              placeholder={t('orders.search')}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && search()}
              data-testid="orders-q"
            />
            <button type="button" className={`btn ${pad ? 'primary' : ''}`} aria-pressed={pad} onClick={() => setPad(!pad)} data-testid="orders-pad">
              {t('orders.keypad')}
            </button>
            <button type="button" className="btn primary" onClick={search} data-testid="orders-search">
              {t('orders.searchButton')}
            </button>
            <button type="button" className="btn" onClick={clear} data-testid="orders-clear">
              {t('common.clear')}
            </button>
          </div>
        </div>
        {pad && <LetterPad onKey={(k) => setQ((v) => letterEdit(v, k))} testId="orders-letterpad" />}
        <div className="oi-filter-row">
          <Select label={t('orders.statusLabel')} value={filter.status} options={ONLINE_ORDER_STATUSES} word={(k) => t(`orders.status.${k}`)} onChange={(status) => set({ status })} testId="orders-status" />
          <Select label={t('orders.deliveryLabel')} value={filter.deliveryType} options={DELIVERY_TYPES} word={(k) => t(`orders.delivery.${k}`)} onChange={(deliveryType) => set({ deliveryType })} testId="orders-delivery" />
          <Select label={t('orders.paymentLabel')} value={filter.paymentState} options={PAYMENT_STATES} word={(k) => t(`orders.payment.${k}`)} onChange={(paymentState) => set({ paymentState })} testId="orders-payment" />
          <Select label={t('orders.syncLabel')} value={filter.syncState} options={ORDER_SYNC_STATES} word={(k) => t(`orders.sync.${k}`)} onChange={(syncState) => set({ syncState })} testId="orders-sync" />
          <button type="button" className="btn" onClick={() => void first()} data-testid="orders-refresh">
            {t('orders.refresh')}
          </button>
        </div>
      </div>
      <div className="jr-body">
        <div className="jr-list">
          <div className="jr-count muted" data-testid="orders-count">
            {total === null ? '' : t('orders.count', { count: total })}
          </div>
          {error && (
            <p className="settings-error" role="alert" data-testid="orders-error">
              {error}
            </p>
          )}
          <div className="jr-scroll" ref={scroller}>
            {rows.length === 0 && !loading && !error && (
              <p className="muted dt-empty oi-empty" data-testid="orders-none">
                {Object.keys(filter).some((k) => filter[k as keyof Filter] !== undefined) ? t('orders.noneFiltered') : t('orders.none')}
              </p>
            )}
            <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const o = rows[v.index];
                return (
                  <div key={v.key} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}>
                    {o ? (
                      <button
                        type="button"
                        className={`jr-row oi-row ${o.id === selected ? 'active' : ''} ${o.oversold ? 'over' : ''}`}
                        onClick={() => setSelected(o.id)}
                        data-testid="order-row"
                        data-order={o.platformOrderId}
                        data-oversold={o.oversold ? '1' : '0'}
                      >
                        <span className="jr-time">
                          {new Date(o.createdAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}
                          <small>{new Date(o.createdAt).toLocaleDateString(i18n.language, { month: '2-digit', day: '2-digit' })}</small>
                        </span>
                        <span className="jr-main">
                          <span className="jr-no">
                            <span className="tag">{platformWord(t, o.platform)}</span>
                            {o.oversold && <span className="tag oi-oversold">{t('orders.oversold')}</span>}
                            <span className="oi-no">{o.platformOrderId}</span>
                          </span>
                          <small className="muted">
                            {t(`orders.status.${o.status}`)} · {t(`orders.delivery.${o.deliveryType}`)} · {t(`orders.sync.${o.syncState}`)} ·{' '}
                            {o.firstItemName ?? t('orders.line.unmapped')}
                            {o.lineCount > 1 ? ` ${t('orders.andMore', { count: o.lineCount - 1 })}` : ''} · {t('orders.pieces', { count: o.itemCount })}
                          </small>
                        </span>
                        <span className="jr-amt">
                          <Money fen={o.payAmountFen} />
                          {o.balanceDueFen > 0 && <small className="oi-due-small">{t('orders.payment.balance_due')}</small>}
                        </span>
                      </button>
                    ) : (
                      <div className="jr-more muted">{t('app.loading')}</div>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        {selected ? (
          <OrderDetail id={selected} key={selected} onChanged={() => void first(true)} />
        ) : (
          <div className="jr-detail">
            <p className="muted">{rows.length ? t('orders.pick') : ''}</p>
          </div>
        )}
      </div>
    </section>
  );
}
