// The dynamic QR (主扫) on the customer display: the platform's code_url drawn large (the `qrcode`
// package's own SVG), the amount, 请用微信扫码支付 / 请用支付宝扫码支付, and how long the code stays valid.
// Shown full-screen while the till runs a QR payment (CustomerDisplay.tsx), laid out for 800×600 and
// 1024×600: the QR on the left as tall as the screen allows, the words on the right.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../shared/money';
import type { PaymentProviderName } from './voice-text';
import './payments.css';

export interface PaymentQrProps {
  /** Which app scans it; unknown → read from the URL (weixin:// is WeChat, qr.alipay.com Alipay). */
  provider?: PaymentProviderName | null;
  amountFen: number;
  codeUrl: string;
  /** Unix ms; without it no countdown is shown. */
  expiresAt?: number | null;
  shopName?: string;
}

export function providerOfUrl(url: string): PaymentProviderName | null {
  if (/^weixin:\/\//i.test(url)) return 'wechat';
  if (/^https?:\/\/qr\.alipay\.com\//i.test(url) || /alipay/i.test(url)) return 'alipay';
  return null;
}

/** The `qrcode` package's SVG markup for a URL (only paths it generated: safe to inline). */
export function useQrSvg(url: string): string {
  const [svg, setSvg] = useState('');
  useEffect(() => {
    let live = true;
    QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then(
      (s) => live && setSvg(s),
      () => live && setSvg(''),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return svg;
}

/** Seconds left until `at` (null without it), ticking each second. */
function useSecondsLeft(at: number | null | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!at) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [at]);
  return at ? Math.max(0, Math.ceil((at - now) / 1000)) : null;
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

export function PaymentQr({ provider, amountFen, codeUrl, expiresAt, shopName }: PaymentQrProps) {
  const { t } = useTranslation();
  const svg = useQrSvg(codeUrl);
  const who = provider ?? providerOfUrl(codeUrl);
  const left = useSecondsLeft(expiresAt);
  const expired = left === 0;
  return (
    <div
      className={`pqr pqr-${who ?? 'any'} ${expired ? 'pqr-expired' : ''}`}
      data-testid="payment-qr"
      data-provider={who ?? ''}
      data-code-url={codeUrl}
    >
      <div className="pqr-code" data-testid="payment-qr-code" aria-label={t('payments.qr.codeLabel')} role="img" dangerouslySetInnerHTML={{ __html: svg }} />
      <div className="pqr-side">
        {shopName && <div className="pqr-shop">{shopName}</div>}
        <div className="pqr-label">{t('payments.qr.amount')}</div>
        <div className="pqr-amount" data-testid="payment-qr-amount">
          {formatYuan(amountFen)}
        </div>
        <div className="pqr-scan" data-testid="payment-qr-scan">
          {expired ? t('payments.qr.expired') : t(who === 'wechat' ? 'payments.qr.scanWechat' : who === 'alipay' ? 'payments.qr.scanAlipay' : 'payments.qr.scanAny')}
        </div>
        {left !== null && !expired && (
          <div className="pqr-expiry" data-testid="payment-qr-expiry">
            {t('payments.qr.expiresIn', { time: mmss(left) })}
          </div>
        )}
      </div>
    </div>
  );
}
