// 设置 → 支付 → 商户设置 (owner only): the WeChat Pay and Alipay merchant accounts. Keys are imported
// from the files the platforms give (input type=file, read as text here, sent once, never shown:
// after saving the screen shows only 已设置 with the last characters or the key's fingerprint).
// Fields are checked as typed by the same shared schemas the main side applies; a save sends only
// what changed. 测试连接 sends one signed query with the saved settings and says the result in words.
// Other roles see a note instead (the main side refuses them the settings anyway).
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_BASE_URLS,
  saveAlipayMerchantInput,
  saveWechatMerchantInput,
  type AlipayMerchantView,
  type MerchantEnv,
  type MerchantProvider,
  type MerchantSettingsView,
  type SecretView,
  type TestConnectionResult,
  type WechatMerchantView,
} from '../../../shared/api/payment-settings';
import { call } from '../api/client';
import { useSession } from '../stores/session';

type Field = { key: string; label: string; placeholder?: string };
type SecretField = { key: string; label: string; view: (v: never) => SecretView; file: boolean; accept?: string };

const WECHAT_TEXT: Field[] = [
  { key: 'mchid', label: 'payments.merchant.wechat.mchid', placeholder: '1230000109' },
  { key: 'appid', label: 'payments.merchant.wechat.appid', placeholder: 'wx0123456789abcdef' },
  { key: 'merchantSerialNo', label: 'payments.merchant.wechat.serialNo' },
  { key: 'platformPublicKeyId', label: 'payments.merchant.wechat.publicKeyId', placeholder: 'PUB_KEY_ID_…' },
];
const WECHAT_SECRETS: SecretField[] = [
  { key: 'merchantPrivateKeyPem', label: 'payments.merchant.wechat.privateKey', view: (v: WechatMerchantView) => v.merchantPrivateKey, file: true, accept: '.pem,.key,.txt' },
  { key: 'platformPublicKeyPem', label: 'payments.merchant.wechat.publicKey', view: (v: WechatMerchantView) => v.platformPublicKey, file: true, accept: '.pem,.txt' },
  { key: 'apiV3Key', label: 'payments.merchant.wechat.apiV3Key', view: (v: WechatMerchantView) => v.apiV3Key, file: false },
] as SecretField[];
const ALIPAY_TEXT: Field[] = [{ key: 'appId', label: 'payments.merchant.alipay.appId', placeholder: '2021000000000000' }];
const ALIPAY_SECRETS: SecretField[] = [
  { key: 'appPrivateKeyPem', label: 'payments.merchant.alipay.privateKey', view: (v: AlipayMerchantView) => v.appPrivateKey, file: true, accept: '.pem,.key,.txt' },
  { key: 'alipayPublicKeyPem', label: 'payments.merchant.alipay.publicKey', view: (v: AlipayMerchantView) => v.alipayPublicKey, file: true, accept: '.pem,.txt,.crt' },
] as SecretField[];

interface Draft {
  enabled: boolean;
  env: MerchantEnv;
  baseUrl: string;
  text: Record<string, string>;
  /** New secrets picked or typed (sent once on save); the file's name for the screen. */
  secrets: Record<string, { value: string; fileName: string | null }>;
}

function draftOf(v: WechatMerchantView | AlipayMerchantView, fields: Field[]): Draft {
  const rec = v as unknown as Record<string, unknown>;
  return {
    enabled: v.enabled,
    env: v.env,
    baseUrl: v.baseUrl,
    text: Object.fromEntries(fields.map((f) => [f.key, String(rec[f.key] ?? '')])),
    secrets: {},
  };
}

/** Only what changed (text fields compared with the saved view; secrets when newly given). */
function changes(d: Draft, v: WechatMerchantView | AlipayMerchantView, fields: Field[]): Record<string, unknown> {
  const rec = v as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (d.enabled !== v.enabled) out.enabled = d.enabled;
  if (d.env !== v.env) out.env = d.env;
  if (d.baseUrl.trim() !== v.baseUrl) out.baseUrl = d.baseUrl.trim();
  for (const f of fields) if (d.text[f.key].trim() !== String(rec[f.key] ?? '')) out[f.key] = d.text[f.key].trim();
  for (const [k, s] of Object.entries(d.secrets)) if (s.value) out[k] = s.value;
  return out;
}

/** Field errors by key, from the shared schema's own (Chinese) messages. */
function fieldErrors(provider: MerchantProvider, input: Record<string, unknown>): Record<string, string> {
  const r = (provider === 'wechat' ? saveWechatMerchantInput : saveAlipayMerchantInput).safeParse(input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const k = String(issue.path[0] ?? '');
    out[k] ??= issue.message;
  }
  return out;
}

