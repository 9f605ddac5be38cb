// 设置 → 团购券 (owner only): Douyin 来客 and Meituan/Dianping, in the pattern of 网店平台 (PlatformsTab, whose
// field helpers it uses): 启用, the base URL (empty = the platform's gateway; a simulator's address to
// try it), the ids and the secrets. A secret is sent once and never shown again (已设置 with its last 4
// characters); fields are checked as typed by the shared schemas the main side applies; a save sends
// only what changed and the main side rebuilds the voucher service with it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import {
  DEFAULT_VOUCHER_BASE_URLS,
  saveDouyinVoucherSettingsInput,
  saveMeituanVoucherSettingsInput,
  VOUCHER_PLATFORMS,
  type VoucherPlatformName,
  type VoucherSettingsView,
} from '../../../../shared/api/vouchers';
import type { SyncSecretView } from '../../../../shared/api/sync';
import { call } from '../../api/client';
import { useSession } from '../../stores/session';
import { errorText, said, type Said } from '../sync/words';
import { changes, draftOf, fieldErrors, SecretState, type FieldDef } from './PlatformsTab';
import '../../payments/payments.css';
import './platforms.css';

const FIELDS: Record<VoucherPlatformName, FieldDef[]> = {
  douyin: [
    { key: 'clientKey', label: 'voucherSettings.douyin.clientKey' },
    { key: 'clientSecret', label: 'voucherSettings.douyin.clientSecret', secret: true },
    { key: 'poiId', label: 'voucherSettings.douyin.poiId', placeholder: '7000000000000000001', numeric: true },
    { key: 'lifeAccountId', label: 'voucherSettings.douyin.lifeAccountId', numeric: true },
    { key: 'shortLinkBase', label: 'voucherSettings.douyin.shortLinkBase', placeholder: 'https://v.douyin.com' },
  ],
  meituan: [
    { key: 'appKey', label: 'voucherSettings.meituan.appKey' },
    { key: 'appSecret', label: 'voucherSettings.meituan.appSecret', secret: true },
    { key: 'session', label: 'voucherSettings.meituan.session', secret: true },
    { key: 'openShopUuid', label: 'voucherSettings.meituan.openShopUuid' },
  ],
};
const SCHEMAS = { douyin: saveDouyinVoucherSettingsInput, meituan: saveMeituanVoucherSettingsInput } as const;

function VoucherPanel({ platform, view, onSaved }: { platform: VoucherPlatformName; view: VoucherSettingsView[VoucherPlatformName]; onSaved(v: VoucherSettingsView): void }) {
  const { t } = useTranslation();
  const fields = FIELDS[platform];
  const [draft, setDraft] = useState(() => draftOf(view, fields));
  const [message, setMessage] = useState<{ ok: boolean; text: Said } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftOf(view, fields)), [view, fields]);

  const fieldName = (k: string) => (k === 'baseUrl' ? t('platforms.baseUrl') : k === 'enabled' ? t('voucherSettings.enabled') : t(fields.find((f) => f.key === k)?.label ?? k));
  const input = changes(platform, draft, view, fields);
  const errors = fieldErrors(SCHEMAS[platform], input, fieldName);
  const dirty = Object.keys(input).length > 0;
  const id = (k: string) => `vouchers-${platform}-${k}`;
  const rec = view as unknown as Record<string, unknown>;

  async function save() {
    setMessage(null);
    if (Object.keys(errors).length) return setMessage({ ok: false, text: (tt) => tt('platforms.fixFirst') });
    setBusy(true);
    try {
      onSaved(await call('vouchers.saveSettings', input as never));
      setMessage({ ok: true, text: (tt) => tt('voucherSettings.saved') });
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  const row = (k: string, label: string, body: React.ReactNode, help?: React.ReactNode) => (
    <div className="pay-field" key={k}>
      <label className="st-label pay-label" htmlFor={id(k)}>
        {label}
      </label>
      <div className="pay-field-body">
        {body}
        {help}
        {errors[k] && <p className="settings-error pay-field-error">{errors[k]}</p>}
      </div>
    </div>
  );

  return (
    <section className="pay-section pay-merchant pf-panel" data-testid={`vouchers-${platform}`}>
      <header className="pay-merchant-head">
        <h3>{t(`voucherSettings.${platform}.title`)}</h3>
        <span className={`pay-badge ${view.complete ? 'ok' : 'warn'}`} data-testid={id('complete')}>
          {view.complete ? t('platforms.complete') : i18next.language.startsWith('zh') ? t('platforms.incomplete', { missing: view.missing.join('、') }) : t('platforms.incompleteEn')}
        </span>
        <span className={`pay-badge ${view.enabled ? 'ok' : 'warn'}`} data-testid={id('enabled-state')}>
          {view.enabled ? t('platforms.isOn') : t('platforms.isOff')}
        </span>
      </header>
      {view.problem && (
        <p className="settings-error" role="alert">
          {view.problem}
        </p>
      )}
      <label className="st-row check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} data-testid={id('enabled')} />
        {t('voucherSettings.enabled')}
      </label>
      {row(
        'baseUrl',
        t('platforms.baseUrl'),
        <input id={id('baseUrl')} className="st-input" value={draft.baseUrl} placeholder={DEFAULT_VOUCHER_BASE_URLS[platform]} onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })} data-testid={id('baseUrl')} />,
        <small className="muted">{t('platforms.baseUrlHelp', { url: view.effectiveBaseUrl })}</small>,
      )}
      {fields.map((f) =>
        row(
          f.key,
          t(f.label),
          <div className="pf-input-row">
            <input
              id={id(f.key)}
              className="st-input"
              type={f.secret ? 'password' : 'text'}
              autoComplete="off"
              inputMode={f.numeric ? 'numeric' : undefined}
              value={draft.text[f.key]}
              placeholder={f.secret ? ((rec[f.key] as SyncSecretView).set ? t('platforms.secretReplace') : t('platforms.secretEnter')) : f.placeholder}
              onChange={(e) => setDraft({ ...draft, text: { ...draft.text, [f.key]: e.target.value } })}
              data-testid={id(f.key)}
            />
            {f.secret && <SecretState view={rec[f.key] as SyncSecretView} />}
          </div>,
        ),
      )}
      <div className="st-foot">
        {message && (
          <p className={message.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid={id('message')}>
            {said(t, message.text)}
          </p>
        )}
        <button type="button" className="btn" disabled={busy || !dirty} onClick={() => setDraft(draftOf(view, fields))} data-testid={id('undo')}>
          {t('platforms.undo')}
        </button>
        <button type="button" className="btn primary" disabled={busy || !dirty} onClick={() => void save()} data-testid={id('save')}>
          {t('platforms.save')}
        </button>
      </div>
    </section>
  );
}

export function VouchersTab() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const [view, setView] = useState<VoucherSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (role !== 'owner') return;
    void call('vouchers.settings', {}).then(setView, (e) => setError(errorText(e)));
  }, [role]);
  if (role !== 'owner')
    return (
      <p className="settings-note" data-testid="vouchers-owner-only">
        {t('voucherSettings.ownerOnly')}
      </p>
    );
  return (
    <div className="pay-tab pf-tab" data-testid="vouchers-settings">
      <p className="settings-note">{t('voucherSettings.intro')}</p>
      {error && (
        <p className="settings-error" role="alert">
          {error}
        </p>
      )}
      {!view && !error && <p className="muted">{t('app.loading')}</p>}
      {view && VOUCHER_PLATFORMS.map((p) => <VoucherPanel key={p} platform={p} view={view[p]} onSaved={setView} />)}
    </div>
  );
}
