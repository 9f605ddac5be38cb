// Reports, the dashboard, spreadsheet exports and the sales journal. Reading runs in the reports
// worker on its own read-only connection (electron/till/reports); the roles are checked here: a
// manager reads reports, the journal and exports; the owner also sees the dashboard.
import { z } from 'zod';
import { codeText } from './catalog';
import { endpoint } from './endpoint';
import { REPORT_KINDS, type ReportResult } from '../reports/defs';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const ends = (r: unknown) => r as { from: string; to: string };
/** An input with a range of business days: both ends included, from ≤ to, at most about ten years. */
function withRange<S extends z.ZodRawShape>(shape: S) {
  return z
    .object({ ...shape, from: day, to: day })
    .strict()
    .refine((r) => ends(r).from <= ends(r).to, { message: '开始日期不能晚于结束日期', path: ['to'] })
    .refine((r) => Date.parse(ends(r).to) - Date.parse(ends(r).from) <= 3660 * 86_400_000, { message: '日期范围最长 10 年', path: ['from'] });
}
/** Chosen by the UI so it can cancel a job and follow its progress before the answer comes. */
const jobId = z.string().uuid();

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';
export interface JobView {
  jobId: string;
  kind: 'report' | 'export' | 'dashboard' | 'journal' | 'backup';
  state: JobState;
  done: number;
  total: number;
  /** Export: where the file is (or was to be written). */
  file?: string;
  rows?: number;
  bytes?: number;
  error?: { code: string; message: string };
  startedAt: number;
  endedAt?: number;
}

export interface DashboardKpis {
  /** 净销售额 */
  netFen: number;
  /** 销售额 (tickets not cancelled) */
  salesFen: number;
  tickets: number;
  avgTicketFen: number | null;
  itemsPerTicket: number | null;
  refundFen: number;
}
export interface DashboardData {
  day: string;
  lastWeekDay: string;
  today: DashboardKpis;
  /** The same weekday a week before, all day. */
  lastWeek: DashboardKpis;
  /** That day up to the hour it is now (when `day` is today), for a fair comparison during the day. */
  lastWeekSoFar: DashboardKpis | null;
  /** The local hour "so far" goes up to; null for a past day. */
  asOfHour: number | null;
  hourly: { today: number[]; lastWeek: number[]; todayNetFen: number[]; lastWeekNetFen: number[] };
  trend: { day: string; netFen: number; tickets: number }[];
  repurchase: { medianDays: number | null; gaps: number; eligible: number; back: number; backPct: number | null; from: string; to: string };
  bestSellers: {
    from: string;
    to: string;
    counter: { name: string; unit: string; qty: number; netFen: number }[];
    /** Online orders arrive with the sync issue; null until then (the screen says so). */
    online: { name: string; unit: string; qty: number; netFen: number }[] | null;
  };
  lowStock: { code: string; name: string; unit: string; stockQty: number; soldQty: number; daysOfCover: number }[];
  ms: number;
}

export interface JournalRow {
  id: string;
  receiptNo: string;
  kind: 'sale' | 'return';
  status: 'completed' | 'cancelled';
  businessDay: string;
  createdAt: number;
  cashier: string;
  member: string | null;
  totalFen: number;
  itemCount: number;
  lineCount: number;
  tenders: string;
}
export interface JournalPage {
  rows: JournalRow[];
  /** Pass back for the next page; null at the end. */
  next: string | null;
  /** Sales matching the filter (first page only). */
  total: number | null;
}
export interface JournalSale extends JournalRow {
  lines: { lineNo: number; code: string; name: string; qty: number; unit: string; unitPriceFen: number; discountFen: number; payableFen: number; note: string | null }[];
  payments: { method: string; label: string; amountFen: number; reference: string | null }[];
  changeFen: number;
  roundingFen: number;
  discountFen: number;
  originalReceiptNo: string | null;
  memberPhone: string | null;
  /** The receipt's print job, for its picture (print.preview). */
  printJobId: string | null;
  reprints: number;
}

export interface ExportFile {
  name: string;
  path: string;
  bytes: number;
  at: number;
}

const journalFilter = {
  /** Whole receipt number, or its last digits. */
  receiptNo: codeText().max(40).optional(),
  amountFen: z.number().int().min(0).max(100_000_000).optional(),
  /** Item: barcode, item number (货号) or part of the name. */
  item: z.string().trim().min(1).max(40).optional(),
  /** Member: phone (or its last digits) or name. */
  member: z.string().trim().min(1).max(40).optional(),
};

export const reportsApi = {
  'reports.run': endpoint<ReportResult>()({
    input: withRange({ jobId, kind: z.enum(REPORT_KINDS), top: z.number().int().min(1).max(500).optional() }),
    role: 'manager',
    summary: '按日期范围出报表（在后台线程中从汇总表读取，可取消）',
  }),
  'reports.cancel': endpoint<{ cancelled: boolean }>()({
    input: z.object({ jobId }).strict(),
    role: 'manager',
    summary: '取消正在进行的报表或导出',
  }),
  'reports.job': endpoint<JobView | null>()({
    input: z.object({ jobId }).strict(),
    role: 'manager',
    summary: '后台任务（报表、导出）的进度与结果',
  }),
  'dashboard.load': endpoint<DashboardData>()({
    input: z.object({ day: day.optional() }).strict(),
    role: 'owner',
    summary: '数据看板：今日与上周同日、客单价、连带率、复购、时段客流、畅销、低库存',
  }),
  'exports.start': endpoint<JobView>()({
    input: withRange({
      jobId,
      kind: z.enum([...REPORT_KINDS, 'lines']),
      format: z.enum(['xlsx', 'csv']),
      top: z.number().int().min(1).max(500).optional(),
    }),
    role: 'manager',
    summary: '导出报表或销售明细为 xlsx / csv（后台进行，显示进度，可取消，记入审计）',
  }),
  'exports.list': endpoint<{ dir: string; files: ExportFile[] }>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '导出文件夹及最近导出的文件',
  }),
  'journal.page': endpoint<JournalPage>()({
    input: withRange({ ...journalFilter, cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(200).default(100) }),
    role: 'manager',
    summary: '销售流水：按日期、金额、小票号、商品或会员查找，分页',
  }),
  'journal.sale': endpoint<JournalSale>()({
    input: z.object({ saleId: z.string().min(1).max(64) }).strict(),
    role: 'manager',
    summary: '一笔交易的明细：商品行、支付、小票图片',
  }),
};
