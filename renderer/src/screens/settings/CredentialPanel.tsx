// One platform's API details in 设置 (owner only): 网店平台 (PlatformsTab) and 团购券 (VouchersTab) show
// each platform with this panel. 启用, the API's base URL (empty = the platform's own gateway; a
// simulator's address to try it), the ids and the secrets. A secret is sent once and never shown
// again: once saved the panel says 已设置 with its last characters, and a new one replaces it. Fields
// are checked as typed by the shared schema the main side applies; a save sends only what changed.
// With `testConnection`, 测试连接 tries the saved settings and says the result in words.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import type { ZodType } from 'zod';
import type { PlatformSettingsBase, SyncSecretView } from '../../../../shared/api/sync';
import { useSession } from '../../stores/session';
import { errorText, said, type Said } from '../sync/words';
import '../../payments/payments.css';
import './platforms.css';

export interface FieldDef {
  key: string;
  label: string;
  placeholder?: string;
  secret?: boolean;
  numeric?: boolean;
}

export interface Draft {
  enabled: boolean;
  baseUrl: string;
  text: Record<string, string>;
}
export const draftOf = (v: PlatformSettingsBase, fields: FieldDef[]): Draft => ({
  enabled: v.enabled,
  baseUrl: v.baseUrl,
  text: Object.fromEntries(fields.map((f) => [f.key, f.secret ? '' : String((v as unknown as Record<string, unknown>)[f.key] ?? '')])),
});

/** What changed against the saved view; a secret only when a new one was typed. */
export function changes(platform: string, d: Draft, v: PlatformSettingsBase, fields: FieldDef[]): Record<string, unknown> {
  const rec = v as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (d.enabled !== v.enabled) out.enabled = d.enabled;
  if (d.baseUrl.trim() !== v.baseUrl) out.baseUrl = d.baseUrl.trim();
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

export interface CredentialPanelProps {
  platform: string;
  /** data-testid of the panel, and the prefix of its fields' (`platform-youzan`, `vouchers-douyin`). */
  testId: string;
  title: string;
  view: PlatformSettingsBase;
  fields: FieldDef[];
  schema: ZodType;
  defaultBaseUrl: string;
  enabledLabel: string;
  /** Sends the changes; the caller shows the saved view it gets back. */
  save(input: Record<string, unknown>): Promise<void>;
  savedText: Said;
  /** 测试连接 with the saved settings (only where the platform has a way to try them). */
  testConnection?: () => Promise<{ ok: boolean; message: string }>;
}

export function CredentialPanel(p: CredentialPanelProps) {
  const { t } = useTranslation();
  const { view, fields } = p;
  const [draft, setDraft] = useState(() => draftOf(view, fields));
  const [message, setMessage] = useState<{ ok: boolean; text: Said } | null>(null);
  const [test, setTest] = useState<{ ok: boolean; message: string; busy?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftOf(view, fields)), [view, fields]);

  const fieldName = (k: string) => (k === 'baseUrl' ? t('platforms.baseUrl') : k === 'enabled' ? p.enabledLabel : t(fields.find((f) => f.key === k)?.label ?? k));
  const input = changes(p.platform, draft, view, fields);
  const errors = fieldErrors(p.schema, input, fieldName);
  const dirty = Object.keys(input).length > 0;
  const id = (k: string) => `${p.testId}-${k}`;
  const rec = view as unknown as Record<string, unknown>;

  async function save() {
    setMessage(null);
    setTest(null);
    if (Object.keys(errors).length) return setMessage({ ok: false, text: (tt) => tt('platforms.fixFirst') });
    setBusy(true);
    try {
      await p.save(input);
      setMessage({ ok: true, text: p.savedText });
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }
  async function testConnection(run: () => Promise<{ ok: boolean; message: string }>) {
    setMessage(null);
    setTest({ ok: false, message: t('platforms.testing'), busy: true });
    try {
      setTest(await run());
    } catch (e) {
      setTest({ ok: false, message: errorText(e) });
    }
  }

  const row = (k: string, label: string, body: ReactNode, help?: ReactNode) => (
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
    <section className="pay-section pay-merchant pf-panel" data-testid={p.testId}>
      <header className="pay-merchant-head">
        <h3>{p.title}</h3>
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
        {p.enabledLabel}
      </label>
      {row(
        'baseUrl',
        t('platforms.baseUrl'),
        <input id={id('baseUrl')} className="st-input" value={draft.baseUrl} placeholder={p.defaultBaseUrl} onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })} data-testid={id('baseUrl')} />,
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
        {test && !message && (
          <p className={test.busy ? 'settings-note' : test.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid={id('test-result')}>
            {test.message}
          </p>
        )}
        {p.testConnection && (
          <button type="button" className="btn" disabled={busy || dirty || !view.complete || !!test?.busy} onClick={() => void testConnection(p.testConnection!)} data-testid={id('test')}>
            {t('platforms.test')}
          </button>
        )}
        <button type="button" className="btn" disabled={busy || !dirty} onClick={() => setDraft(draftOf(view, fields))} data-testid={id('undo')}>
          {t('platforms.undo')}
        </button>
        <button type="button" className="btn primary" disabled={busy || !dirty} onClick={() => void save()} data-testid={id('save')}>
          {t('platforms.save')}
        </button>
      </div>
      {p.testConnection && dirty && <small className="muted">{t('platforms.saveBeforeTest')}</small>}
    </section>
  );
}

/**
 * An owner-only settings tab's data: read once the owner is logged in (others see `ownerOnly`), with
 * the load's error in words; `setView` takes the view a save returns.
 */
export function useOwnerSettings<V>(load: () => Promise<V>) {
  const role = useSession((s) => s.session?.role);
  const [view, setView] = useState<V | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (role !== 'owner') return;
    void load().then(setView, (e) => setError(errorText(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the loader is fixed for the tab
  }, [role]);
  return { ownerOnly: role !== 'owner', view, setView, error };
}