function Row({ label, error, children, testId }: { label: string; error?: string; children: ReactNode; testId?: string }) {
  return (
    <div className="pay-field" data-testid={testId}>
      <span className="st-label pay-label">{label}</span>
      <div className="pay-field-body">
        {children}
        {error && (
          <p className="settings-error pay-field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

function ProviderPanel(props: {
  provider: MerchantProvider;
  view: WechatMerchantView | AlipayMerchantView;
  fields: Field[];
  secrets: SecretField[];
  onSaved(v: MerchantSettingsView): void;
}) {
  const { t } = useTranslation();
  const { provider, view, fields, secrets } = props;
  const [draft, setDraft] = useState(() => draftOf(view, fields));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [test, setTest] = useState<(TestConnectionResult & { busy?: boolean }) | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftOf(view, fields)), [view, fields]);

  const input = changes(draft, view, fields);
  const errors = fieldErrors(provider, input);
  const dirty = Object.keys(input).length > 0;
  const p = (k: string) => `${provider}-${k}`;
  const official = DEFAULT_BASE_URLS[provider][draft.env];

  async function readFile(key: string, file: File | undefined) {
    if (!file) return;
    // A key file is a few KB: more than the schema's 10 000 characters is refused there, in words.
    const value = await file.slice(0, 20_000).text();
    setDraft((d) => ({ ...d, secrets: { ...d.secrets, [key]: { value, fileName: file.name } } }));
  }

  async function save() {
    setMessage(null);
    if (Object.keys(errors).length) {
      setMessage({ ok: false, text: t('payments.merchant.fixFirst') });
      return;
    }
    setBusy(true);
    try {
      const saved = await call(provider === 'wechat' ? 'merchant.saveWechat' : 'merchant.saveAlipay', input as never);
      props.onSaved(saved);
      setMessage({ ok: true, text: t('payments.merchant.saved') });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  async function testConnection() {
    setTest({ ok: false, message: t('payments.merchant.testing'), busy: true });
    try {
      setTest(await call('merchant.testConnection', { provider }));
    } catch (e) {
      setTest({ ok: false, message: (e as Error).message });
    }
  }

  return (
    <section className="pay-section pay-merchant" data-testid={`merchant-${provider}`}>
      <header className="pay-merchant-head">
        <h3>{t(`payments.provider.${provider}`)}</h3>
        <span className={`pay-badge ${view.complete ? 'ok' : 'warn'}`} data-testid={p('complete')}>
          {view.complete ? t('payments.merchant.complete') : t('payments.merchant.incomplete', { missing: view.missing.join('、') })}
        </span>
        <span className={`pay-badge ${view.enabled ? 'ok' : 'warn'}`} data-testid={p('enabled-state')}>
          {view.enabled ? t('payments.merchant.isOn') : t('payments.merchant.isOff')}
        </span>
      </header>
      {view.problem && (
        <p className="settings-error" role="alert" data-testid={p('problem')}>
          {view.problem}
        </p>
      )}
      <label className="st-row check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} data-testid={p('enabled')} />
        {t('payments.merchant.enabled')}
      </label>
      <Row label={t('payments.merchant.env')} error={errors.env}>
        <div className="st-seg" role="radiogroup" aria-label={t('payments.merchant.env')}>
          {(['production', 'sandbox'] as const).map((env) => (
            <button
              key={env}
              type="button"
              role="radio"
              aria-checked={draft.env === env}
              className={`st-seg-btn ${draft.env === env ? 'on' : ''}`}
              onClick={() => setDraft({ ...draft, env })}
              data-testid={p(`env-${env}`)}
            >
              {t(`payments.merchant.envs.${env}`)}
            </button>
          ))}
        </div>
      </Row>
      <Row label={t('payments.merchant.baseUrl')} error={errors.baseUrl}>
        <input
          className="st-input"
          value={draft.baseUrl}
          placeholder={official ?? t('payments.merchant.noOfficial')}
          onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })}
          data-testid={p('baseUrl')}
          spellCheck={false}
        />
        <p className="settings-note pay-small" data-testid={p('effective')}>
          {view.effectiveBaseUrl ? t('payments.merchant.effective', { url: view.effectiveBaseUrl }) : t('payments.merchant.noEffective')}
        </p>
      </Row>
      {fields.map((f) => (
        <Row key={f.key} label={t(f.label)} error={errors[f.key]}>
          <input
            className="st-input"
            value={draft.text[f.key]}
            placeholder={f.placeholder}
            onChange={(e) => setDraft({ ...draft, text: { ...draft.text, [f.key]: e.target.value } })}
            data-testid={p(f.key)}
            spellCheck={false}
            autoComplete="off"
          />
        </Row>
      ))}
      {secrets.map((s) => {
        const sv = s.view(view as never);
        const picked = draft.secrets[s.key];
        return (
          <Row key={s.key} label={t(s.label)} error={errors[s.key]} testId={p(`${s.key}-row`)}>
            <div className="pay-secret">
              <span className={`pay-secret-state ${sv.set ? 'set' : ''}`} data-testid={p(`${s.key}-state`)}>
                {sv.set ? t('payments.merchant.secretSet', { hint: sv.hint ?? '' }) : t('payments.merchant.secretUnset')}
              </span>
              {s.file ? (
                <label className="btn pay-file">
                  {sv.set ? t('payments.merchant.replaceFile') : t('payments.merchant.importFile')}
                  <input
                    type="file"
                    accept={s.accept}
                    onChange={(e) => {
                      void readFile(s.key, e.target.files?.[0]);
                      e.target.value = ''; // the same file again is a new pick
                    }}
                    data-testid={p(`${s.key}-file`)}
                  />
                </label>
              ) : (
                <input
                  className="st-input"
                  type="password"
                  autoComplete="new-password"
                  value={picked?.value ?? ''}
                  placeholder={sv.set ? t('payments.merchant.typeToReplace') : t('payments.merchant.typeSecret')}
                  onChange={(e) => setDraft({ ...draft, secrets: { ...draft.secrets, [s.key]: { value: e.target.value, fileName: null } } })}
                  data-testid={p(s.key)}
                />
              )}
            </div>
            {picked?.fileName && (
              <p className="settings-note pay-small" data-testid={p(`${s.key}-picked`)}>
                {t('payments.merchant.picked', { name: picked.fileName })}
              </p>
            )}
          </Row>
        );
      })}
      <div className="st-foot">
        {test && (
          <span className={test.busy ? 'settings-note' : test.ok ? 'settings-ok' : 'settings-error'} data-testid={p('test-result')} data-ok={test.busy ? '' : String(test.ok)}>
            {test.message}
          </span>
        )}
        {message && (
          <span className={message.ok ? 'settings-ok' : 'settings-error'} data-testid={p('message')}>
            {message.text}
          </span>
        )}
        <button type="button" className="btn" disabled={dirty || !!test?.busy} onClick={() => void testConnection()} data-testid={p('test')} title={dirty ? t('payments.merchant.saveBeforeTest') : undefined}>
          {t('payments.merchant.test')}
        </button>
        <button type="button" className="btn primary" disabled={!dirty || busy} onClick={() => void save()} data-testid={p('save')}>
          {t('payments.merchant.save')}
        </button>
      </div>
    </section>
  );
}

export function MerchantSettings() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const isOwner = session?.role === 'owner';
  const [view, setView] = useState<MerchantSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!isOwner) return;
    call('merchant.settings', {}).then(setView, (e: Error) => setError(e.message));
  }, [isOwner]);

  if (!isOwner) {
    return (
      <section className="pay-section" data-testid="merchant-settings" data-state="not-owner">
        <h3>{t('payments.merchant.title')}</h3>
        <p className="settings-note pay-readonly" data-testid="merchant-owner-only">
          {t('payments.merchant.ownerOnly')}
        </p>
      </section>
    );
  }
  if (!view) {
    return (
      <section className="pay-section" data-testid="merchant-settings" data-state="loading">
        <h3>{t('payments.merchant.title')}</h3>
        {error ? <p className="settings-error">{error}</p> : <p className="settings-note">{t('app.loading')}</p>}
      </section>
    );
  }
  return (
    <div className="pay-merchants" data-testid="merchant-settings" data-state="ready">
      <h3 className="pay-merchants-title">{t('payments.merchant.title')}</h3>
      <p className={view.secretStore.warning ? 'settings-error' : 'settings-note'} data-testid="merchant-secret-store">
        {t('payments.merchant.store', { label: view.secretStore.label })}
        {view.secretStore.warning ? ` ${view.secretStore.warning}` : ''}
      </p>
      <ProviderPanel provider="wechat" view={view.wechat} fields={WECHAT_TEXT} secrets={WECHAT_SECRETS} onSaved={setView} />
      <ProviderPanel provider="alipay" view={view.alipay} fields={ALIPAY_TEXT} secrets={ALIPAY_SECRETS} onSaved={setView} />
    </div>
  );
}
