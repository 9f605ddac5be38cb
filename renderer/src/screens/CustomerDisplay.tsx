// The customer display (客显) on a second screen: in Electron a second window on the second
// monitor, in the browser host the page /customer-display opened from its read-only link (设置 →
// 设备 → 顾客屏; see customer-display-source.ts). It needs no login: it only shows what the main
// side pushes ('customerDisplay' events): the cart with names and prices, the total, the
// member's points, during payment the amount to pay (and a payment QR when the payments issue
// provides one), a thank-you with the change after the sale, and the shop's name when idle.
// Laid out for 800×600 and 1024×600 screens.
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDisplayState } from '../../../shared/api';
import { formatYuan } from '../../../shared/money';
import { displaySource } from './customer-display-source';
import { PaymentQr } from '../payments/PaymentQr';
import './customer-display.css';

const SOURCE = displaySource();

function Qr({ url }: { url: string }) {
  const [src, setSrc] = useState('');
  useEffect(() => {
    void QRCode.toDataURL(url, { margin: 1, width: 220 }).then(setSrc, () => setSrc(''));
  }, [url]);
  return src ? <img className="cd-qr-img" src={src} alt="" /> : null;
}

function Clock() {
  const { i18n } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 10_000);
    return () => window.clearInterval(id);
  }, []);
  return <span>{now.toLocaleString(i18n.language, { month: 'long', day: 'numeric', weekday: 'long', hour: '2-digit', minute: '2-digit' })}</span>;
}

