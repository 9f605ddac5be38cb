// Every amount as ¥12.30 (formatYuan). A negative amount carries a minus sign; a refund carries the
// word 退 instead (退 ¥6.00, never the double negative 退 -¥6.00); never colour alone.
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../shared/money';

export function Money({ fen, refund, className = '', testId }: { fen: number; refund?: boolean; className?: string; testId?: string }) {
  const { t } = useTranslation();
  const negative = fen < 0 || refund;
  return (
    <span className={`money ${negative ? 'money-neg' : ''} ${className}`} data-testid={testId}>
      {refund && <span className="refund-word">{t('common.refundWord')} </span>}
      {formatYuan(refund ? Math.abs(fen) : fen)}
    </span>
  );
}
