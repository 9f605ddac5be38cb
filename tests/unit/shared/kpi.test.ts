// Every dashboard figure against an example worked out by hand (the working is in the comments).
import { describe, expect, it } from 'vitest';
import {
  addTotals,
  averageTicketFen,
  changePct,
  daysBetween,
  daysOfCover,
  EMPTY_TOTALS,
  hourlyTickets,
  isLowStock,
  itemsPerTicket,
  margin,
  median,
  netSalesFen,
  repurchase,
  ticketCount,
  ticketSalesFen,
  type TicketTotals,
} from '../../../shared/reports/kpi';

// A day: 5 sales of ¥12.30, ¥8.00, ¥25.50, ¥3.20, ¥51.00 (= ¥100.00) with 3, 1, 4, 1, 6 items (= 15);
// the ¥25.50 sale (4 items) was cancelled later; one other return refunded ¥3.20.
// Cancel = a return of ¥25.50, so returns: 2 tickets, ¥28.70.
const day: TicketTotals = {
  saleCount: 5,
  saleFen: 10_000,
  itemCount: 15,
  cancelCount: 1,
  cancelFen: 2_550,
  cancelItems: 4,
  returnCount: 2,
  returnFen: 2_870,
};

describe('ticket figures', () => {
  it('客单数 leaves out the cancelled sale: 5 − 1 = 4', () => {
    expect(ticketCount(day)).toBe(4);
  });
  it('销售额 on those tickets: ¥100.00 − ¥25.50 = ¥74.50', () => {
    expect(ticketSalesFen(day)).toBe(7_450);
  });
  it('净销售额 = all sales − all refunds: ¥100.00 − ¥28.70 = ¥71.30', () => {
    expect(netSalesFen(day)).toBe(7_130);
  });
  it('客单价 = ¥74.50 ÷ 4 = ¥18.625 → ¥18.63 (half up)', () => {
    expect(averageTicketFen(day)).toBe(1_863);
  });
  it('连带率 = (15 − 4) items ÷ 4 tickets = 2.75', () => {
    expect(itemsPerTicket(day)).toBe(2.75);
  });
  it('2 items over 3 tickets = 0.666… → 0.67', () => {
    expect(itemsPerTicket({ ...EMPTY_TOTALS, saleCount: 3, itemCount: 2 })).toBe(0.67);
  });
  it('no tickets: no 客单价 or 连带率 (not 0, not NaN)', () => {
    expect(averageTicketFen(EMPTY_TOTALS)).toBeNull();
    expect(itemsPerTicket(EMPTY_TOTALS)).toBeNull();
    // every sale cancelled: still none
    const allCancelled = { ...EMPTY_TOTALS, saleCount: 1, saleFen: 500, itemCount: 1, cancelCount: 1, cancelFen: 500, cancelItems: 1 };
    expect(averageTicketFen(allCancelled)).toBeNull();
  });
  it('adds two days field by field', () => {
    expect(addTotals(day, day)).toEqual({
      saleCount: 10, saleFen: 20_000, itemCount: 30, cancelCount: 2, cancelFen: 5_100, cancelItems: 8, returnCount: 4, returnFen: 5_740,
    });
  });
});

describe('today vs the same weekday last week', () => {
  it('¥74.50 against ¥60.00 is +24.2 % (14.5 ÷ 60 = 0.24166…)', () => {
    expect(changePct(7_450, 6_000)).toBe(24.2);
  });
  it('¥45.00 against ¥60.00 is −25 %', () => {
    expect(changePct(4_500, 6_000)).toBe(-25);
  });
  it('nothing last week: no percentage', () => {
    expect(changePct(100, 0)).toBeNull();
  });
});

describe('hourly traffic', () => {
  it('tickets per hour, cancelled ones out, missing hours 0', () => {
    const h = hourlyTickets([
      { hour: 8, saleCount: 3, cancelCount: 0 },
      { hour: 12, saleCount: 10, cancelCount: 1 },
      { hour: 23, saleCount: 1, cancelCount: 0 },
    ]);
    expect(h).toHaveLength(24);
    expect(h[8]).toBe(3);
    expect(h[12]).toBe(9);
    expect(h[23]).toBe(1);
    expect(h.reduce((a, b) => a + b, 0)).toBe(13);
  });
});

