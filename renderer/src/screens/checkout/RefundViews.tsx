// What both return screens show of a refund: its split over the tenders, the card-terminal reference
// step, and the result.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../../shared/money';
import { Money } from '../../components/Money';
import type { Done, PlanPart, RefundFlow } from './useRefundFlow';

/** The refund parts as words: 银行卡 ¥2.70（在刷卡终端退） · 现金 ¥1.00（钱箱）. */
export function PartsText({ parts }: { parts: readonly Pick<PlanPart, 'method' | 'amountFen'>[] }) {
  const { t } = useTranslation();
  return (
    <>
      {parts.map((p, i) => (
        <span key={i} data-testid="refund-part" className={p.method === 'card_terminal' ? 'strong' : ''}>
          {i > 0 && ' · '}
          {p.method === 'card_terminal'
            ? t('returns.partCard', { amount: formatYuan(p.amountFen) })
            : p.method === 'cash'
              ? t('returns.partCash', { amount: formatYuan(p.amountFen) })
              : `${t(`pay.methods.${p.method}`, { defaultValue: p.method })} ${formatYuan(p.amountFen)}`}
        </span>
      ))}
    </>
  );
}

export function RefundDone({ done }: { done: Done }) {
  const { t } = useTranslation();
  return (
    <div className="refund-done" data-testid="refund-done">
      <h3>
        {t('returns.refunded')} <Money fen={Math.abs(done.result.totalFen)} refund testId="refund-total" />
      </h3>
      <p>
        {t('returns.refundReceipt')}{t('common.colon')}<strong data-testid="refund-receipt">{done.result.receiptNo}</strong>
      </p>
      <ul className="refund-tenders">
        {(done.refund?.payments ?? []).map((p, i) => (
          <li key={i} data-testid="refund-tender">
            {t(`pay.methods.${p.method}`, { defaultValue: p.method })}: <Money fen={Math.abs(p.amountFen)} refund />
            {p.method === 'cash'
              ? ` · ${t('returns.cashFromDrawer')}`
              : p.method === 'card_terminal'
                ? ` · ${p.reference ? t('returns.cardRefunded', { ref: p.reference }) : t('returns.cardOnTerminal')}`
                : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The card part runs on the terminal first; the cashier types its refund reference here. */
export function ReferenceStepForm({ flow }: { flow: RefundFlow }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const step = flow.refStep;
  useEffect(() => input.current?.focus(), [step]);
  if (!step) return null;
  return (
    <form
      className="warn-note ref-step"
      style={{ display: 'flex', flexDirection: 'column', gap: 8, padding: '12px 16px', color: 'var(--ink)' }}
      onSubmit={(e) => {
        e.preventDefault();
        if (!flow.confirmReference()) input.current?.focus();
      }}
      data-testid="refund-reference-step"
    >
      <strong style={{ fontSize: 20 }}>{t('returns.refStepTitle')}</strong>
      <span style={{ fontSize: 18 }}>
        {t('returns.refStepAmount')}{t('common.colon')}<Money fen={step.amountFen} refund testId="refund-reference-amount" />
      </span>
      {step.originalReferences.map((r) => (
        <span key={r}>{t('returns.refStepOriginal', { ref: r })}</span>
      ))}
      <span>{t('returns.refStepText')}</span>
      {step.others.length > 0 && (
        <span data-testid="refund-reference-rest">
          {t('returns.refStepRest')}{t('common.colon')}<PartsText parts={step.others} />
        </span>
      )}
      <div className="field-row">
        <label className="field grow">
          <span>{t('returns.refInput')}</span>
          <input
            ref={input}
            value={flow.reference}
            maxLength={40}
            onChange={(e) => flow.setReference(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-testid="refund-reference"
          />
        </label>
        <button type="button" className="btn" onClick={flow.leaveReference} data-testid="refund-reference-back">
          {t('returns.refBack')}
        </button>
        <button type="submit" className="btn primary big" disabled={flow.busy} data-testid="refund-reference-confirm">
          {t('returns.refConfirm')}
        </button>
      </div>
    </form>
  );
}