export function CustomerDisplay() {
  const { t } = useTranslation();
  const [s, setS] = useState<CustomerDisplayState | null>(null);
  const [offline, setOffline] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    document.title = t('customerDisplay.title');
    if (!SOURCE) return;
    const load = () =>
      SOURCE.state()
        .then((st) => {
          setS((cur) => (cur && cur.at > st.at ? cur : st));
          setOffline(false);
        })
        .catch(() => setOffline(true));
    const off = SOURCE.subscribe(
      (next) => {
        setS(next);
        setOffline(false);
      },
      (ok) => (ok ? void load() : setOffline(true)), // back after a break: what changed meanwhile
    );
    void load();
    return off;
  }, [t]);

  // The newest / changed line scrolls into view.
  useEffect(() => {
    const el = listRef.current?.querySelector('.cd-line.focus') ?? listRef.current?.lastElementChild;
    el?.scrollIntoView({ block: 'nearest' });
  }, [s?.focusLineId, s?.lines.length]);

  if (!SOURCE) {
    return (
      <div className="cd cd-idle" data-testid="customer-display" data-phase="unpaired">
        <div className="cd-idle-box">
          <h1 className="cd-pair-title">{t('counter.display.notPaired')}</h1>
          <p className="cd-help">{t('counter.display.notPairedHow')}</p>
        </div>
      </div>
    );
  }

  if (!s || offline) {
    return (
      <div className="cd cd-idle" data-testid="customer-display" data-phase="loading">
        <p className="cd-welcome">{offline ? t('customerDisplay.offline') : t('app.loading')}</p>
      </div>
    );
  }

  if (s.phase === 'idle') {
    return (
      <div className="cd cd-idle" data-testid="customer-display" data-phase="idle">
        <div className="cd-idle-box">
          <h1 className="cd-shop" data-testid="cd-shop">{s.shopName}</h1>
          <p className="cd-welcome">{t('customerDisplay.welcome')}</p>
          <p className="cd-clock">
            <Clock />
          </p>
        </div>
      </div>
    );
  }

  if (s.phase === 'done' && s.done) {
    const d = s.done;
    return (
      <div className="cd cd-done" data-testid="customer-display" data-phase="done">
        <header className="cd-head">
          <span className="cd-head-shop">{s.shopName}</span>
        </header>
        <div className="cd-thanks">
          <h1>{d.kind === 'return' ? t('customerDisplay.refundDone') : t('customerDisplay.thanks')}</h1>
          <dl className="cd-done-sums">
            <div>
              <dt>{d.kind === 'return' ? t('customerDisplay.refund') : t('customerDisplay.total')}</dt>
              <dd>{formatYuan(d.kind === 'return' ? Math.abs(d.totalFen) : d.totalFen)}</dd>
            </div>
            {d.kind === 'sale' && (
              <div>
                <dt>{t('customerDisplay.paid')}</dt>
                <dd>{formatYuan(d.paidFen)}</dd>
              </div>
            )}
            {d.kind === 'sale' && (
              <div className="cd-change">
                <dt>{t('customerDisplay.change')}</dt>
                <dd data-testid="cd-change">{formatYuan(d.changeFen)}</dd>
              </div>
            )}
          </dl>
          {s.member && <p className="cd-points">{t('customerDisplay.pointsNow', { name: s.member.name, points: s.member.points })}</p>}
          <p className="cd-welcome">{t('customerDisplay.comeAgain')}</p>
        </div>
      </div>
    );
  }

  const paying = s.phase === 'paying' && s.paying;
  // A QR payment (主扫) takes the whole screen: the code large, the amount, which app to scan with.
  if (paying && paying.qr) {
    const qr = paying.qr;
    return (
      <div className="cd cd-qrpay" data-testid="customer-display" data-phase="paying-qr">
        <PaymentQr provider={qr.provider} amountFen={qr.amountFen ?? paying.dueFen} codeUrl={qr.url} expiresAt={qr.expiresAt} shopName={s.shopName} />
      </div>
    );
  }
  return (
    <div className={`cd cd-cart ${paying ? 'cd-paying' : ''}`} data-testid="customer-display" data-phase={s.phase}>
      <header className="cd-head">
        <span className="cd-head-shop">{s.shopName}</span>
        <span className="cd-head-count">{t('customerDisplay.items', { count: s.itemCount })}</span>
      </header>
      <div className="cd-body">
        <ol className="cd-lines" ref={listRef} data-testid="cd-lines">
          {s.lines.map((l) => (
            <li key={l.id} className={`cd-line ${l.id === s.focusLineId ? 'focus' : ''}`}>
              <span className="cd-name">{l.name}</span>
              <span className="cd-qty">
                {l.qtyText} @ {formatYuan(l.unitPriceFen)}
              </span>
              <span className="cd-amount">
                {formatYuan(l.amountFen)}
                {l.discountFen > 0 && <small className="cd-saved">{t('customerDisplay.saved', { amount: formatYuan(l.discountFen) })}</small>}
              </span>
            </li>
          ))}
        </ol>
        <aside className="cd-side">
          {s.member && (
            <div className="cd-member" data-testid="cd-member">
              <strong>{s.member.name}</strong> <span>{s.member.level}</span>
              <div>{t('customerDisplay.points', { points: s.member.points })}</div>
            </div>
          )}
          {s.discountFen > 0 && (
            <div className="cd-row">
              <span>{t('customerDisplay.discount')}</span>
              <span>-{formatYuan(s.discountFen)}</span>
            </div>
          )}
          <div className="cd-due">
            <span className="cd-due-label">{paying ? t('customerDisplay.toPay') : t('customerDisplay.total')}</span>
            <span className="cd-due-amount" data-testid="cd-total">
              {formatYuan(paying ? paying.dueFen : s.totalFen)}
            </span>
          </div>
          {paying && (
            <div className="cd-qr" data-testid="cd-qr-slot">
              {paying.qr ? (
                <>
                  <Qr url={paying.qr.url} />
                  <span>{paying.qr.label}</span>
                </>
              ) : paying.codeWait ? (
                <span className="cd-code-wait" data-testid="cd-code-wait">
                  {t('payments.qr.enterPassword', { wallet: t(`payments.provider.${paying.codeWait.provider}`), amount: formatYuan(paying.codeWait.amountFen) })}
                </span>
              ) : (
                <span>{t('customerDisplay.payHint')}</span>
              )}
            </div>
          )}
        </aside>
      </div>
    </div>
  );
}
