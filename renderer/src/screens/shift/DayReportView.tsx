// A Z report on screen: the same figures as the printed 日结报表, large where a manager checks them
// (net takings, per tender), every negative amount marked with a word as well as a sign.
import { useTranslation } from 'react-i18next';
import type { DayReport } from '../../../../shared/api/day';
import { formatYuan } from '../../../../shared/money';
import { Money } from '../../components/Money';
import { DayOnline } from './DayOnline';
import { diffWord, FigCard, TenderTable } from './ReportFigures';

export function DayReportView({ report: z }: { report: DayReport }) {
  const { t } = useTranslation();
  const override = z.discounts.find((d) => d.kind === 'price_override')?.amountFen ?? 0;
  const diff = z.shifts.differenceFen;
  return (
    <div className="day-report" data-testid="day-report">
      <div className="fig-cards">
        <FigCard label={t('dayClose.due')} testId="z-sales" note={t('dayClose.salesLine', { count: z.sales.count, items: z.sales.itemCount })}>
          {formatYuan(z.sales.totalFen)}
        </FigCard>
        <FigCard label={t('dayClose.returns', { count: z.returns.count })} note={t('dayClose.cancels', { count: z.cancels.count })}>
          <Money fen={z.returns.totalFen} />
        </FigCard>
        <FigCard label={t('dayClose.voids', { count: z.voids.count })} note={t('dayClose.noSale', { count: z.noSaleCount })}>
          {formatYuan(z.voids.totalFen)}
        </FigCard>
        <FigCard label={t('dayClose.net')} testId="z-net" main>
          {formatYuan(z.netFen)}
        </FigCard>
      </div>
      <div className="fig-tables">
        <table className="queue-table">
          <caption>{t('dayClose.due')}</caption>
          <tbody>
            <tr>
              <td>{t('dayClose.original')}</td>
              <td className="num">{formatYuan(z.sales.grossFen + override)}</td>
            </tr>
            {z.discounts
              .filter((d) => d.amountFen !== 0)
              .map((d) => (
                <tr key={d.kind}>
                  <td>{t(`dayClose.kinds.${d.kind}`)}</td>
                  <td className="num">
                    <Money fen={-d.amountFen} />
                  </td>
                </tr>
              ))}
            {z.sales.roundingFen !== 0 && (
              <tr>
                <td>{t('dayClose.rounding')}</td>
                <td className="num">
                  <Money fen={z.sales.roundingFen} />
                </td>
              </tr>
            )}
            <tr>
              <td>
                <strong>{t('dayClose.due')}</strong>
              </td>
              <td className="num">
                <strong>{formatYuan(z.sales.totalFen)}</strong>
              </td>
            </tr>
            {z.sales.count > 0 && (
              <tr>
                <td>{t('dayClose.avgTicket')}</td>
                <td className="num">{formatYuan(Math.round(z.sales.totalFen / z.sales.count))}</td>
              </tr>
            )}
          </tbody>
        </table>
        <TenderTable tenders={z.tenders} testId="z-tenders" />
        <DayOnline report={z} />
        <table className="queue-table">
          <caption>{t('dayClose.byCategory')}</caption>
          <thead>
            <tr>
              <th />
              <th className="num">{t('dayClose.lines')}</th>
              <th className="num">{t('shiftScreen.net')}</th>
            </tr>
          </thead>
          <tbody>
            {z.categories.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td className="num">{c.lines}</td>
                <td className="num">
                  <Money fen={c.amountFen} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="queue-table">
          <caption>{t('dayClose.byCashier')}</caption>
          <tbody>
            {z.cashiers.map((c) => (
              <tr key={c.userId}>
                <td>{c.name}</td>
                <td className="num">
                  {t('shiftScreen.count', { count: c.saleCount })} {formatYuan(c.salesFen)}
                </td>
                <td className="num">
                  {c.returnCount > 0 && (
                    <>
                      {t('dayClose.returns', { count: c.returnCount })} <Money fen={c.returnsFen} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="queue-table">
          <caption>{t('dayClose.shiftsCash', { count: z.shifts.count })}</caption>
          <tbody>
            <tr>
              <td>{t('shiftScreen.cashIn')}</td>
              <td className="num">{formatYuan(z.cash.inFen)}</td>
            </tr>
            <tr>
              <td>{t('shiftScreen.cashOut')}</td>
              <td className="num">
                <Money fen={z.cash.outFen} />
              </td>
            </tr>
            <tr>
              <td>{t('cashCount.expected')}</td>
              <td className="num">{formatYuan(z.shifts.expectedFen)}</td>
            </tr>
            <tr>
              <td>{t('cashCount.counted')}</td>
              <td className="num">{formatYuan(z.shifts.countedFen)}</td>
            </tr>
            <tr>
              <td>
                <strong>{t('dayClose.cashDiff')}</strong>
              </td>
              <td className="num">
                <strong>
                  {diff > 0 ? '+' : ''}
                  {formatYuan(diff)} {diffWord(t, diff)}
                </strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
