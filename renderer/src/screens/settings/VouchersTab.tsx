// 设置 → 团购券 (owner only): Douyin 来客 and Meituan/Dianping in the shared CredentialPanel, like 网店平台
// (PlatformsTab): 启用, the base URL (empty = the platform's gateway; a simulator's address to try it),
// the ids and the secrets (sent once, then shown only as 已设置 with their last 4 characters). A save
// sends only what changed and the main side rebuilds the voucher service with it.
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_VOUCHER_BASE_URLS,
  saveDouyinVoucherSettingsInput,
  saveMeituanVoucherSettingsInput,
  VOUCHER_PLATFORMS,
  type VoucherPlatformName,
} from '../../../../shared/api/vouchers';
import { call } from '../../api/client';
import { CredentialPanel, useOwnerSettings, type FieldDef } from './CredentialPanel';

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

export function VouchersTab() {
  const { t } = useTranslation();
  const { ownerOnly, view, setView, error } = useOwnerSettings(() => call('vouchers.settings', {}));
  if (ownerOnly)
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
      {view &&
        VOUCHER_PLATFORMS.map((p) => (
          <CredentialPanel
            key={p}
            platform={p}
            testId={`vouchers-${p}`}
            title={t(`voucherSettings.${p}.title`)}
            view={view[p]}
            fields={FIELDS[p]}
            schema={SCHEMAS[p]}
            defaultBaseUrl={DEFAULT_VOUCHER_BASE_URLS[p]}
            enabledLabel={t('voucherSettings.enabled')}
            save={async (input) => setView(await call('vouchers.saveSettings', input as never))}
            savedText={(tt) => tt('voucherSettings.saved')}
          />
        ))}
    </div>
  );
}
