// The reports the till offers: their names and columns in both languages. The main side builds the
// rows (electron/till/reports/queries.ts) and writes spreadsheets with the Chinese headers; the
// renderer shows the same columns in the user's language. One list, so a report on screen and its
// export always have the same columns.

export const REPORT_KINDS = [
  'byDay',
  'byHour',
  'byCategory',
  'byCategoryDay',
  'byItem',
  'byCashier',
  'byTender',
  'byChannel',
  'bestSellers',
  'worstSellers',
  'margin',
  'stockValue',
  'slowMovers',
  'refunds',
  'members',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** What can be exported: every report, and the raw sales lines. */
export type ExportKind = ReportKind | 'lines';

/**
 * How a value is stored and shown: fen → ¥ with 2 decimals (yuan numbers in a spreadsheet); qty →
 * thousandths of the sell unit, shown with up to 3 decimals; pct → a percentage to one decimal
 * (12.5 = 12.5 %); ratio → a plain number to 2 decimals; day → 'YYYY-MM-DD'; time → epoch ms.
 */
export type ColumnType = 'text' | 'day' | 'time' | 'fen' | 'qty' | 'int' | 'pct' | 'ratio';
export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  type: ColumnType;
}
export type ReportValue = string | number | null;
export type ReportRow = Record<string, ReportValue>;

const c = (key: string, zh: string, en: string, type: ColumnType): ColumnDef => ({ key, zh, en, type });

// Columns used by several reports.
const col = {
  day: c('day', '营业日', 'Business day', 'day'),
  saleCount: c('saleCount', '销售笔数', 'Sales', 'int'),
  saleFen: c('saleFen', '销售额', 'Sales amount', 'fen'),
  returnCount: c('returnCount', '退货笔数', 'Returns', 'int'),
  refundFen: c('refundFen', '退款额', 'Refunded', 'fen'),
  netFen: c('netFen', '净销售额', 'Net sales', 'fen'),
  cancelCount: c('cancelCount', '撤销笔数', 'Cancelled', 'int'),
  tickets: c('tickets', '客单数', 'Tickets', 'int'),
  avgTicketFen: c('avgTicketFen', '客单价', 'Average ticket', 'fen'),
  items: c('items', '件数', 'Items', 'int'),
  itemsPerTicket: c('itemsPerTicket', '连带率', 'Items per ticket', 'ratio'),
  discountFen: c('discountFen', '优惠金额', 'Discounts', 'fen'),
  roundingFen: c('roundingFen', '抹零', 'Rounding', 'fen'),
  code: c('code', '货号', 'Item no.', 'text'),
  name: c('name', '品名', 'Item', 'text'),
  unit: c('unit', '单位', 'Unit', 'text'),
  category: c('category', '分类', 'Category', 'text'),
  soldQty: c('soldQty', '销量', 'Qty sold', 'qty'),
  soldFen: c('soldFen', '销售额', 'Sales amount', 'fen'),
  returnedQty: c('returnedQty', '退货量', 'Qty returned', 'qty'),
  costFen: c('costFen', '成本', 'Cost', 'fen'),
  profitFen: c('profitFen', '毛利', 'Gross profit', 'fen'),
  marginPct: c('marginPct', '毛利率(%)', 'Margin (%)', 'pct'),
  sharePct: c('sharePct', '销售占比(%)', 'Share of sales (%)', 'pct'),
  rank: c('rank', '排名', 'Rank', 'int'),
};

