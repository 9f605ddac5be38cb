// Business-day ranges for reports (shared/reports/days.ts) and the exact decimal text of money and
// quantities in csv exports (electron/till/reports/export.ts).
import { describe, expect, it } from 'vitest';
import { decimalText } from '../../../electron/till/reports/export';
import { addDays, eachDay, presetRange, splitMonths } from '../../../shared/reports/days';

describe('report ranges', () => {
  it('a year from the 1st: twelve whole months, no day rows', () => {
    expect(splitMonths('2025-12-01', '2026-11-30')).toEqual({
      months: ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'],
      days: [],
    });
  });
  it('ragged ends: the head and the tail as days, the months between whole (leap February)', () => {
    expect(splitMonths('2024-01-15', '2024-04-10')).toEqual({ months: ['2024-02', '2024-03'], days: [['2024-01-15', '2024-01-31'], ['2024-04-01', '2024-04-10']] });
  });
  it('inside one month: days only; one day; a month exactly', () => {
    expect(splitMonths('2026-03-05', '2026-03-20')).toEqual({ months: [], days: [['2026-03-05', '2026-03-20']] });
    expect(splitMonths('2026-03-05', '2026-03-05')).toEqual({ months: [], days: [['2026-03-05', '2026-03-05']] });
    expect(splitMonths('2026-02-01', '2026-02-28')).toEqual({ months: ['2026-02'], days: [] });
  });
  it('every day of a range, across a year end and a leap day', () => {
    expect(eachDay('2023-12-30', '2024-01-02')).toEqual(['2023-12-30', '2023-12-31', '2024-01-01', '2024-01-02']);
    expect(eachDay('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('presets from a Wednesday, 2026-12-02: weeks start on Monday', () => {
    const today = '2026-12-02';
    expect(presetRange('today', today)).toEqual({ from: today, to: today });
    expect(presetRange('yesterday', today)).toEqual({ from: '2026-12-01', to: '2026-12-01' });
    expect(presetRange('last7', today)).toEqual({ from: '2026-11-26', to: today });
    expect(presetRange('thisWeek', today)).toEqual({ from: '2026-11-30', to: today });
    expect(presetRange('thisMonth', today)).toEqual({ from: '2026-12-01', to: today });
    expect(presetRange('lastMonth', today)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(presetRange('thisYear', today)).toEqual({ from: '2026-01-01', to: today });
    expect(presetRange('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('thisWeek', '2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-11-30' }); // a Monday
  });
});

describe('csv numbers are exact decimal text from integers', () => {
  it('fen to yuan with two decimals', () => {
    expect(decimalText(1230, 2, false)).toBe('12.30');
    expect(decimalText(5, 2, false)).toBe('0.05');
    expect(decimalText(-5, 2, false)).toBe('-0.05');
    expect(decimalText(100_000_000_07, 2, false)).toBe('100000000.07');
  });
  it('thousandths to units without trailing zeros', () => {
    expect(decimalText(1000, 3, true)).toBe('1');
    expect(decimalText(1234, 3, true)).toBe('1.234');
    expect(decimalText(2500, 3, true)).toBe('2.5');
    expect(decimalText(-1000, 3, true)).toBe('-1');
  });
});
