// 退货 (F7), two tabs: 凭小票退货 (ReturnByReceipt) and 无小票退货 (ReturnWithoutReceipt). The refund
// steps both share (busy, error, idempotency key, manager approval, card-terminal reference) are
// useRefundFlow's; what both show of a refund is in RefundViews.
import { useRef, useState, type MutableRefObject, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { useCart } from '../../stores/cart';
import { ReturnByReceipt } from './ReturnByReceipt';
import { ReturnWithoutReceipt } from './ReturnWithoutReceipt';

export interface ReturnTabProps {
  /** The tab switch, shown at the top of the tab's left column. */
  tabs: ReactNode;
  /** The open tab sets what a scan does (a receipt barcode, or an item coming back). */
  scanRef: MutableRefObject<(code: string) => boolean>;
}

type Tab = 'receipt' | 'none';

export function ReturnScreen() {
  const { t } = useTranslation();
  const close = useCart((s) => s.close);
  const [tab, setTab] = useState<Tab>('receipt');
  const scanRef = useRef<(code: string) => boolean>(() => false);
  const tabs = (
    <div className="seg" role="tablist">
      <button type="button" role="tab" aria-selected={tab === 'receipt'} className={`seg-btn ${tab === 'receipt' ? 'on' : ''}`} onClick={() => setTab('receipt')} data-testid="tab-receipt">
        {t('returns.tabReceipt')}
      </button>
      <button type="button" role="tab" aria-selected={tab === 'none'} className={`seg-btn ${tab === 'none' ? 'on' : ''}`} onClick={() => setTab('none')} data-testid="tab-no-receipt">
        {t('returns.tabNoReceipt')}
      </button>
    </div>
  );
  return (
    <Dialog title={t('returns.title')} testId="return-screen" onClose={close} onScan={(c) => scanRef.current(c)} full>
      {tab === 'receipt' ? <ReturnByReceipt tabs={tabs} scanRef={scanRef} /> : <ReturnWithoutReceipt tabs={tabs} scanRef={scanRef} />}
    </Dialog>
  );
}