export const REPORTS: Record<ReportKind, { zh: string; en: string; columns: ColumnDef[] }> = {
  byDay: {
    zh: '按日销售',
    en: 'Sales by day',
    columns: [col.day, col.saleCount, col.saleFen, col.returnCount, col.refundFen, col.netFen, col.cancelCount, col.tickets,
      col.avgTicketFen, col.items, col.itemsPerTicket, col.discountFen, col.roundingFen],
  },
  byHour: {
    zh: '按时段销售',
    en: 'Sales by hour',
    columns: [c('hour', '时段', 'Hour', 'text'), col.tickets, col.saleFen, col.refundFen, col.netFen, col.avgTicketFen,
      c('ticketSharePct', '客流占比(%)', 'Share of tickets (%)', 'pct')],
  },
  byCategory: {
    zh: '按分类销售',
    en: 'Sales by category',
    columns: [col.category, col.soldQty, col.soldFen, col.returnedQty, col.refundFen, col.netFen, col.discountFen, col.costFen,
      col.profitFen, col.marginPct, col.sharePct],
  },
  byCategoryDay: {
    zh: '分类按日销售',
    en: 'Category sales by day',
    columns: [col.day, col.category, col.soldQty, col.soldFen, col.returnedQty, col.refundFen, col.netFen, col.costFen, col.profitFen,
      col.marginPct],
  },
  byItem: {
    zh: '按商品销售',
    en: 'Sales by item',
    columns: [col.code, col.name, col.unit, col.category, col.soldQty, col.soldFen, col.returnedQty, col.refundFen, col.netFen,
      col.discountFen, col.costFen, col.profitFen, col.marginPct],
  },
  byCashier: {
    zh: '按收银员',
    en: 'Sales by cashier',
    columns: [c('cashier', '收银员', 'Cashier', 'text'), col.saleCount, col.saleFen, col.returnCount, col.refundFen, col.netFen,
      col.cancelCount, col.tickets, col.avgTicketFen, col.items],
  },
  byTender: {
    zh: '按支付方式',
    en: 'Sales by tender',
    columns: [c('tender', '支付方式', 'Tender', 'text'), c('payCount', '收款笔数', 'Payments', 'int'),
      c('payFen', '收款额', 'Taken', 'fen'), c('changeFen', '找零', 'Change given', 'fen'),
      c('refundCount', '退款笔数', 'Refunds', 'int'), col.refundFen, c('netFen', '实收净额', 'Net taken', 'fen')],
  },
  byChannel: {
    zh: '按渠道',
    en: 'Sales by channel',
    columns: [c('channel', '渠道', 'Channel', 'text'), col.saleCount, col.saleFen, col.refundFen, col.netFen, col.tickets,
      col.avgTicketFen],
  },
  bestSellers: {
    zh: '畅销商品',
    en: 'Best sellers',
    columns: [col.rank, col.code, col.name, col.unit, col.category, col.soldQty, col.netFen, col.sharePct],
  },
  worstSellers: {
    zh: '滞销商品（有销售）',
    en: 'Worst sellers (sold at least once)',
    columns: [col.rank, col.code, col.name, col.unit, col.category, col.soldQty, col.netFen, c('stockQty', '库存', 'Stock', 'qty')],
  },
  margin: {
    zh: '毛利',
    en: 'Margin',
    columns: [col.category, col.netFen, c('costedFen', '有成本的销售额', 'Sales with a known cost', 'fen'), col.costFen,
      col.profitFen, col.marginPct, c('coveragePct', '成本覆盖率(%)', 'Cost coverage (%)', 'pct')],
  },
  stockValue: {
    zh: '库存价值（当前）',
    en: 'Stock value (now)',
    columns: [col.category, c('skuCount', '有库存SKU数', 'SKUs in stock', 'int'), c('costValueFen', '库存成本', 'At cost', 'fen'),
      c('retailValueFen', '库存售价金额', 'At retail', 'fen'), c('noCostCount', '缺成本SKU数', 'SKUs without cost', 'int'),
      c('negativeCount', '负库存SKU数', 'SKUs below zero', 'int')],
  },
  slowMovers: {
    zh: '呆滞商品（有库存无销售）',
    en: 'Slow movers (in stock, not sold)',
    columns: [col.code, col.name, col.unit, col.category, c('stockQty', '库存', 'Stock', 'qty'),
      c('costValueFen', '库存成本', 'At cost', 'fen'), c('retailValueFen', '库存售价金额', 'At retail', 'fen'),
      c('lastSoldDay', '最后销售日', 'Last sold', 'day')],
  },
  refunds: {
    zh: '退货与作废',
    en: 'Refunds and voids',
    columns: [col.day, col.returnCount, col.refundFen, col.cancelCount, c('cancelFen', '撤销金额', 'Cancelled amount', 'fen'),
      c('voidCount', '整单作废', 'Carts voided', 'int'), c('voidFen', '作废金额', 'Voided amount', 'fen'),
      c('removedLines', '结算后删行', 'Lines removed after subtotal', 'int')],
  },
  members: {
    zh: '会员消费',
    en: 'Member activity',
    columns: [c('member', '会员', 'Member', 'text'), c('phone', '手机号', 'Phone', 'text'), col.saleCount, col.saleFen, col.refundFen,
      col.netFen, col.avgTicketFen, c('days', '消费天数', 'Days bought', 'int'), c('firstDay', '首次', 'First', 'day'),
      c('lastDay', '最近', 'Last', 'day')],
  },
};