describe('复购 (repeat purchases)', () => {
  // Window 2026-01-01 … 2026-03-31 (89 days from first to last day).
  // A: 01-01, 01-01 (same day: one purchase day), 01-11, 02-10  → gaps 10, 30
  // B: 01-05, 03-01                                            → gap 55
  // C: 03-20 only (first purchase 11 days before the end: not eligible for the 30-day rate)
  // D: 02-20, 03-05                                            → gap 13; first day 39 days before the end: eligible
  // E: 12-20 (before the window, ignored), 01-15               → one day in the window, no gap
  // Gaps pooled: 10, 30, 55, 13 → sorted 10, 13, 30, 55 → median (13 + 30) / 2 = 21.5 days.
  // Eligible (first day ≤ 03-01): A (01-01), B (01-05), D (02-20), E (01-15) = 4; C is not.
  // Back within 30 days of that first day: A (01-11, 10 days), D (03-05, 13 days) → 2; B took 55
  // days, E never came back. 2 ÷ 4 = 50 %.
  const rows = [
    { memberId: 'A', day: '2026-01-01' },
    { memberId: 'A', day: '2026-01-01' },
    { memberId: 'A', day: '2026-01-11' },
    { memberId: 'A', day: '2026-02-10' },
    { memberId: 'B', day: '2026-01-05' },
    { memberId: 'B', day: '2026-03-01' },
    { memberId: 'C', day: '2026-03-20' },
    { memberId: 'D', day: '2026-02-20' },
    { memberId: 'D', day: '2026-03-05' },
    { memberId: 'E', day: '2025-12-20' },
    { memberId: 'E', day: '2026-01-15' },
  ];
  const r = repurchase(rows, { from: '2026-01-01', to: '2026-03-31' });
  it('复购周期 = median of the gaps 10, 13, 30, 55 = 21.5 days', () => {
    expect(r.gaps).toBe(4);
    expect(r.medianDays).toBe(21.5);
  });
  it('30 天回购率 = 2 of 4 eligible members = 50 %', () => {
    expect(r.eligible).toBe(4);
    expect(r.back).toBe(2);
    expect(r.backPct).toBe(50);
  });
  it('exactly 30 days later counts as back; 31 does not', () => {
    const w = { from: '2026-01-01', to: '2026-06-30' };
    expect(repurchase([{ memberId: 'X', day: '2026-01-01' }, { memberId: 'X', day: '2026-01-31' }], w).back).toBe(1);
    expect(repurchase([{ memberId: 'X', day: '2026-01-01' }, { memberId: 'X', day: '2026-02-01' }], w).back).toBe(0);
  });
  it('no members: no figures', () => {
    expect(repurchase([], { from: '2026-01-01', to: '2026-01-31' })).toEqual({ medianDays: null, gaps: 0, eligible: 0, back: 0, backPct: null });
  });
  it('day arithmetic across a month end and a leap day', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-01-31', '2026-02-01')).toBe(1);
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('low stock (days of cover)', () => {
  // 28 days sold 56 pieces (56,000 thousandths) = 2 a day; 10 left → 5 days: low (< 7).
  it('10 left, 2 a day → 5.0 days, low', () => {
    expect(daysOfCover(10_000, 56_000)).toBe(5);
    expect(isLowStock(10_000, 56_000)).toBe(true);
  });
  it('20 left, 2 a day → 10 days, not low', () => {
    expect(daysOfCover(20_000, 56_000)).toBe(10);
    expect(isLowStock(20_000, 56_000)).toBe(false);
  });
  it('3 left, 14 sold in 28 days (0.5 a day) → 6 days, low; 3.5 kg left of 10 kg → 9.8 days', () => {
    expect(daysOfCover(3_000, 14_000)).toBe(6);
    expect(daysOfCover(3_500, 10_000)).toBe(9.8);
  });
  it('sold out with recent sales: 0 days, low; nothing sold lately: no rate, never low', () => {
    expect(daysOfCover(0, 1_000)).toBe(0);
    expect(daysOfCover(-2_000, 1_000)).toBe(0);
    expect(isLowStock(0, 1_000)).toBe(true);
    expect(daysOfCover(5_000, 0)).toBeNull();
    expect(isLowStock(0, 0)).toBe(false);
  });
});

describe('margin', () => {
  // Net sales ¥200.00, of which ¥150.00 on lines with a known cost; their cost ¥105.00.
  // Gross profit 150 − 105 = ¥45.00; margin 45 ÷ 150 = 30 %; coverage 150 ÷ 200 = 75 %.
  it('毛利 ¥45.00, 毛利率 30 %, over 75 % of sales', () => {
    expect(margin({ netFen: 20_000, costedFen: 15_000, costFen: 10_500 })).toEqual({ profitFen: 4_500, marginPct: 30, coveragePct: 75 });
  });
  it('no known cost: no margin rate', () => {
    expect(margin({ netFen: 1_000, costedFen: 0, costFen: 0 })).toEqual({ profitFen: 0, marginPct: null, coveragePct: 0 });
  });
});
