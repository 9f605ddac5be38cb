// The Z report's online part on screen (the printed 日结报表 has the same): order balances taken at the
// counter by tender (网店尾款), group-buy redemptions per platform (still redeemed and undone) and
// self-pickups handed over. Nothing for a report kept before these were counted.
import { useTranslation } from 'react-i18next';
import type { DayReport } from '../../../../shared/api/day';
import { formatYuan } from '../../../../shared/money';

export function DayOnline({ report: z }: { report: DayReport }) {
  const { t } = useTranslation();
  if (!z.onlineBalances && !z.vouchers && !z.pickups) return null;
  const name = (p: string, fallback: string) => t(`dayOnline.platforms.${p}`, { defaultValue: fallback });
  return (
    <table className="queue-table" data-testid="z-online">
      <caption>{t('dayOnline.title')}</caption>
      <tbody>
        {(z.onlineBalances ?? []).map((b) => (
          <tr key={`b-${b.method}`} data-testid="z-balance">
            <td>{t('dayOnline.balance', { tender: t(`pay.methods.${b.method}`, { defaultValue: b.label }), count: b.count })}</td>
            <td className="num">{formatYuan(b.amountFen)}</td>
          </tr>
        ))}
        {(z.vouchers ?? []).map((v) => (
          <tr key={`v-${v.platform}`} data-testid="z-voucher">
            <td>
              {t('dayOnline.voucher', { platform: name(v.platform, v.label), count: v.count, uses: v.uses })}
              {v.undoneCount > 0 && <small> · {t('dayOnline.undone', { count: v.undoneCount, amount: formatYuan(v.undoneFen) })}</small>}
            </td>
            <td className="num">{formatYuan(v.valueFen)}</td>
          </tr>
        ))}
        {z.vouchers?.length === 0 && (
          <tr>
            <td colSpan={2}>{t('dayOnline.noVouchers')}</td>
          </tr>
        )}
        {(z.pickups ?? []).map((p) => (
          <tr key={`p-${p.platform}`} data-testid="z-pickup">
            <td>{t('dayOnline.pickup', { platform: name(p.platform, p.label), orders: p.orders, handovers: p.handovers })}</td>
            <td className="num">{t('dayOnline.pieces', { count: p.pieces })}</td>
          </tr>
        ))}
        {z.pickups?.length === 0 && (
          <tr>
            <td colSpan={2}>{t('dayOnline.noPickups')}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
