// 设置 → 网店平台 (owner only): each online shop the till syncs with (有赞, 抖店, 微店): 启用, the API's base
// URL (empty = the platform's own gateway; a simulator's address to watch the till sync with it),
// the app's ids and its secret. A secret is sent once and never shown again: once saved the screen
// says 已设置 with its last characters, and a new one replaces it. Fields are checked as typed by
// the same shared schemas the main side applies; a save sends only what changed. 测试连接 fetches a
// token and one page of items with the saved settings and says the result in words. The field helpers
// are exported for 设置 → 团购券 (VouchersTab), which follows the same pattern.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONFIGURABLE_PLATFORMS,
  DEFAULT_SYNC_BASE_URLS,
  saveDoudianSettingsInput,
  saveWeidianSettingsInput,
  saveYouzanSettingsInput,
  type ConfigurablePlatform,
  type DoudianSettingsView,
  type SyncSecretView,
  type SyncSettingsView,
  type SyncTestResult,
  type WeidianSettingsView,
  type YouzanSettingsView,
} from '../../../../shared/api/sync';
import i18next from 'i18next';
import type { ZodType } from 'zod';
import { call } from '../../api/client';
import { useSession } from '../../stores/session';
import { errorText, platformWord, said, type Said } from '../sync/words';
import '../../payments/payments.css';
import './platforms.css';

type View = YouzanSettingsView | DoudianSettingsView | WeidianSettingsView;
export interface FieldDef {
  key: string;
  label: string;
  placeholder?: string;
  secret?: boolean;
  numeric?: boolean;
}
const FIELDS: Record<ConfigurablePlatform, FieldDef[]> = {
  youzan: [
    { key: 'clientId', label: 'platforms.youzan.clientId' },
    { key: 'grantId', label: 'platforms.youzan.grantId', placeholder: '12345678', numeric: true },
    { key: 'clientSecret', label: 'platforms.youzan.clientSecret', secret: true },
  ],
  doudian: [
    { key: 'appKey', label: 'platforms.doudian.appKey', placeholder: '7000000000000000000', numeric: true },
    { key: 'shopId', label: 'platforms.doudian.shopId', placeholder: '1234567', numeric: true },
    { key: 'appSecret', label: 'platforms.doudian.appSecret', secret: true },
  ],
  weidian: [
    { key: 'appKey', label: 'platforms.weidian.appKey' },
    { key: 'secret', label: 'platforms.weidian.secret', secret: true },
  ],
};
const SCHEMAS = { youzan: saveYouzanSettingsInput, doudian: saveDoudianSettingsInput, weidian: saveWeidianSettingsInput } as const;

export interface Draft {
  enabled: boolean;
  baseUrl: string;
  text: Record<string, string>;
}
export const draftOf = (v: object, fields: FieldDef[]): Draft => ({
  enabled: (v as View).enabled,
  baseUrl: (v as View).baseUrl,
  text: Object.fromEntries(fields.map((f) => [f.key, f.secret ? '' : String((v as unknown as Record<string, unknown>)[f.key] ?? '')])),
});

/** What changed against the saved view; a secret only when a new one was typed. */
export function changes(platform: string, d: Draft, v: object, fields: FieldDef[]): Record<string, unknown> {
  const rec = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (d.enabled !== rec.enabled) out.enabled = d.enabled;
  if (d.baseUrl.trim() !== rec.baseUrl) out.baseUrl = d.baseUrl.trim();
  for (const f of fields) {
    const val = d.text[f.key].trim();
    if (f.secret ? val !== '' : val !== String(rec[f.key] ?? '')) out[f.key] = val;
  }
  return Object.keys(out).length ? { platform, ...out } : {};
}

/** Field errors by key: the shared schema's Chinese, or in English a sentence naming the field. */
export function fieldErrors(schema: ZodType, input: Record<string, unknown>, fieldName: (k: string) => string): Record<string, string> {
  if (!Object.keys(input).length) return {};
  const r = schema.safeParse(input);
  if (r.success) return {};
  const zh = i18next.language?.startsWith('zh') ?? true;
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const k = String(issue.path[0] ?? '');
    out[k] ??= zh ? issue.message : i18next.t('platforms.fieldBad', { field: fieldName(k) });
  }
  return out;
}

export function SecretState({ view }: { view: SyncSecretView }) {
  const { t } = useTranslation();
  return view.set ? <span className="pay-badge ok">{t('platforms.secretSet', { hint: view.hint ?? '' })}</span> : <span className="pay-badge warn">{t('platforms.secretUnset')}</span>;
}

