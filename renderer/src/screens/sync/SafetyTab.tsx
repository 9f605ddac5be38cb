// 网店同步 → 安全库存 (manager): what is kept back from the online shops and how the rest is shared.
// The shop default, a figure per category and per item (found by name, code, barcode, pinyin initials
// or a scan, as 查找 at the counter), and each platform's share. A chosen item shows the figures the
// platforms get (sellable.get), so a manager sees what each shop may sell before and after a change.
// The rule itself is the main side's (electron/sync/sellable.ts); every change is audited there.
import { useCallback, useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CategoryView, SkuView } from '../../../../shared/api';
import type { SafetySettingsView, SellableView } from '../../../../shared/api/orders';
import { call } from '../../api/client';
import { LetterPad, letterEdit } from '../../components/LetterPad';
import { useScanAsSearch } from '../../keys/layers';
import { CONFIGURABLE_PLATFORMS } from './api';
import { errorText, platformWord, said, type Said } from './words';

const MAX_QTY = 1_000_000;
const pieces = (thousandths: number) => Math.round(thousandths / 10) / 100;

/** A whole number typed in a field, or null when it is not one within [min, max]. */
function wholeIn(text: string, min: number, max: number): number | null {
  const s = text.trim();
  if (!/^\d{1,7}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** A number field with 保存 (and 清除 where the figure may be removed). */
function QtyField(props: {
  value: number | null;
  min: number;
  max: number;
  busy: boolean;
  unit: string;
  clearLabel?: string;
  /** What applies while the field is empty (the shop default, 100 %). */
  placeholder?: string;
  testId: string;
  label: string;
  onSave(n: number): void;
  onClear?(): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(props.value === null ? '' : String(props.value));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText(props.value === null ? '' : String(props.value));
    setBad(false);
  }, [props.value]);
  const save = () => {
    const n = wholeIn(text, props.min, props.max);
    setBad(n === null);
    if (n !== null) props.onSave(n);
  };
  return (
    <span className="sf-qty">
      <input
        className={`st-input sf-num ${bad ? 'bad' : ''}`}
        inputMode="numeric"
        value={text}
        placeholder={props.placeholder}
        aria-label={props.label}
        aria-invalid={bad}
        title={bad ? (props.min === 1 ? t('sync.safety.invalidShare') : t('sync.safety.invalid')) : undefined}
        onChange={(e) => setText(e.target.value.replace(/[^\d]/g, '').slice(0, 7))}
        onKeyDown={(e) => e.key === 'Enter' && save()}
        data-testid={`${props.testId}-input`}
      />
      <span className="sf-unit">{props.unit}</span>
      <button type="button" className="btn primary" disabled={props.busy} onClick={save} data-testid={`${props.testId}-save`}>
        {t('sync.safety.save')}
      </button>
      {props.onClear && (
        <button type="button" className="btn" disabled={props.busy || props.value === null} onClick={props.onClear} data-testid={`${props.testId}-clear`}>
          {props.clearLabel ?? t('sync.safety.clear')}
        </button>
      )}
    </span>
  );
}

/** The chosen item's figures: on hand, reserved, safety stock (and whence) and each linked platform's. */
function Figures({ sku, view, settings, busy, onSet }: { sku: { skuId: string; name: string }; view: SellableView | null; settings: SafetySettingsView; busy: boolean; onSet(qty: number | null): void }) {
  const { t } = useTranslation();
  const own = settings.skus.find((s) => s.skuId === sku.skuId);
  return (
    <div className="sf-figures" data-testid="sync-safety-figures" data-sku={sku.skuId}>
      <h4>{t('sync.safety.figuresTitle', { name: sku.name })}</h4>
      {view && (
        <>
          <dl className="sf-dl">
            <dt>{t('sync.safety.onHand')}</dt>
            <dd data-testid="sync-safety-onhand">{pieces(view.onHandQty)}</dd>
            <dt>{t('sync.safety.reserved')}</dt>
            <dd>{pieces(view.reservedQty)}</dd>
            <dt>{t('sync.safety.counter')}</dt>
            <dd className={view.counterSellableQty < 0 ? 'sy-bad' : ''}>{pieces(view.counterSellableQty)}</dd>
            <dt>{t('sync.safety.safety')}</dt>
            <dd data-testid="sync-safety-qty">
              {view.safetyQty} <small className="muted">({t(`sync.safety.from.${view.safetyFrom}`)})</small>
            </dd>
          </dl>
          {view.platforms.length === 0 ? (
            <p className="muted sy-help">{t('sync.safety.notLinked')}</p>
          ) : (
            <ul className="sf-plat">
              {view.platforms.map((p) => (
                <li key={p.platform} data-testid={`sync-safety-sells-${p.platform}`} data-qty={p.sellable}>
                  <span>{t('sync.safety.platformSells', { platform: platformWord(t, p.platform) })}</span>
                  <strong>{p.sellable}</strong>
                  <small className="muted">{t('sync.safety.share', { percent: p.sharePercent })}</small>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <div className="sf-row">
        <span className="sf-label">{t('sync.safety.skuQty')}</span>
        <QtyField
          value={own?.qty ?? null}
          min={0}
          max={MAX_QTY}
          busy={busy}
          unit={t('sync.safety.pieces')}
          label={t('sync.safety.skuQty')}
          testId="sync-safety-sku"
          clearLabel={t('sync.safety.clear')}
          onSave={(n) => onSet(n)}
          onClear={() => onSet(null)}
        />
      </div>
    </div>
  );
}

export function SafetyTab() {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<SafetySettingsView | null>(null);
  const [categories, setCategories] = useState<CategoryView[]>([]);
  const [note, setNote] = useState<{ ok: boolean; text: Said } | null>(null);
  const [busy, setBusy] = useState(false);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<SkuView[] | null>(null);
  const [pad, setPad] = useState(false);
  const [picked, setPicked] = useState<{ skuId: string; name: string } | null>(null);
  const [figures, setFigures] = useState<SellableView | null>(null);

  useEffect(() => {
    Promise.all([call('sellable.settings', {}), call('catalog.categories', {})]).then(
      ([s, c]) => {
        setSettings(s);
        setCategories(c);
      },
      (e) => setNote({ ok: false, text: errorText(e) }),
    );
  }, []);

  const loadFigures = useCallback(async (skuId: string) => {
    try {
      setFigures(await call('sellable.get', { skuId }));
    } catch (e) {
      setFigures(null);
      setNote({ ok: false, text: errorText(e) });
    }
  }, []);
  useEffect(() => {
    setFigures(null);
    if (picked) void loadFigures(picked.skuId);
  }, [picked, loadFigures]);

  // The catalog's own search (names, codes, barcodes, pinyin initials).
  useEffect(() => {
    const text = q.trim();
    if (!text) return setFound(null);
    if (text.length > 40) return;
    let live = true;
    const id = window.setTimeout(() => {
      void call('catalog.search', { q: text, limit: 30 }).then(
        (p) => {
          if (!live) return;
          setFound(p.items);
          // A scanned or typed barcode that names one item picks it at once.
          if (p.items.length === 1 && (p.items[0].barcode === text || p.items[0].code === text)) setPicked({ skuId: p.items[0].skuId, name: p.items[0].name });
        },
        (e) => live && setNote({ ok: false, text: errorText(e) }),
      );
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(id);
    };
  }, [q]);

  // A scan looks the item up, as typing its barcode would (never lands in a number field).
  useScanAsSearch(setQ);

  const run = async (what: () => Promise<SafetySettingsView>) => {
    setBusy(true);
    setNote(null);
    try {
      setSettings(await what());
      setNote({ ok: true, text: (tt: TFunction) => tt('sync.safety.saved') });
      if (picked) await loadFigures(picked.skuId);
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const setSafety = (scope: 'shop' | 'category' | 'sku', id: string | undefined, qty: number | null) => run(() => call('sellable.setSafety', { scope, id, qty }));
  const setShare = (platform: (typeof CONFIGURABLE_PLATFORMS)[number], percent: number | null) => run(() => call('sellable.setShare', { platform, percent }));

  if (!settings) {
    return (
      <div className="sf" data-testid="sync-safety">
        {note ? <p className="settings-error">{said(t, note.text)}</p> : <p className="muted">{t('app.loading')}</p>}
      </div>
    );
  }
  const catQty = (id: string) => settings.categories.find((c) => c.categoryId === id)?.qty ?? null;
  return (
    <div className="sf" data-testid="sync-safety">
      <p className="muted sy-help sf-intro">{t('sync.safety.intro')}</p>
      {note && (
        <p className={note.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="sync-safety-note">
          {said(t, note.text)}
        </p>
      )}
      <div className="sf-cols">
        <section className="sy-panel sf-panel">
          <h3>{t('sync.safety.shopTitle')}</h3>
          <p className="muted sy-help">{t('sync.safety.shopHelp')}</p>
          <QtyField
            value={settings.shopDefault}
            min={0}
            max={MAX_QTY}
            busy={busy}
            unit={t('sync.safety.pieces')}
            label={t('sync.safety.shopTitle')}
            testId="sync-safety-shop"
            onSave={(n) => void setSafety('shop', undefined, n)}
          />
          <h3 className="sf-sub">{t('sync.safety.shareTitle')}</h3>
          <p className="muted sy-help">{t('sync.safety.shareHelp')}</p>
          <ul className="sf-list">
            {CONFIGURABLE_PLATFORMS.map((p) => (
              <li key={p} className="sf-row" data-testid={`sync-safety-share-${p}`}>
                <span className="sf-label">{platformWord(t, p)}</span>
                <QtyField
                  value={settings.shares.find((s) => s.platform === p)?.percent ?? null}
                  min={1}
                  max={100}
                  busy={busy}
                  unit="%"
                  label={t('sync.safety.shareTitle') + ' ' + platformWord(t, p)}
                  placeholder="100"
                  testId={`sync-safety-share-${p}`}
                  clearLabel={t('sync.safety.shareAll')}
                  onSave={(n) => void setShare(p, n)}
                  onClear={() => void setShare(p, null)}
                />
              </li>
            ))}
          </ul>
        </section>
        <section className="sy-panel sf-panel">
          <h3>{t('sync.safety.categoryTitle')}</h3>
          <p className="muted sy-help">{t('sync.safety.categoryHelp')}</p>
          <ul className="sf-list sf-scroll" data-testid="sync-safety-categories">
            {categories.length === 0 && <li className="muted sy-empty">{t('sync.safety.noCategories')}</li>}
            {categories.map((c) => (
              <li key={c.id} className="sf-row" data-testid="sync-safety-category" data-id={c.id}>
                <span className="sf-label">
                  {c.name} <small className="muted">({c.skuCount})</small>
                </span>
                <QtyField
                  value={catQty(c.id)}
                  min={0}
                  max={MAX_QTY}
                  busy={busy}
                  unit={t('sync.safety.pieces')}
                  label={c.name}
                  placeholder={String(settings.shopDefault)}
                  testId={`sync-safety-cat-${c.id}`}
                  clearLabel={t('sync.safety.useShop')}
                  onSave={(n) => void setSafety('category', c.id, n)}
                  onClear={() => void setSafety('category', c.id, null)}
                />
              </li>
            ))}
          </ul>
        </section>
        <section className="sy-panel sf-panel">
          <h3>{t('sync.safety.skuTitle')}</h3>
          <div className="sy-search">
            <input className="st-input" value={q} placeholder={t('sync.safety.search')} onChange={(e) => setQ(e.target.value)} data-testid="sync-safety-search" />
            <button type="button" className={`btn ${pad ? 'primary' : ''}`} onClick={() => setPad(!pad)} aria-pressed={pad} data-testid="sync-safety-pad">
              {t('sync.safety.letterPad')}
            </button>
          </div>
          {pad && <LetterPad onKey={(k) => setQ((v) => letterEdit(v, k))} testId="sync-safety-letterpad" />}
          {picked && settings && <Figures sku={picked} view={figures} settings={settings} busy={busy} onSet={(n) => void setSafety('sku', picked.skuId, n)} />}
          <ul className="sf-list sf-scroll" data-testid="sync-safety-found">
            {found === null && !picked && <li className="muted sy-help">{t('sync.safety.scanHint')}</li>}
            {found?.length === 0 && <li className="muted sy-empty">{t('sync.safety.noMatch')}</li>}
            {(found ?? settings.skus.map((s) => ({ skuId: s.skuId, name: s.name, spec: '', code: s.code, barcode: null as string | null })))
              .filter((s) => s.skuId !== picked?.skuId)
              .map((s) => {
                const own = settings.skus.find((x) => x.skuId === s.skuId);
                return (
                  <li key={s.skuId} className="sy-local-row">
                    <span>
                      {s.name}
                      {s.spec && <small className="muted"> {s.spec}</small>}
                      <br />
                      <small className="muted">{[s.code, s.barcode, own && `${t('sync.safety.safety')} ${own.qty}`].filter(Boolean).join(' · ')}</small>
                    </span>
                    <button type="button" className="btn" onClick={() => setPicked({ skuId: s.skuId, name: s.name })} data-testid="sync-safety-pick" data-sku={s.skuId}>
                      {t('sync.safety.pick')}
                    </button>
                  </li>
                );
              })}
          </ul>
        </section>
      </div>
    </div>
  );
}
