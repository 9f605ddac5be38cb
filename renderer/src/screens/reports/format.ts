// How report values read on screen: money as ¥12.30, quantities in units (1.234), percentages with
// one decimal, '—' for no value. Words the main side writes into rows (合计, 未分类, tender and channel
// names) are shown in the user's language. Dates: presets of business days for the range pickers.
import type { TFunction } from 'i18next';
import type { ColumnDef, ReportRow, ReportValue } from '../../../../shared/reports/defs';
import { formatYuan } from '../../../../shared/money';
import { ApiCallError } from '../../api/client';

/** ¥12.30, with thousands grouped for large sums: ¥104,533.22 (the digits are formatYuan's). */
export function formatMoney(fen: number): string {
  return formatYuan(fen).replace(/\d+(?=\.)/, (int) => int.replace(/\B(?=(\d{3})+$)/g, ','));
}

export function formatQty(thousandths: number): string {
  return String(Math.round(thousandths) / 1000);
}

export function formatValue(type: ColumnDef['type'], v: ReportValue, lang: string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  switch (type) {
    case 'fen':
      return formatMoney(v);
    case 'qty':
      return formatQty(v);
    case 'pct':
      return `${v.toFixed(1)}%`;
    case 'ratio':
      return v.toFixed(2);
    case 'time':
      return new Date(v).toLocaleString(lang, { hourCycle: 'h23' });
    default:
      return v.toLocaleString(lang);
  }
}

/** A cell's text: known words of the main side translated, tender and channel by their codes. */
export function cellText(col: ColumnDef, row: ReportRow, t: TFunction, lang: string): string {
  const v = row[col.key];
  if (col.key === 'tender' && typeof row.method === 'string') return t(`reports.tender.${row.method}`, { defaultValue: String(v) });
  if (col.key === 'channel' && typeof row.channelCode === 'string') return t(`reports.channel.${row.channelCode}`);
  if (v === '合计') return t('reports.total');
  if (v === '未分类') return t('reports.uncategorized');
  return formatValue(col.type, v, lang);
}

export const isNumeric = (c: ColumnDef) => c.type !== 'text' && c.type !== 'day' && c.type !== 'time';

/** A refusal in the user's language where the code is known, else the main side's own sentence. */
export function errorText(e: unknown, t: TFunction): string {
  const code = e instanceof ApiCallError ? e.code : null;
  if (code && t(`reports.errors.${code}`, { defaultValue: '' })) return t(`reports.errors.${code}`);
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// Business-day ranges

const DAY = 86_400_000;
const parse = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const format = (t: number) => new Date(t).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => format(parse(d) + n * DAY);

export const PRESETS = ['today', 'yesterday', 'last7', 'thisWeek', 'thisMonth', 'lastMonth', 'thisYear'] as const;
export type Preset = (typeof PRESETS)[number];

/** A preset's days, given the till's business day today (weeks start on Monday, as in China). */
export function presetRange(p: Preset, today: string): { from: string; to: string } {
  const dow = (new Date(parse(today)).getUTCDay() + 6) % 7; // Monday 0
  const month = today.slice(0, 7);
  switch (p) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'thisWeek':
      return { from: addDays(today, -dow), to: today };
    case 'thisMonth':
      return { from: `${month}-01`, to: today };
    case 'lastMonth': {
      const lastOfPrev = addDays(`${month}-01`, -1);
      return { from: `${lastOfPrev.slice(0, 7)}-01`, to: lastOfPrev };
    }
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}
