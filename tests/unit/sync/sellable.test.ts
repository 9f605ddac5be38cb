// The sellable figure's formula (electron/sync/sellable.ts), by hand-worked values.
import { describe, expect, it } from 'vitest';
import { counterSellable, platformFigure, reservedWarning } from '../../../electron/sync/sellable';

describe('what may be sold', () => {
  it('a platform may sell on hand − reserved − safety, never below 0, times its share (rounded down)', () => {
    expect(platformFigure(10_000, 0, 0, 100)).toBe(10);
    expect(platformFigure(10_000, 3_000, 0, 100)).toBe(7); // an online order holds 3
    expect(platformFigure(10_000, 3_000, 2, 100)).toBe(5); // and 2 kept back
    expect(platformFigure(10_000, 3_000, 9, 100)).toBe(0); // never below 0
    expect(platformFigure(10_000, 3_000, 2, 50)).toBe(2); // half of 5, rounded down
    expect(platformFigure(2_500, 0, 0, 100)).toBe(2); // whole pieces only
    expect(platformFigure(5_000, 500, 0, 100)).toBe(4); // a part-held piece is not offered
    expect(platformFigure(-4_000, 0, 0, 100)).toBe(0); // counted below 0
  });

  it('the counter may sell on hand − reserved, and is warned (not stopped) past it', () => {
    expect(counterSellable(2_000, 1_000)).toBe(1_000);
    expect(counterSellable(1_000, 3_000)).toBe(-2_000);
    expect(reservedWarning(2_000, 1_000, 1_000, '瓶')).toBeNull();
    expect(reservedWarning(2_000, 1_000, 2_000, '瓶')).toBe('线上订单已占用 1瓶，门店可售 1瓶：请确认不是为线上订单留的货');
    expect(reservedWarning(1_000, 3_000, 1_000, '件')).toBe('线上订单已占用 3件，门店可售 0件：请确认不是为线上订单留的货');
    expect(reservedWarning(0, 0, 5_000, '件')).toBeNull(); // nothing held: not this warning's business
  });
});
