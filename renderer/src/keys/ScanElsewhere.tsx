// A scan on a screen that has no use for it (设置, and the screens still to come) is never lost in
// silence: the low tone, "请回到收银页", and a button that switches. A product code is kept and added
// when the cashier switches (they scanned it to sell it; the button says so and nothing happens
// without the tap). A payment code is not kept: it is valid for a minute and belongs to a payment.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { paymentCodeKind } from '../../../shared/payment-code';
import { beepError } from '../feedback';
import { useNav } from '../stores/nav';
import { LEVEL, useLayer } from './layers';
import './keys.css';

let handed: string | null = null;

/** The code a scan elsewhere left for 收银 to add when it opens (once). */
export function takeHandedScan(): string | null {
  const c = handed;
  handed = null;
  return c;
}

export function ScanElsewhere() {
  const { t } = useTranslation();
  const screen = useNav((s) => s.screen);
  const go = useNav((s) => s.go);
  const [seen, setSeen] = useState<{ code: string; payment: boolean } | null>(null);
  useLayer(
    {
      onScan: (code) => {
        beepError();
        setSeen({ code, payment: paymentCodeKind(code) !== null });
        return true;
      },
    },
    LEVEL.fallback,
  );
  useEffect(() => setSeen(null), [screen]);
  if (!seen) return null;
  return (
    <div className="scan-elsewhere" role="alert" data-testid="scan-elsewhere">
      <span className="scan-elsewhere-text">⚠ {seen.payment ? t('scans.elsewherePay') : t('scans.elsewhere', { code: seen.code })}</span>
      <button
        type="button"
        className="btn primary"
        onClick={() => {
          handed = seen.payment ? null : seen.code;
          setSeen(null);
          go('checkout');
        }}
        data-testid="scan-elsewhere-go"
      >
        {seen.payment ? t('scans.go') : t('scans.goAdd')}
      </button>
      <button type="button" className="btn" onClick={() => setSeen(null)} aria-label={t('scans.dismiss')} data-testid="scan-elsewhere-dismiss">
        ✕
      </button>
    </div>
  );
}
