// 查找商品: search-as-you-type by name, code, barcode or pinyin initials (kkkl → 可口可乐), answered
// page by page by the main side and drawn with a virtual list; plus a grid of quick-sale categories
// for goods without barcodes. Tapping a result adds it; a weighed item asks for its weight first.
// A letter pad under the results types the query on a counter without a keyboard.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CategoryView, SkuView } from '../../../../shared/api';
import { formatYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { LetterPad, letterEdit } from '../../components/LetterPad';
import { beepError, beepOk } from '../../feedback';
import { errorText, useCart } from '../../stores/cart';

const PAGE = 50;
const ROW = 60;

/** Adds a SKU picked from a list: a weighed one goes through the weight dialog. */
export async function addPicked(sku: SkuView, t: (k: string, o?: Record<string, unknown>) => string): Promise<boolean> {
  const { run, say, open, close } = useCart.getState();
  if (sku.weighed) {
    open({ kind: 'weight', sku });
    return false;
  }
  try {
    await run('cart.addSku', { skuId: sku.skuId });
    beepOk();
    say({ kind: 'ok', text: t('checkout.added', { name: sku.name }) });
    close();
    return true;
  } catch (e) {
    beepError();
    say({ kind: 'error', text: errorText(e) });
    close();
    return false;
  }
}

/** One query's results, fetched a page at a time as the list scrolls. */
function usePagedSearch(q: string, categoryId?: string) {
  // The main side stops counting at a cap (an exact count would scan every match): when a page
  // comes back full at the end of the count, there may be more, and scrolling fetches on.
  const [state, setState] = useState<{ key: string; total: number; items: (SkuView | undefined)[]; more: boolean }>({
    key: '',
    total: 0,
    items: [],
    more: false,
  });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const requested = useRef(new Set<number>());
  const key = `${categoryId ?? ''}|${q}`;
  const keyRef = useRef(key);
  keyRef.current = key;

  const fetchPage = useCallback(
    async (offset: number, forKey: string) => {
      if (requested.current.has(offset)) return;
      requested.current.add(offset);
      try {
        const page = await call('catalog.search', { q: forKey.slice(forKey.indexOf('|') + 1), offset, limit: PAGE, categoryId });
        if (keyRef.current !== forKey) return; // an older query answered late
        setState((s) => {
          const items = s.key === forKey ? [...s.items] : [];
          page.items.forEach((it, i) => (items[offset + i] = it));
          const end = offset + page.items.length;
          const more = page.items.length === PAGE && end >= page.total;
          return { key: forKey, total: Math.max(page.total, end), items, more };
        });
        setError('');
      } catch (e) {
        requested.current.delete(offset);
        if (keyRef.current === forKey) setError(errorText(e)); // not an older query's
      } finally {
        setLoading(false);
      }
    },
    [categoryId],
  );

  useEffect(() => {
    requested.current = new Set();
    if (!q.trim() && !categoryId) {
      setState({ key, total: 0, items: [], more: false });
      // A query cleared before it answered (a scan stripped from the field) leaves no "searching" or error.
      setLoading(false);
      setError('');
      return;
    }
    setLoading(true);
    const id = window.setTimeout(() => void fetchPage(0, key), categoryId && !q ? 0 : 80); // debounce typing
    return () => window.clearTimeout(id);
  }, [key, q, categoryId, fetchPage]);

  const ensure = useCallback((index: number) => void fetchPage(Math.floor(index / PAGE) * PAGE, keyRef.current), [fetchPage]);
  const current = state.key === key ? state : { key, total: 0, items: [], more: false };
  return { ...current, loading, error, ensure };
}

/** The paged, virtualised result list; also used by the no-receipt return screen to pick items. */
export function ResultList({ q, categoryId, onPick, testId, hint }: { q: string; categoryId?: string; onPick(s: SkuView): void; testId: string; hint?: string }) {
  const { t } = useTranslation();
  const { total: found, items, more, loading, error, ensure } = usePagedSearch(q, categoryId);
  const total = found + (more ? 1 : 0); // one placeholder row past the end loads the next page
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(-1);
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 8 });
  const rows = virtual.getVirtualItems();

  useEffect(() => {
    for (const r of rows) if (!items[r.index]) ensure(r.index);
  }, [rows, items, ensure]);
  useEffect(() => setActive(-1), [q, categoryId]);

  // ↑/↓ move through the results from the search field, Enter adds the highlighted one.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => {
          const n = Math.min(total - 1, Math.max(0, a + (e.key === 'ArrowDown' ? 1 : -1)));
          virtual.scrollToIndex(n, { align: 'auto' });
          return n;
        });
      } else if (e.key === 'Enter' && active >= 0 && items[active]) {
        e.preventDefault();
        onPick(items[active]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [total, active, items, onPick, virtual]);

  return (
    <div className="results">
      <div className="results-head muted" data-testid={`${testId}-count`}>
        {error ? <span className="error-text">{error}</span> : loading && !total ? t('search.searching') : q || categoryId ? t('search.count', { count: (more ? `${found}+` : found) as unknown as number }) : (hint ?? t('search.hint'))}
      </div>
      <div className="results-scroll" ref={scroller} data-testid={testId}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {rows.map((r) => {
            const s = items[r.index];
            return (
              <button
                key={r.key}
                type="button"
                className={`result ${r.index === active ? 'active' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${r.start}px)` }}
                disabled={!s}
                onClick={() => s && onPick(s)}
                data-testid="search-result"
              >
                {s ? (
                  <>
                    <span className="result-name">
                      <span className="result-title">
                        {s.name}
                        {s.weighed && <span className="tag">{t('search.weighed')}</span>}
                      </span>
                      <small>
                        {s.barcode ?? s.code} · {t('search.stock')} {formatStock(s)}
                      </small>
                    </span>
                    <span className="result-price">
                      {formatYuan(s.priceFen)}/{s.unit}
                    </span>
                  </>
                ) : (
                  <span className="muted">…</span>
                )}
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
}

const formatStock = (s: SkuView) => String(Math.round(s.stockQty / 10) / 100).replace(/\.0+$/, '') + s.unit;

export function SearchPanel({ initial, tab: initialTab }: { initial: string; tab: 'search' | 'quick' }) {
  const { t } = useTranslation();
  const close = useCart((s) => s.close);
  const [tab, setTab] = useState(initialTab);
  const [q, setQ] = useState(initial);
  const [cats, setCats] = useState<CategoryView[] | null>(null);
  const [cat, setCat] = useState<CategoryView | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (tab === 'search') {
      input.current?.focus();
      input.current?.select();
    }
    if (tab === 'quick' && !cats) call('catalog.categories', {}).then((c) => setCats(c.filter((x) => x.quickSale)), () => setCats([]));
  }, [tab, cats]);
  const pick = useCallback((s: SkuView) => void addPicked(s, t as never), [t]);

  return (
    <Dialog title={t('search.title')} testId="search-panel" onClose={close} wide>
      <div className="seg">
        <button type="button" className={`seg-btn ${tab === 'search' ? 'on' : ''}`} onClick={() => setTab('search')} data-testid="tab-search">
          {t('search.byName')}
        </button>
        <button type="button" className={`seg-btn ${tab === 'quick' ? 'on' : ''}`} onClick={() => setTab('quick')} data-testid="tab-quick">
          {t('search.quick')}
        </button>
      </div>
      {tab === 'search' ? (
        <>
          <input
            ref={input}
            className="search-input"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('search.placeholder')}
            autoComplete="off"
            spellCheck={false}
            data-testid="search-input"
          />
          <ResultList q={q} onPick={pick} testId="search-results" />
          <LetterPad
            testId="search-letters"
            onKey={(k) => {
              setQ((v) => letterEdit(v, k));
              input.current?.focus();
            }}
          />
        </>
      ) : (
        <div className="quick">
          <div className="quick-cats">
            {cats?.map((c) => (
              <button key={c.id} type="button" className={`quick-cat ${cat?.id === c.id ? 'on' : ''}`} onClick={() => setCat(c)} data-testid="quick-category">
                {c.name}
                <small>{c.skuCount}</small>
              </button>
            ))}
            {cats && !cats.length && <p className="muted">{t('search.noQuick')}</p>}
          </div>
          {cat ? <ResultList q="" categoryId={cat.id} onPick={pick} testId="quick-results" /> : <p className="muted">{t('search.pickCategory')}</p>}
        </div>
      )}
    </Dialog>
  );
}