function PlatformPanel({ platform, view, onSaved }: { platform: ConfigurablePlatform; view: View; onSaved(v: SyncSettingsView): void }) {
  const { t } = useTranslation();
  const fields = FIELDS[platform];
  const [draft, setDraft] = useState(() => draftOf(view, fields));
  const [message, setMessage] = useState<{ ok: boolean; text: Said } | null>(null);
  const [test, setTest] = useState<(SyncTestResult & { busy?: boolean }) | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftOf(view, fields)), [view, fields]);

  const fieldName = (k: string) => (k === 'baseUrl' ? t('platforms.baseUrl') : k === 'enabled' ? t('platforms.enabled') : t(fields.find((f) => f.key === k)?.label ?? k));
  const input = changes(platform, draft, view, fields);
  const errors = fieldErrors(SCHEMAS[platform], input, fieldName);
  const dirty = Object.keys(input).length > 0;
  const id = (k: string) => `platform-${platform}-${k}`;
  const rec = view as unknown as Record<string, unknown>;

  async function save() {
    setMessage(null);
    setTest(null);
    if (Object.keys(errors).length) {
      setMessage({ ok: false, text: (tt) => tt('platforms.fixFirst') });
      return;
    }
    setBusy(true);
    try {
      const saved = await call('sync.saveSettings', input as never);
      onSaved(saved);
      setMessage({ ok: true, text: (tt) => tt('platforms.saved') });
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }
  async function testConnection() {
    setMessage(null);
    setTest({ ok: false, message: t('platforms.testing'), busy: true });
    try {
      const r = await call('sync.testConnection', { platform });
      // The main side's words are Chinese; in English say the outcome and keep its detail.
      setTest(i18next.language.startsWith('zh') ? r : { ok: r.ok, message: `${r.ok ? t('platforms.testOk') : t('platforms.testFailed')} (${r.message})` });
    } catch (e) {
      setTest({ ok: false, message: errorText(e) });
    }
  }

  return (
    <section className="pay-section pay-merchant pf-panel" data-testid={`platform-${platform}`}>
      <header className="pay-merchant-head">
        <h3>{platformWord(t, platform)}</h3>
        <span className={`pay-badge ${view.complete ? 'ok' : 'warn'}`} data-testid={id('complete')}>
          {view.complete ? t('platforms.complete') : i18next.language.startsWith('zh') ? t('platforms.incomplete', { missing: view.missing.join('、') }) : t('platforms.incompleteEn')}
        </span>
        <span className={`pay-badge ${view.enabled ? 'ok' : 'warn'}`} data-testid={id('enabled-state')}>
          {view.enabled ? t('platforms.isOn') : t('platforms.isOff')}
        </span>
      </header>
      {view.problem && (
        <p className="settings-error" role="alert" data-testid={id('problem')}>
          {view.problem}
        </p>
      )}
      <label className="st-row check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} data-testid={id('enabled')} />
        {t('platforms.enabled')}
      </label>
      <div className="pay-field">
        <label className="st-label pay-label" htmlFor={id('baseUrl')}>
          {t('platforms.baseUrl')}
        </label>
        <div className="pay-field-body">
          <input
            id={id('baseUrl')}
            className="st-input"
            value={draft.baseUrl}
            placeholder={DEFAULT_SYNC_BASE_URLS[platform]}
            onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })}
            data-testid={id('baseUrl')}
          />
          <small className="muted">{t('platforms.baseUrlHelp', { url: view.effectiveBaseUrl })}</small>
          {errors.baseUrl && <p className="settings-error pay-field-error">{errors.baseUrl}</p>}
        </div>
      </div>
      {fields.map((f) => (
        <div className="pay-field" key={f.key}>
          <label className="st-label pay-label" htmlFor={id(f.key)}>
            {t(f.label)}
          </label>
          <div className="pay-field-body">
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
            </div>
            {errors[f.key] && <p className="settings-error pay-field-error">{errors[f.key]}</p>}
          </div>
        </div>
      ))}
      <div className="st-foot">
        {message && (
          <p className={message.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid={id('message')}>
            {said(t, message.text)}
          </p>
        )}
        {test && !message && (
          <p className={test.busy ? 'settings-note' : test.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid={id('test-result')}>
            {test.message}
          </p>
        )}
        <button type="button" className="btn" disabled={busy || dirty || !view.complete || !!test?.busy} onClick={() => void testConnection()} data-testid={id('test')}>
          {t('platforms.test')}
        </button>
        <button type="button" className="btn" disabled={busy || !dirty} onClick={() => setDraft(draftOf(view, fields))} data-testid={id('undo')}>
          {t('platforms.undo')}
        </button>
        <button type="button" className="btn primary" disabled={busy || !dirty} onClick={() => void save()} data-testid={id('save')}>
          {t('platforms.save')}
        </button>
      </div>
      {dirty && <small className="muted">{t('platforms.saveBeforeTest')}</small>}
    </section>
  );
}

export function PlatformsTab() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const [view, setView] = useState<SyncSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (role !== 'owner') return;
    void call('sync.settings', {}).then(setView, (e) => setError(errorText(e)));
  }, [role]);
  if (role !== 'owner')
    return (
      <p className="settings-note" data-testid="platforms-owner-only">
        {t('platforms.ownerOnly')}
      </p>
    );
  return (
    <div className="pay-tab pf-tab" data-testid="platforms-settings">
      <p className="settings-note">{t('platforms.intro')}</p>
      {view?.secretStore.warning && <p className="settings-error">{view.secretStore.warning}</p>}
      {error && (
        <p className="settings-error" role="alert">
          {error}
        </p>
      )}
      {!view && !error && <p className="muted">{t('app.loading')}</p>}
      {view && CONFIGURABLE_PLATFORMS.map((p) => <PlatformPanel key={p} platform={p} view={view[p]} onSaved={setView} />)}
      {view && <p className="muted">{t('platforms.weidianSoon')}</p>}
    </div>
  );
}
