// The redemption dialog, opened from any screen without leaving it (收银's scan field, 核销/自提): a code
// that fits several shapes asks which it is (美团团购券 / 网店自提码 …); a voucher is prepared with its
// platform (what it is, its value, uses left), the cashier chooses the uses and redeems; the value then
// pays the current cart as its `voucher` tender line at 结算. A pickup code opens the order's hand-over.
// The redeem's requestId is made once per confirmation: a retry never redeems twice.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PickupLookupView, RedemptionView, VoucherPreview } from '../../../../shared/api';
import type { CodeCandidate } from '../../../../shared/scan-kind';
import { formatYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { beepError, beepOk } from '../../feedback';
import { PickupOrder } from './PickupOrder';
import { useRedeem } from './redeem-store';
import './pickup.css';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Mounted once by a screen; shows the dialog while one is open. */
export function RedeemHost({ onRedeemed }: { onRedeemed?(r: RedemptionView): void }) {
  const open = useRedeem((s) => s.open);
  const close = useRedeem((s) => s.close);
  if (!open) return null;
  return <RedeemDialog key={open.code} code={open.code} candidates={open.candidates} onClose={close} onRedeemed={onRedeemed} />;
}

export function RedeemDialog({ code, candidates, onClose, onRedeemed }: { code: string; candidates: CodeCandidate[]; onClose(): void; onRedeemed?(r: RedemptionView): void }) {
  const { t } = useTranslation();
  const [as, setAs] = useState<CodeCandidate | null>(candidates.length === 1 ? candidates[0] : null);
  return (
    <Dialog title={t('pickup.redeem.title')} testId="redeem-dialog" onClose={onClose} onScan={() => false} wide>
      {!as ? (
        <div className="redeem-which" data-testid="redeem-which">
          <p>
            {t('pickup.redeem.which')} <code>{code}</code>
          </p>
          <div className="redeem-choices">
            {candidates.map((c) => (
              <button key={c} type="button" className="btn big" onClick={() => setAs(c)} data-testid={`redeem-as-${c}`}>
                {t(`pickup.redeem.as.${c}`)}
              </button>
            ))}
          </div>
        </div>
      ) : as === 'pickup' ? (
        <PickupByCode code={code} />
      ) : (
        <VoucherRedeem code={code} platform={candidates.length > 1 ? as : undefined} onClose={onClose} onRedeemed={onRedeemed} />
      )}
    </Dialog>
  );
}

function PickupByCode({ code }: { code: string }) {
  const { t } = useTranslation();
  const [found, setFound] = useState<PickupLookupView | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call('pickup.lookup', { code })
      .then(setFound)
      .catch((e) => {
        beepError();
        setError(errorText(e));
      });
  }, [code]);
  if (error)
    return (
      <div className="pickup-error" role="alert" data-testid="redeem-error">
        ⚠ {error}
      </div>
    );
  if (!found) return <p className="muted">{t('pickup.redeem.checking')}</p>;
  return <PickupOrder order={found.order} code={found.code} />;
}

function VoucherRedeem({ code, platform, onClose, onRedeemed }: { code: string; platform?: 'douyin' | 'meituan'; onClose(): void; onRedeemed?(r: RedemptionView): void }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<VoucherPreview | null>(null);
  const [uses, setUses] = useState(1);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RedemptionView | null>(null);
  const requestId = useRef<string>(crypto.randomUUID());

  useEffect(() => {
    call('vouchers.prepare', platform ? { code, platform } : { code })
      .then((p) => {
        setPreview(p);
        setUses(1);
      })
      .catch((e) => {
        beepError();
        setError(errorText(e));
      });
  }, [code, platform]);

  const redeem = async () => {
    if (!preview) return;
    setBusy(true);
    setError('');
    try {
      let r = await call('vouchers.redeem', { requestId: requestId.current, prepareId: preview.prepareId, uses });
      // Not final: the till retries with the same token; its state is read until it settles (never guessed).
      for (let i = 0; !r.final && i < 60; i++) {
        await sleep(1000);
        r = await call('vouchers.get', { id: r.id });
      }
      if (r.state === 'REDEEMED') {
        beepOk();
        setDone(r);
        onRedeemed?.(r);
      } else {
        beepError();
        setError(r.detail ? `${r.words}：${r.detail}` : r.words);
      }
    } catch (e) {
      beepError();
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <div className="redeem-done" data-testid="redeem-done" data-redemption-id={done.id}>
        <p className="redeem-ok">✓ {t('pickup.redeem.done', { amount: formatYuan(done.valueFen) })}</p>
        <p className="muted">{t('pickup.redeem.addItems')}</p>
        <button type="button" className="btn primary big" onClick={onClose} data-testid="redeem-close">
          {t('pickup.redeem.close')}
        </button>
      </div>
    );
  return (
    <div className="redeem-voucher">
      {!preview && !error && <p className="muted">{t('pickup.redeem.checking')}</p>}
      {preview && (
        <dl className="redeem-facts" data-testid="redeem-preview" data-platform={preview.platform}>
          <dt>{preview.platformLabel}</dt>
          <dd className="muted">{preview.codeMask}</dd>
          <dt>{t('pickup.redeem.product')}</dt>
          <dd data-testid="redeem-title">{preview.title}</dd>
          <dt>{t('pickup.redeem.value')}</dt>
          <dd className="num">{formatYuan(preview.unitValueFen)}</dd>
          <dt>{t('pickup.redeem.left')}</dt>
          <dd className="num" data-testid="redeem-left">
            {preview.usesLeft}
          </dd>
          {preview.expiresAt && (
            <>
              <dt>{t('pickup.redeem.expires')}</dt>
              <dd>{new Date(preview.expiresAt).toLocaleString()}</dd>
            </>
          )}
        </dl>
      )}
      {preview && preview.usesLeft > 1 && (
        <div className="redeem-uses">
          <span>{t('pickup.redeem.uses')}</span>
          <button type="button" className="btn" disabled={uses <= 1 || busy} onClick={() => setUses(uses - 1)} data-testid="redeem-less">
            −
          </button>
          <span className="num redeem-uses-n" data-testid="redeem-uses">
            {uses}
          </span>
          <button type="button" className="btn" disabled={uses >= preview.usesLeft || busy} onClick={() => setUses(uses + 1)} data-testid="redeem-more">
            +
          </button>
        </div>
      )}
      {error && (
        <div className="pickup-error" role="alert" data-testid="redeem-error">
          ⚠ {error}
        </div>
      )}
      {preview && (
        <button type="button" className="btn primary big" disabled={busy} onClick={() => void redeem()} data-testid="redeem-go">
          {busy ? t('pickup.redeem.working') : t('pickup.redeem.go', { n: uses, amount: formatYuan(preview.unitValueFen * uses) })}
        </button>
      )}
    </div>
  );
}
