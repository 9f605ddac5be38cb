// 设置 → 网店平台 (owner only): each online shop the till syncs with (有赞, 抖店, 微店), in the shared
// CredentialPanel (启用, base URL, ids, secrets shown only as 已设置 with their last characters). 测试连接
// fetches a token and one page of items with the saved settings and says the result in words.
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import {
  CONFIGURABLE_PLATFORMS,
  DEFAULT_SYNC_BASE_URLS,
  saveDoudianSettingsInput,
  saveWeidianSettingsInput,
  saveYouzanSettingsInput,
  type ConfigurablePlatform,
} from '../../../../shared/api/sync';
import { call } from '../../api/client';
import { platformWord } from '../sync/words';
import { CredentialPanel, useOwnerSettings, type FieldDef } from './CredentialPanel';

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

export function PlatformsTab() {
  const { t } = useTranslation();
  const { ownerOnly, view, setView, error } = useOwnerSettings(() => call('sync.settings', {}));
  if (ownerOnly)
    return (
      <p className="settings-note" data-testid="platforms-owner-only">
        {t('platforms.ownerOnly')}
      </p>
    );
  // The main side's words are Chinese; in English say the outcome and keep its detail.
  const testConnection = (platform: ConfigurablePlatform) => async () => {
    const r = await call('sync.testConnection', { platform });
    return i18next.language.startsWith('zh') ? r : { ok: r.ok, message: `${r.ok ? t('platforms.testOk') : t('platforms.testFailed')} (${r.message})` };
  };
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
      {view &&
        CONFIGURABLE_PLATFORMS.map((p) => (
          <CredentialPanel
            key={p}
            platform={p}
            testId={`platform-${p}`}
            title={platformWord(t, p)}
            view={view[p]}
            fields={FIELDS[p]}
            schema={SCHEMAS[p]}
            defaultBaseUrl={DEFAULT_SYNC_BASE_URLS[p]}
            enabledLabel={t('platforms.enabled')}
            save={async (input) => setView(await call('sync.saveSettings', input as never))}
            savedText={(tt) => tt('platforms.saved')}
            testConnection={testConnection(p)}
          />
        ))}
      {view && <p className="muted">{t('platforms.weidianSoon')}</p>}
    </div>
  );
}
