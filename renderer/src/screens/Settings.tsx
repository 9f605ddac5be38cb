// 设置: devices (live status, add / edit / remove, tests, serial port discovery), the receipt
// template with a live preview, the print queue with its waiting reasons and decisions, and the
// virtual printer's saved receipts. Saving is manager-only (checked on the main side).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BackupTab } from './settings/BackupTab';
import { CheckoutTab } from './settings/CheckoutTab';
import { DevicesTab } from './settings/DevicesTab';
import { PaymentsTab } from './settings/PaymentsTab';
import { PlatformsTab } from './settings/PlatformsTab';
import { QueueTab } from './settings/QueueTab';
import { ReceiptTab } from './settings/ReceiptTab';
import { VirtualTab } from './settings/VirtualTab';
import { VouchersTab } from './settings/VouchersTab';
import './settings/settings.css';

const TABS = ['devices', 'checkout', 'payments', 'platforms', 'vouchers', 'receipt', 'queue', 'virtual', 'backup'] as const;
type Tab = (typeof TABS)[number];

export function Settings() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('devices');
  return (
    <section className="settings" data-testid="screen-settings">
      <nav className="settings-tabs" role="tablist">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={`settings-tab ${tab === k ? 'active' : ''}`}
            onClick={() => setTab(k)}
            data-testid={`settings-tab-${k}`}
          >
            {t(k === 'checkout' ? 'checkoutSettings.tab' : k === 'backup' ? 'backup.tab' : k === 'payments' ? 'payments.settings.tab' : k === 'platforms' ? 'platforms.tab' : k === 'vouchers' ? 'voucherSettings.tab' : `settings.tabs.${k}`)}
          </button>
        ))}
      </nav>
      <div className="settings-body">
        {tab === 'devices' && <DevicesTab />}
        {tab === 'checkout' && <CheckoutTab onOpenReceipt={() => setTab('receipt')} />}
        {tab === 'payments' && <PaymentsTab />}
        {tab === 'platforms' && <PlatformsTab />}
        {tab === 'vouchers' && <VouchersTab />}
        {tab === 'receipt' && <ReceiptTab />}
        {tab === 'queue' && <QueueTab />}
        {tab === 'virtual' && <VirtualTab />}
        {tab === 'backup' && <BackupTab />}
      </div>
    </section>
  );
}
