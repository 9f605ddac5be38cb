// 网店同步 → 商品对应: which local SKU each platform item is. 自动匹配 links by barcode and 商家编码
// and says how many it found; the rest are reviewed here: pick a platform item on the left, find the
// local SKU on the right (name, code, barcode or pinyin initials through the catalog search, with an
// on-screen letter pad), 关联. Linked pairs are listed below with 解除关联.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SkuView } from '../../../../shared/api';
import { call } from '../../api/client';
import { LetterPad, letterEdit } from '../../components/LetterPad';
import { useScanAsSearch } from '../../keys/layers';
import { CONFIGURABLE_PLATFORMS, type ConfigurablePlatform, type SyncMappingRow, type SyncPlatformItem } from './api';
import { errorText, platformWord, said, type Said } from './words';

const itemKey = (i: { itemId: string; platformSkuId: string | null }) => `${i.itemId}/${i.platformSkuId ?? ''}`;
const LIST_LIMIT = 200;

interface Lists {
  remote: SyncPlatformItem[];
  remoteTotal: number;
  local: SyncMappingRow[];
  localTotal: number;
  linked: SyncMappingRow[];
  linkedTotal: number;
}
interface LocalRow {
  skuId: string;
  name: string;
  spec: string;
  code: string | null;
  barcode: string | null;
}

