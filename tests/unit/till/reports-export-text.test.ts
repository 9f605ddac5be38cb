// The xlsx data rows print their numbers from the integers (export.ts numberTexts), not through a
// double's text: the same values as the division would give, times that read back to the millisecond.
import { describe, expect, it } from 'vitest';
import { numberTexts } from '../../../electron/till/reports/export';
import type { ColumnDef } from '../../../shared/reports/defs';

const col = (type: ColumnDef['type']): ColumnDef => ({ key: type, zh: type, en: type, type });
const [fen, qty, time, day, text] = numberTexts([col('fen'), col('qty'), col('time'), col('day'), col('text')]);

describe('xlsx number texts', () => {
  it('money, quantities and days as hand-worked', () => {
    expect([fen(1230), fen(-5), fen(0), fen(100), fen(-123456)]).toEqual(['12.30', '-0.05', '0', '1', '-1234.56']);
    expect([qty(1500), qty(-250), qty(3000), qty(1)]).toEqual(['1.500', '-0.250', '3', '0.001']);
    expect(day('2026-01-02')).toBe('46024'); // Excel's serial of 2026-01-02
    expect([fen(null), fen('x'), day('yesterday'), text('abc'), time(null)]).toEqual([null, null, null, null, null]);
  });

  it('equal the division for many values; a time reads back to its millisecond in this zone', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const f = Math.floor((rnd() - 0.3) * 1e7);
      expect(Number(fen(f))).toBe(f / 100);
      const q = Math.floor((rnd() - 0.3) * 1e6);
      expect(Number(qty(q))).toBe(q / 1000);
      const ms = 1.6e12 + Math.floor(rnd() * 3e11);
      const serial = Number(time(ms));
      expect(Math.round((serial - 25_569) * 86_400_000) + new Date(ms).getTimezoneOffset() * 60_000).toBe(ms);
    }
  });
});
