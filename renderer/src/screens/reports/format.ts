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

export { addDays, PRESETS, presetRange, type Preset } from '../../../../shared/reports/days';