/** The raw sales lines export (导出销售明细): one row per sale line, returns negative. */
export const LINE_COLUMNS: ColumnDef[] = [
  col.day,
  c('time', '时间', 'Time', 'time'),
  c('receiptNo', '小票号', 'Receipt no.', 'text'),
  c('kind', '类型', 'Type', 'text'),
  c('cashier', '收银员', 'Cashier', 'text'),
  c('member', '会员', 'Member', 'text'),
  col.code,
  col.name,
  col.category,
  c('qty', '数量', 'Qty', 'qty'),
  col.unit,
  c('unitPriceFen', '单价', 'Unit price', 'fen'),
  c('grossFen', '原价金额', 'Gross', 'fen'),
  col.discountFen,
  c('payableFen', '实收金额', 'Paid', 'fen'),
];
export const LINES_TITLE = { zh: '销售明细', en: 'Sales lines' };

export function columnsOf(kind: ExportKind): ColumnDef[] {
  return kind === 'lines' ? LINE_COLUMNS : REPORTS[kind].columns;
}
export function titleOf(kind: ExportKind): { zh: string; en: string } {
  return kind === 'lines' ? LINES_TITLE : REPORTS[kind];
}

/** Notes a report carries, by code (the renderer and the spreadsheet show the text). */
export const REPORT_NOTES = {
  onlineNotYet: { zh: '线上订单尚未接入（同步功能上线后显示）', en: 'Online orders are not connected yet (they appear once sync is set up)' },
  stockIsNow: { zh: '库存为当前数量，与所选日期无关', en: 'Stock is as it is now, whatever the dates chosen' },
  costFromSku: { zh: '成本按售出时商品的成本价计算；未填成本价的商品不计入毛利', en: 'Cost is the item’s cost price when sold; items without a cost price are left out of the margin' },
  truncated: { zh: '只显示前 {{n}} 行，完整数据请导出', en: 'Only the first {{n}} rows are shown; export for all of them' },
  cashNetOfChange: { zh: '现金实收净额 = 收款额 − 找零 − 退款额', en: 'Cash net taken = taken − change − refunded' },
  voidsFromAudit: { zh: '作废与删行来自审计日志', en: 'Voids and removed lines come from the audit log' },
} as const;
export type ReportNoteCode = keyof typeof REPORT_NOTES;

/** A summary figure shown above a report's table (e.g. 复购周期 on the member report). */
export interface ReportFigure {
  key: string;
  zh: string;
  en: string;
  type: ColumnType;
  value: ReportValue;
}

export interface ReportResult {
  kind: ReportKind;
  from: string;
  to: string;
  columns: ColumnDef[];
  rows: ReportRow[];
  totals: ReportRow | null;
  /** Rows the report has; rows holds at most the first REPORT_ROW_LIMIT of them. */
  rowCount: number;
  figures: ReportFigure[];
  notes: ReportNoteCode[];
  /** Time the worker took, ms. */
  ms: number;
}

/** At most this many rows go to the screen; an export has them all. */
export const REPORT_ROW_LIMIT = 2000;
