// 销售流水 (manager and owner): every sale and return of the chosen days, newest first, paged from
// the main side as the list scrolls (a year of sales never comes over at once), searchable by
// receipt number (a scanned receipt barcode fills it), amount, item and member; a tap shows the sale
// with its lines, payments and the receipt as it printed, and 重印 prints it again marked as a copy.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalPage, JournalRow, JournalSale } from '../../../../shared/api/reports';
import { formatYuan, parseYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Money } from '../../components/Money';
import { beepOk } from '../../feedback';
import { LEVEL, useLayer } from '../../keys/layers';
import { useSession } from '../../stores/session';
import { errorText, formatQty } from '../reports/format';
import { RangePicker, type Range } from '../reports/RangePicker';
import '../reports/reports.css';
import './journal.css';

const ROW = 64;
const PAGE = 100;

interface Filter {
  receiptNo: string;
  amount: string;
  item: string;
  member: string;
}
const EMPTY: Filter = { receiptNo: '', amount: '', item: '', member: '' };

function SaleDetail({ saleId, onReprinted }: { saleId: string; onReprinted(): void }) {
  const { t, i18n } = useTranslation();
  const [sale, setSale] = useState<JournalSale | null>(null);
  const [png, setPng] = useState<string | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    setSale(null);
    setPng(null);
    setNote(null);
    void call('journal.sale', { saleId }).then(
      (s) => {
        if (!live) return;
        setSale(s);
        if (s.printJobId) void call('print.preview', { jobId: s.printJobId }).then((p) => live && setPng(p.png), () => undefined);
      },
      (e) => live && setNote({ ok: false, text: errorText(e, t) }),
    );
    return () => {
      live = false;
    };
  }, [saleId, t]);
  const reprint = async () => {
    try {
      await call('sales.reprint', { saleId });
      setNote({ ok: true, text: t('journal.reprinted') });
      onReprinted();
    } catch (e) {
      setNote({ ok: false, text: errorText(e, t) });
    }
  };
  if (!sale) return <div className="jr-detail">{note ? <p className="settings-error">{note.text}</p> : <p className="muted">{t('app.loading')}</p>}</div>;
  const ret = sale.kind === 'return';
  return (
    <div className="jr-detail" data-testid="journal-detail">
      <div className="jr-detail-head">
        <div>
          <h3 data-testid="journal-detail-no">{sale.receiptNo}</h3>
          <div className="muted">
            {new Date(sale.createdAt).toLocaleString(i18n.language, { hourCycle: 'h23' })} · {sale.cashier}
            {sale.member && ` · ${t('journal.member')} ${sale.member} ${sale.memberPhone ?? ''}`}
          </div>
          <div className="jr-tags">
            {ret && <span className="tag tag-ret">{t('journal.return')}</span>}
            {sale.status === 'cancelled' && <span className="tag tag-cancel">{t('journal.cancelled')}</span>}
            {sale.originalReceiptNo && <span className="tag">{t('journal.ofReceipt', { no: sale.originalReceiptNo })}</span>}
            {sale.reprints > 0 && <span className="tag">{t('journal.reprints', { n: sale.reprints })}</span>}
          </div>
        </div>
        <button type="button" className="btn primary" onClick={() => void reprint()} disabled={!sale.printJobId} data-testid="journal-reprint">
          {t('journal.reprint')}
        </button>
      </div>
      {note && <p className={note.ok ? 'settings-ok' : 'settings-error'}>{note.text}</p>}
      <div className="jr-detail-body">
        <div className="jr-detail-data">
          <table className="jr-lines">
            <thead>
              <tr>
                <th>{t('journal.item')}</th>
                <th className="num">{t('journal.qty')}</th>
                <th className="num">{t('journal.price')}</th>
                <th className="num">{t('journal.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {sale.lines.map((l) => (
                <tr key={l.lineNo}>
                  <td>
                    {l.name}
                    {l.discountFen !== 0 && <small className="muted"> ({t('journal.discount')} {formatYuan(Math.abs(l.discountFen))})</small>}
                  </td>
                  <td className="num">
                    {formatQty(Math.abs(l.qty))}
                    {l.unit}
                  </td>
                  <td className="num">{formatYuan(l.unitPriceFen)}</td>
                  <td className="num">
                    <Money fen={l.payableFen} refund={ret} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="jr-sums">
            {sale.discountFen !== 0 && (
              <>
                <dt>{t('journal.discount')}</dt>
                <dd>{formatYuan(Math.abs(sale.discountFen))}</dd>
              </>
            )}
            {sale.roundingFen !== 0 && (
              <>
                <dt>{t('journal.rounding')}</dt>
                <dd>{formatYuan(sale.roundingFen)}</dd>
              </>
            )}
            <dt>{ret ? t('journal.refunded') : t('journal.total')}</dt>
            <dd className="jr-total">
              <Money fen={sale.totalFen} refund={ret} />
            </dd>
            {sale.payments.map((p, i) => (
              <span key={i} className="jr-pay">
                <dt>{t(`reports.tender.${p.method}`, { defaultValue: p.label })}</dt>
                <dd>
                  <Money fen={p.amountFen} refund={p.amountFen < 0} />
                  {p.reference && <small className="muted"> {p.reference}</small>}
                </dd>
              </span>
            ))}
            {sale.changeFen > 0 && (
              <>
                <dt>{t('journal.change')}</dt>
                <dd>{formatYuan(sale.changeFen)}</dd>
              </>
            )}
          </dl>
        </div>
        <div className="jr-receipt">{png ? <img src={png} alt={t('journal.receipt')} data-testid="journal-receipt" /> : <p className="muted">{sale.printJobId ? t('app.loading') : t('journal.noReceipt')}</p>}</div>
      </div>
    </div>
  );
}

export function Journal() {
  const { t, i18n } = useTranslation();
  const info = useSession((s) => s.info);
  const [today, setToday] = useState(info?.businessDay ?? new Date().toISOString().slice(0, 10));
  const [range, setRange] = useState<Range>({ from: today, to: today });
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [applied, setApplied] = useState<Filter>(EMPTY);
  const [rows, setRows] = useState<JournalRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const query = useRef(0);

  useEffect(() => {
    void call('app.info', {}).then((a) => {
      setToday(a.businessDay);
      setRange((r) => (r.from === today && r.to === today ? { from: a.businessDay, to: a.businessDay } : r));
    }, () => undefined);
  }, []);

  const input = useCallback(
    (f: Filter, cursor?: string) => {
      const amountFen = f.amount.trim() ? Math.abs(parseYuan(f.amount.trim())) : undefined; // RangeError on garbage
      return {
        from: range.from,
        to: range.to,
        limit: PAGE,
        cursor,
        receiptNo: f.receiptNo.trim() || undefined,
        amountFen,
        item: f.item.trim() || undefined,
        member: f.member.trim() || undefined,
      };
    },
    [range],
  );

  const first = useCallback(async (f: Filter) => {
    const q = ++query.current;
    setLoading(true);
    setError(null);
    try {
      const p: JournalPage = await call('journal.page', input(f));
      if (q !== query.current) return;
      setRows(p.rows);
      setNext(p.next);
      setTotal(p.total);
      setSelected(p.rows[0]?.id ?? null);
    } catch (e) {
      if (q === query.current) {
        setRows([]);
        setNext(null);
        setTotal(null);
        setError(e instanceof RangeError ? t('journal.badAmount') : errorText(e, t));
      }
    } finally {
      if (q === query.current) setLoading(false);
    }
  }, [input, t]);

  const more = useCallback(async () => {
    if (!next || loading) return;
    const q = query.current;
    setLoading(true);
    try {
      const p: JournalPage = await call('journal.page', input(applied, next));
      if (q !== query.current) return;
      setRows((r) => [...r, ...p.rows]);
      setNext(p.next);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setLoading(false);
    }
  }, [next, loading, input, applied, t]);

  useEffect(() => {
    void first(applied);
  }, [range, applied, first]);

  // A receipt's barcode scanned here finds that sale (whatever days are chosen); another code is an item.
  useLayer(
    {
      onScan: (code) => {
        beepOk();
        const f = /^[A-Z0-9]+-\d{8}-\d+$/i.test(code) ? { ...EMPTY, receiptNo: code } : { ...EMPTY, item: code };
        setFilter(f);
        setApplied(f);
        return true;
      },
    },
    LEVEL.screen,
  );

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length + (next ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  const items = virtual.getVirtualItems();
  useEffect(() => {
    const last = items.at(-1);
    if (last && next && last.index >= rows.length - 1) void more();
  }, [items, next, rows.length, more]);

  const search = () => setApplied({ ...filter });
  const field = (k: keyof Filter, placeholder: string, inputMode?: 'decimal') => (
    <input
      className="st-input jr-field"
      value={filter[k]}
      placeholder={placeholder}
      inputMode={inputMode}
      onChange={(e) => setFilter({ ...filter, [k]: e.target.value })}
      onKeyDown={(e) => e.key === 'Enter' && search()}
      data-testid={`journal-${k}`}
    />
  );

  return (
    <section className="journal" data-testid="screen-journal">
      <div className="jr-filters">
        <RangePicker today={today} value={range} onChange={setRange} presets={['today', 'yesterday', 'last7', 'thisMonth', 'lastMonth']} />
        <div className="jr-search">
          {field('receiptNo', t('journal.receiptNo'))}
          {field('amount', t('journal.amountYuan'), 'decimal')}
          {field('item', t('journal.itemSearch'))}
          {field('member', t('journal.memberSearch'))}
          <button type="button" className="btn primary" onClick={search} data-testid="journal-search">
            {t('journal.search')}
          </button>
          <button type="button" className="btn" onClick={() => { setFilter(EMPTY); setApplied(EMPTY); }} data-testid="journal-clear">
            {t('common.clear')}
          </button>
        </div>
      </div>
      <div className="jr-body">
        <div className="jr-list">
          <div className="jr-count muted" data-testid="journal-count">
            {total === null ? '' : total > 10_000 ? t('journal.countMany') : t('journal.count', { n: total })}
          </div>
          {error && <p className="settings-error" role="alert">{error}</p>}
          <div className="jr-scroll" ref={scroller}>
            {rows.length === 0 && !loading && !error && <p className="muted dt-empty">{t('journal.none')}</p>}
            <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const r = rows[v.index];
                return (
                  <div key={v.key} className="jr-slot" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}>
                    {r ? (
                      <button
                        type="button"
                        className={`jr-row ${r.id === selected ? 'active' : ''} ${r.kind === 'return' ? 'ret' : ''}`}
                        onClick={() => setSelected(r.id)}
                        data-testid="journal-row"
                        data-receipt={r.receiptNo}
                      >
                        <span className="jr-time">
                          {new Date(r.createdAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}
                          <small>{r.businessDay.slice(5)}</small>
                        </span>
                        <span className="jr-main">
                          <span className="jr-no">
                            {r.receiptNo}
                            {r.kind === 'return' && <span className="tag tag-ret">{t('journal.return')}</span>}
                            {r.status === 'cancelled' && <span className="tag tag-cancel">{t('journal.cancelled')}</span>}
                          </span>
                          <small className="muted">
                            {r.cashier} · {t('journal.items', { n: r.itemCount })} · {r.tenders}
                            {r.member ? ` · ${r.member}` : ''}
                          </small>
                        </span>
                        <span className="jr-amt">
                          <Money fen={r.totalFen} refund={r.kind === 'return'} />
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
        {selected ? <SaleDetail key={selected} saleId={selected} onReprinted={() => undefined} /> : <div className="jr-detail muted">{t('journal.pick')}</div>}
      </div>
    </section>
  );
}
