// 小票: the receipt template (shop name, logo, address, phone, header, footer, which fields show)
// with a LIVE preview: every change re-renders a sample receipt on the main side through the same
// path that prints (document → ESC/POS → decoded → picture), so what you see is what prints.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptSettingsView } from '../../../../shared/api';
import { ROLE_RANK } from '../../../../shared/api/endpoint';
import { call } from '../../api/client';
import { useSession } from '../../stores/session';

type Show = ReceiptSettingsView['show'];
const SHOW_KEYS: (keyof Show)[] = ['member', 'points', 'cashier', 'qr', 'barcode'];
const TEXT_FIELDS = [
  { key: 'shopName', max: 40 },
  { key: 'address', max: 80 },
  { key: 'phone', max: 30 },
  { key: 'header', max: 120 },
  { key: 'footer', max: 120 },
] as const;

export function ReceiptTab() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const canManage = !!session && ROLE_RANK[session.role] >= ROLE_RANK.manager;
  const [saved, setSaved] = useState<ReceiptSettingsView | null>(null);
  const [draft, setDraft] = useState<ReceiptSettingsView | null>(null);
  const [paper, setPaper] = useState<58 | 80>(80);
  const [preview, setPreview] = useState<string>('');
  const [previewError, setPreviewError] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    void call('receipt.settings', {}).then((s) => {
      setSaved(s);
      setDraft(s);
      setPaper(s.paper);
    });
  }, []);

  // Live preview: debounced, and only the latest answer is shown.
  useEffect(() => {
    if (!draft) return;
    const mine = ++seq.current;
    const timer = window.setTimeout(() => {
      const { logo, paper: _p, ...fields } = draft;
      call('print.preview', { draft: { ...fields, logo: logo ?? null }, paper })
        .then((r) => {
          if (mine !== seq.current) return;
          setPreview(r.png);
          setPreviewError('');
        })
        .catch((e) => mine === seq.current && setPreviewError((e as Error).message));
    }, 250);
    return () => window.clearTimeout(timer);
  }, [draft, paper]);

  if (!draft || !saved) return <p className="settings-note">{t('app.loading')}</p>;
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const set = (patch: Partial<ReceiptSettingsView>) => {
    setMessage(null);
    setDraft({ ...draft, ...patch });
  };

  const pickLogo = (file: File | undefined) => {
    if (!file) return;
    if (file.type !== 'image/png') return setMessage({ ok: false, text: t('settings.receipt.logoPng') });
    if (file.size > 150_000) return setMessage({ ok: false, text: t('settings.receipt.logoTooBig') });
    const reader = new FileReader();
    reader.onload = () => set({ logo: String(reader.result) });
    reader.readAsDataURL(file);
  };

  const save = async () => {
    try {
      const { paper: _p, ...fields } = draft;
      const s = await call('receipt.saveSettings', fields);
      setSaved(s);
      setDraft(s);
      setMessage({ ok: true, text: t('settings.receipt.saved') });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <div className="receipt-tab">
      <div className="receipt-form">
        <header className="settings-head">
          <h2>{t('settings.tabs.receipt')}</h2>
        </header>
        {!canManage && <p className="settings-note">{t('settings.managerOnly')}</p>}
        {TEXT_FIELDS.map((f) => (
          <label key={f.key} className="st-row">
            <span className="st-label">{t(`settings.receipt.field.${f.key}`)}</span>
            <input
              className="st-input"
              value={draft[f.key]}
              maxLength={f.max}
              onChange={(e) => set({ [f.key]: e.target.value } as Partial<ReceiptSettingsView>)}
              data-testid={`receipt-${f.key}`}
            />
          </label>
        ))}
        <div className="st-row">
          <span className="st-label">{t('settings.receipt.field.logo')}</span>
          {draft.logo && <img className="logo-thumb" src={draft.logo} alt="" />}
          <label className="btn file-btn">
            {t('settings.receipt.chooseLogo')}
            <input type="file" accept="image/png" onChange={(e) => pickLogo(e.target.files?.[0])} data-testid="receipt-logo" />
          </label>
          {draft.logo && (
            <button type="button" className="btn" onClick={() => set({ logo: null })}>
              {t('settings.receipt.removeLogo')}
            </button>
          )}
        </div>
        <div className="st-row">
          <span className="st-label">{t('settings.receipt.field.show')}</span>
          <div className="st-seg st-seg-wrap">
            {SHOW_KEYS.map((k) => (
              <button
                key={k}
                type="button"
                className={`st-seg-btn ${draft.show[k] ? 'on' : ''}`}
                aria-pressed={draft.show[k]}
                onClick={() => set({ show: { ...draft.show, [k]: !draft.show[k] } })}
                data-testid={`receipt-show-${k}`}
              >
                {draft.show[k] ? '✓ ' : ''}
                {t(`settings.receipt.show.${k}`)}
              </button>
            ))}
          </div>
        </div>
        <p className="settings-note">{t('settings.receipt.paperNote', { paper: saved.paper })}</p>
        <div className="st-foot">
          {message && (
            <span className={message.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="receipt-message">
              {message.text}
            </span>
          )}
          <button type="button" className="btn" disabled={!dirty} onClick={() => setDraft(saved)}>
            {t('settings.receipt.revert')}
          </button>
          <button type="button" className="btn primary" disabled={!dirty || !canManage} onClick={() => void save()} data-testid="receipt-save">
            {t('settings.receipt.save')}
          </button>
        </div>
      </div>
      <div className="receipt-preview">
        <div className="st-seg" role="radiogroup" aria-label={t('settings.receipt.previewPaper')}>
          {([58, 80] as const).map((p) => (
            <button key={p} type="button" role="radio" aria-checked={paper === p} className={`st-seg-btn ${paper === p ? 'on' : ''}`} onClick={() => setPaper(p)}>
              {p}mm
            </button>
          ))}
        </div>
        <div className="st-paper">
          {preview ? <img src={preview} alt={t('settings.receipt.preview')} data-testid="receipt-preview" className={`paper-${paper}`} /> : <p className="settings-note">{t('settings.receipt.rendering')}</p>}
        </div>
        {previewError && <p className="settings-error">{previewError}</p>}
      </div>
    </div>
  );
}
