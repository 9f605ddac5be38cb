// The pieces the X report (交班, ShiftTab) and the Z report (日结, DayReportView) draw alike on
// screen: a figure card and the table by tender. One place, so both reports read the same way.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TenderTotal } from '../../../../shared/api/shift';
import { formatYuan } from '../../../../shared/money';
import { Money } from '../../components/Money';

/** A large figure with its label above and a note under it; `main` is the one the eye goes to first. */
export function FigCard(props: { label: ReactNode; note?: ReactNode; main?: boolean; testId?: string; children: ReactNode }) {
  const { label, note, main, testId, children } = props;
  return (
    <div className={main ? 'fig-card fig-main' : 'fig-card'}>
      <span>{label}</span>
      <strong data-testid={testId}>{children}</strong>
      {note !== undefined && <small>{note}</small>}
    </div>
  );
}

/** Received, refunded and net per tender (现金, 银行卡, 微信 …), with how many payments each. */
export function TenderTable({ tenders, testId }: { tenders: TenderTotal[]; testId?: string }) {
  const { t } = useTranslation();
  return (
    <table className="queue-table" data-testid={testId}>
      <caption>{t('shiftScreen.tenders')}</caption>
      <thead>
        <tr>
          <th>{t('shiftScreen.tender')}</th>
          <th className="num">{t('shiftScreen.received')}</th>
          <th className="num">{t('shiftScreen.refunded')}</th>
          <th className="num">{t('shiftScreen.net')}</th>
        </tr>
      </thead>
      <tbody>
        {tenders.map((x) => (
          <tr key={x.method}>
            <td>
              {x.label} <span className="muted">{t('shiftScreen.count', { count: x.count })}</span>
            </td>
            <td className="num">{formatYuan(x.receivedFen)}</td>
            <td className="num">
              <Money fen={x.refundedFen} />
            </td>
            <td className="num">
              <strong>{formatYuan(x.netFen)}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 长款 / 短款 / 无差异: a cash difference in a word, never by colour alone. */
export function diffWord(t: (key: string) => string, fen: number): string {
  return fen > 0 ? t('cashCount.over') : fen < 0 ? t('cashCount.short') : t('cashCount.even');
}

/** Expected, counted and the difference (with its word), as the counter shows them and as the close repeats them. */
export function CountTotals(props: { expectedFen: number; countedFen: number; testIds?: { expected?: string; counted?: string; diff?: string } }) {
  const { expectedFen, countedFen, testIds = {} } = props;
  const { t } = useTranslation();
  const diff = countedFen - expectedFen;
  return (
    <>
      <div className="ct-row">
        <span>{t('cashCount.expected')}</span>
        <strong data-testid={testIds.expected}>{formatYuan(expectedFen)}</strong>
      </div>
      <div className="ct-row">
        <span>{t('cashCount.counted')}</span>
        <strong data-testid={testIds.counted}>{formatYuan(countedFen)}</strong>
      </div>
      <div className={`ct-diff ${diff < 0 ? 'short' : diff > 0 ? 'over' : ''}`} data-testid={testIds.diff}>
        <span>
          {t('cashCount.difference')}（{diffWord(t, diff)}）
        </span>
        <strong>
          {diff > 0 ? '+' : ''}
          {formatYuan(diff)}
        </strong>
      </div>
    </>
  );
}
