// The business day (营业日): the calendar's at the cutoff hour, and after a day's close (日结) the day
// after the last closed one — the rule Till.businessDay and the Z report's placing of audit rows share.
import { describe, expect, it } from 'vitest';
import { businessDay, nextDay, openDay } from '../../../electron/till/business-day';

describe('business day', () => {
  it('rolls over at the cutoff hour, local time', () => {
    expect(businessDay(new Date(2026, 10, 30, 3, 59).getTime())).toBe('2026-11-29');
    expect(businessDay(new Date(2026, 10, 30, 4, 0).getTime())).toBe('2026-11-30');
    expect(businessDay(new Date(2026, 10, 30, 0, 30).getTime(), 0)).toBe('2026-11-30');
  });

  it('nextDay crosses months, years and 29 February', () => {
    expect(nextDay('2026-11-30')).toBe('2026-12-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2027-02-28')).toBe('2027-03-01');
  });

  it('after a close, sales go to the day after the last closed one; a later calendar day is itself', () => {
    expect(openDay('2026-11-30', null)).toBe('2026-11-30');
    expect(openDay('2026-11-30', '2026-11-29')).toBe('2026-11-30');
    expect(openDay('2026-11-30', '2026-11-30')).toBe('2026-12-01'); // closed early tonight
    expect(openDay('2026-11-30', '2026-12-01')).toBe('2026-12-02'); // never on a closed day
  });
});
