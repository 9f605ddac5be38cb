// The Z report's online part (日结报表 · 网店与核销): the day's order balances taken at the counter (尾款,
// per payment method, from their audit records: electron/sync/order-balance.ts), group-buy voucher
// redemptions per platform (the redemption log's own filter, electron/vouchers/redemptions.ts, so the
// Z equals the log for the day) and self-pickups handed over (online_handovers). A redemption or a
// hand-over belongs to the business day its moment falls in ([day at the cutoff hour, +24 h), as the log filters).
import type { DayReport } from '../../shared/api/day';
import { balancesOfDay } from '../sync/order-balance';
import { allForExport, logTotals } from '../vouchers/redemptions';
import { tenderLabel } from './tenders';
import type { Till } from './till';

const VOUCHER_LABEL: Record<string, string> = { douyin: '抖音团购', meituan: '美团/点评', kuaishou: '快手团购' };
const PICKUP_LABEL: Record<string, string> = { youzan: '有赞', doudian: '抖店', weidian: '微店' };

function dayStart(day: string, cutoffHour: number): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, cutoffHour).getTime();
}

export function onlineOfDay(till: Till, day: string): Pick<DayReport, 'onlineBalances' | 'vouchers' | 'pickups'> {
  const onlineBalances = balancesOfDay(till, day).map((b) => ({ method: b.method, label: tenderLabel(b.method), count: b.count, amountFen: b.amountFen }));

  const redeemed = logTotals(till, { from: day, to: day });
  const undone = allForExport(till, { from: day, to: day, result: 'undone' });
  const platforms = [...new Set([...redeemed.map((r) => r.platform as string), ...undone.map((r) => r.platform)])].sort();
  const vouchers = platforms.map((p) => {
    const r = redeemed.find((x) => x.platform === p);
    const u = undone.filter((x) => x.platform === p);
    return {
      platform: p,
      label: VOUCHER_LABEL[p] ?? p,
      count: r?.redemptions ?? 0,
      uses: r?.uses ?? 0,
      valueFen: r?.valueFen ?? 0,
      undoneCount: u.length,
      undoneFen: u.reduce((s, x) => s + x.valueFen, 0),
    };
  });

  const from = dayStart(day, Number(till.settings.get('day.cutoffHour') ?? 4));
  const rows = till
    .stmt(
      `SELECT o.platform, h.order_id AS orderId, h.moved FROM online_handovers h JOIN online_orders o ON o.id = h.order_id
       WHERE h.created_at >= ? AND h.created_at < ? ORDER BY h.created_at`,
    )
    .all(from, from + 86_400_000) as { platform: string; orderId: string; moved: string }[];
  const byPlatform = new Map<string, { orders: Set<string>; pieces: number; handovers: number }>();
  for (const r of rows) {
    const g = byPlatform.get(r.platform) ?? { orders: new Set<string>(), pieces: 0, handovers: 0 };
    g.orders.add(r.orderId);
    g.handovers++;
    g.pieces += (JSON.parse(r.moved) as { qty: number }[]).reduce((s, m) => s + m.qty, 0);
    byPlatform.set(r.platform, g);
  }
  const pickups = [...byPlatform.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([platform, g]) => ({ platform, label: PICKUP_LABEL[platform] ?? platform, orders: g.orders.size, handovers: g.handovers, pieces: g.pieces }));
  return { onlineBalances, vouchers, pickups };
}