export function MappingTab() {
  const { t } = useTranslation();
  const [platform, setPlatform] = useState<ConfigurablePlatform>('youzan');
  const [list, setList] = useState<Lists | null>(null);
  const [picked, setPicked] = useState<SyncPlatformItem | null>(null);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<SkuView[] | null>(null);
  const [pad, setPad] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: Said } | null>(null);
  const [busy, setBusy] = useState(false);
  const searched = useRef(false);

  const load = useCallback(async () => {
    try {
      const [remote, local, linked] = await Promise.all([
        call('sync.mapping.platformItems', { platform, unlinkedOnly: true, limit: LIST_LIMIT }),
        call('sync.mapping.list', { platform, filter: 'unmatched', limit: LIST_LIMIT }),
        call('sync.mapping.list', { platform, filter: 'matched', limit: LIST_LIMIT }),
      ]);
      setList({ remote: remote.items, remoteTotal: remote.total, local: local.rows, localTotal: local.total, linked: linked.rows, linkedTotal: linked.total });
    } catch (e) {
      setList(null);
      setNote({ ok: false, text: errorText(e) });
    }
  }, [platform]);
  useEffect(() => {
    setPicked(null);
    setNote(null);
    void load();
  }, [load]);

  // The catalog's own search (names, codes, barcodes, pinyin initials), as 查找 at the counter.
  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setFound(null);
      if (searched.current) void load(); // the whole linked list again
      searched.current = false;
      return;
    }
    if (text.length > 60) return;
    searched.current = true;
    let live = true;
    const id = window.setTimeout(() => {
      void call('catalog.search', { q: text, limit: 30 }).then(
        (p) => live && setFound(p.items),
        (e) => live && setNote({ ok: false, text: errorText(e) }),
      );
      // The linked list narrows to the same words (name, barcode, code), to find one to unlink.
      void call('sync.mapping.list', { platform, filter: 'matched', search: text, limit: LIST_LIMIT }).then(
        (p) => live && setList((l) => (l ? { ...l, linked: p.rows, linkedTotal: p.total } : l)),
        () => undefined,
      );
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(id);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, platform]);

  // A scanned barcode looks the local item up, as typing it would.
  useScanAsSearch(setQ);

  const run = async (what: () => Promise<Said>) => {
    setBusy(true);
    setNote(null);
    try {
      setNote({ ok: true, text: await what() });
      await load();
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const autoMatch = () =>
    run(async () => {
      const r = (await call('sync.mapping.autoMatch', { platform })).platforms.find((x) => x.platform === platform);
      if (!r) return (tt: TFunction) => tt('sync.mapping.autoNone');
      if (!r.ok) throw new Error(r.error ?? t('sync.mapping.autoNone'));
      return (tt: TFunction) => tt('sync.mapping.autoResult', { listed: r.listed, matched: r.matched, already: r.alreadyLinked, ambiguous: r.ambiguous, unmatched: r.unmatched });
    });
  const link = (sku: LocalRow) => {
    const item = picked;
    if (!item) return;
    void run(async () => {
      await call('sync.mapping.link', { platform, skuId: sku.skuId, itemId: item.itemId, platformSkuId: item.platformSkuId });
      setPicked(null);
      setQ('');
      return (tt: TFunction) => tt('sync.mapping.linked', { local: sku.name, remote: item.title });
    });
  };
  const unlink = (skuId: string, name: string) =>
    run(async () => {
      await call('sync.mapping.unlink', { platform, skuId });
      return (tt: TFunction) => tt('sync.mapping.unlinked', { name });
    });

  const locals: LocalRow[] = found ?? list?.local.map((s) => ({ skuId: s.skuId, name: s.name, spec: '', code: s.code, barcode: s.barcode })) ?? [];
  return (
    <div className="sy-map" data-testid="sync-mapping">
      <div className="sy-map-head">
        <div className="st-seg" role="radiogroup" aria-label={t('sync.mapping.platform')}>
          {CONFIGURABLE_PLATFORMS.map((p) => (
            <button
              key={p}
              type="button"
              role="radio"
              aria-checked={platform === p}
              className={`st-seg-btn ${platform === p ? 'on' : ''}`}
              onClick={() => setPlatform(p)}
              data-testid={`sync-map-platform-${p}`}
            >
              {platformWord(t, p)}
            </button>
          ))}
        </div>
        <button type="button" className="btn primary" disabled={busy} onClick={() => void autoMatch()} data-testid="sync-map-auto">
          {busy ? t('sync.mapping.working') : t('sync.mapping.auto')}
        </button>
        <span className="muted sy-help">{t('sync.mapping.autoHelp')}</span>
      </div>
      {note && (
        <p className={note.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="sync-map-note">
          {said(t, note.text)}
        </p>
      )}
      {pad && <LetterPad onKey={(k) => setQ((v) => letterEdit(v, k))} testId="sync-map-letterpad" />}
      <div className="sy-map-cols">
        <section className="sy-panel">
          <h3>
            {t('sync.mapping.remoteTitle', { platform: platformWord(t, platform) })} <span className="sy-count">{list?.remoteTotal ?? 0}</span>
          </h3>
          <p className="muted sy-help">{t('sync.mapping.pickRemote')}</p>
          <ul className="sy-pick-list" data-testid="sync-map-remote">
            {list?.remote.length === 0 && <li className="muted sy-empty">{t('sync.mapping.noneRemote')}</li>}
            {list && list.remoteTotal > list.remote.length && <li className="muted sy-help">{t('sync.mapping.more', { count: list.remote.length })}</li>}
            {list?.remote.map((i) => (
              <li key={itemKey(i)}>
                <button
                  type="button"
                  className={`sy-pick ${picked && itemKey(picked) === itemKey(i) ? 'on' : ''}`}
                  aria-pressed={!!picked && itemKey(picked) === itemKey(i)}
                  onClick={() => setPicked(i)}
                  data-testid="sync-map-remote-item"
                  data-item={i.itemId}
                >
                  <span>{i.title}</span>
                  <small className="muted">
                    {[i.code && `${t('sync.mapping.outerCode')} ${i.code}`, i.barcode && `${t('sync.mapping.barcode')} ${i.barcode}`, `ID ${i.platformSkuId ?? i.itemId}`].filter(Boolean).join(' · ')}
                  </small>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="sy-panel">
          <h3>
            {found ? t('sync.mapping.searchTitle') : t('sync.mapping.localTitle')} {!found && <span className="sy-count">{list?.localTotal ?? 0}</span>}
          </h3>
          <div className="sy-search">
            <input className="st-input" value={q} placeholder={t('sync.mapping.search')} onChange={(e) => setQ(e.target.value)} data-testid="sync-map-search" />
            <button type="button" className={`btn ${pad ? 'primary' : ''}`} onClick={() => setPad(!pad)} aria-pressed={pad} data-testid="sync-map-pad">
              {t('sync.mapping.letterPad')}
            </button>
          </div>
          <p className="muted sy-help">{picked ? t('sync.mapping.pickLocal', { name: picked.title }) : t('sync.mapping.pickRemoteFirst')}</p>
          <ul className="sy-pick-list" data-testid="sync-map-local">
            {locals.length === 0 && <li className="muted sy-empty">{found ? t('sync.mapping.noMatch') : t('sync.mapping.noneLocal')}</li>}
            {!found && list && list.localTotal > list.local.length && <li className="muted sy-help">{t('sync.mapping.more', { count: list.local.length })}</li>}
            {locals.map((s) => (
              <li key={s.skuId} className="sy-local-row">
                <span>
                  {s.name}
                  {s.spec && <small className="muted"> {s.spec}</small>}
                  <br />
                  <small className="muted">{[s.code, s.barcode].filter(Boolean).join(' · ')}</small>
                </span>
                <button type="button" className="btn" disabled={!picked || busy} onClick={() => link(s)} data-testid="sync-map-link" data-sku={s.skuId}>
                  {t('sync.mapping.link')}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="sy-panel sy-linked">
          <h3>
            {t('sync.mapping.linkedTitle')} <span className="sy-count">{list?.linkedTotal ?? 0}</span>
          </h3>
          <ul className="sy-pick-list" data-testid="sync-map-linked">
            {list?.linked.length === 0 && <li className="muted sy-empty">{t('sync.mapping.noneLinked')}</li>}
          {list && list.linkedTotal > list.linked.length && <li className="muted sy-help">{t('sync.mapping.more', { count: list.linked.length })}</li>}
            {list?.linked.map((row) => {
              const l = row.links.find((x) => x.platform === platform);
              return (
                <li key={row.skuId} className="sy-local-row" data-testid="sync-map-linked-row" data-sku={row.skuId}>
                  <span>
                    {row.name} ⇄ {l?.title ?? l?.platformSkuId ?? l?.itemId}
                    <br />
                    <small className="muted">
                      {l && t(`sync.mapping.by.${l.matchedBy}`)}
                      {row.barcode && ` · ${row.barcode}`}
                    </small>
                  </span>
                  <button type="button" className="btn" disabled={busy} onClick={() => void unlink(row.skuId, row.name)} data-testid="sync-map-unlink">
                    {t('sync.mapping.unlink')}
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
