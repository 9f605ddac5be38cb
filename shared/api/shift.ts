// Shifts (班次 / 交班): open with a float, cash in and out of the drawer, close with the cash counted
// by denomination, the X report (交班报表). A cashier sees and closes only their own shift; a manager
// any (checked in electron/till/shift*.ts, not here).
import { z } from 'zod';
import { endpoint } from './endpoint';

/** The notes and coins a cashier counts, largest first: ¥100 … ¥0.1. */
export const DENOMINATIONS_FEN = [10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10] as const;
export type DenominationFen = (typeof DENOMINATIONS_FEN)[number];

export interface CashCountLine {
  denomFen: DenominationFen;
  count: number;
}

/** Σ denomination × count, fen. */
export function countedFen(lines: readonly CashCountLine[]): number {
  let s = 0;
  for (const l of lines) s += l.denomFen * l.count;
  return s;
}

export interface ShiftView {
  id: string;
  userId: string;
  userName: string;
  businessDay: string;
  openedAt: number;
  openingCashFen: number;
}

/** The till's open shift as the logged-in user may see it. */
export interface OpenShiftInfo {
  id: string;
  userId: string;
  userName: string;
  businessDay: string;
  openedAt: number;
  /** The logged-in user's own shift. */
  mine: boolean;
  /** Opened on an earlier business day and never closed (left open overnight): close it before selling. */
  stale: boolean;
  /** Hidden (null) from a cashier when the shift is another cashier's. */
  openingCashFen: number | null;
}

export interface ShiftState {
  /** The till's business day now (after a day's close: the next one). */
  businessDay: string;
  current: OpenShiftInfo | null;
  /** The float the last closed shift left in the drawer: the next opening float. */
  suggestedFloatFen: number;
  lastClosed: { id: string; userName: string; closedAt: number; floatLeftFen: number } | null;
}

export type CashMoveKind = 'float' | 'cash_in' | 'cash_out' | 'over_short' | 'handover';

export interface CashMoveView {
  id: string;
  kind: CashMoveKind;
  /** + into the drawer, − out of it. */
  amountFen: number;
  reason: string | null;
  userName: string;
  approverName: string | null;
  at: number;
}

/** One tender's money in a shift or a day: received (net of change) and refunded. */
export interface TenderTotal {
  method: string;
  /** 现金, 银行卡 … (the main side's label, printed as is). */
  label: string;
  /** Payments and refunds counted. */
  count: number;
  /** Received on sales, net of the change given (cash). */
  receivedFen: number;
  /** Refunded on returns (≤ 0). */
  refundedFen: number;
  /** receivedFen + refundedFen. */
  netFen: number;
}

export interface SalesTotals {
  count: number;
  itemCount: number;
  /** Σ line gross at the prices sold (after 改价). */
  grossFen: number;
  /** Discounts (单品 + 促销 + 整单), positive. */
  discountFen: number;
  /** 抹零 adjustment (≤ 0 when rounding down). */
  roundingFen: number;
  /** 应收: grossFen − discountFen + roundingFen. */
  totalFen: number;
}

/** The shift report (X report, 交班报表): live while the shift is open, kept as printed once closed. */
export interface ShiftReport {
  shiftId: string;
  /** T01-20261130-1: the till, the business day, the n-th shift of that day. */
  shiftNo: string;
  tillId: string;
  cashierId: string;
  cashier: string;
  businessDay: string;
  openedAt: number;
  /** Null while the shift is open (an interim report). */
  closedAt: number | null;
  closedBy: string | null;
  sales: SalesTotals;
  /** Returns and cancels: count and refunds (totalFen ≤ 0). */
  returns: { count: number; totalFen: number };
  /** Of those, whole sales cancelled (撤销). */
  cancels: { count: number; totalFen: number };
  /** Carts voided before payment (作废): count and their totals. */
  voids: { count: number; totalFen: number };
  /** Drawer opened without a sale (不销售开钱箱). */
  noSaleCount: number;
  tenders: TenderTotal[];
  cash: {
    openingFen: number;
    /** Cash received on sales, net of change. */
    salesFen: number;
    /** Cash refunded (≤ 0). */
    refundsFen: number;
    inFen: number;
    /** ≤ 0 */
    outFen: number;
    /** What the drawer should hold: opening + sales + refunds + in + out. */
    expectedFen: number;
    countedFen: number | null;
    /** counted − expected: + 长款 (over), − 短款 (short). */
    differenceFen: number | null;
    /** Left in the drawer as the next shift's float. */
    floatLeftFen: number | null;
    /** counted − float left: taken out to the safe (上缴). */
    handoverFen: number | null;
  };
  count: CashCountLine[] | null;
  /** Cash in and out with their reasons. */
  moves: CashMoveView[];
  note: string | null;
}

export interface ShiftSummary {
  id: string;
  shiftNo: string;
  userName: string;
  businessDay: string;
  openedAt: number;
  closedAt: number | null;
  expectedCashFen: number | null;
  countedCashFen: number | null;
  differenceFen: number | null;
}

const fen = (max: number) => z.number().int().min(0).max(max);
const denomination = z.union(DENOMINATIONS_FEN.map((d) => z.literal(d)) as unknown as [z.ZodLiteral<DenominationFen>, ...z.ZodLiteral<DenominationFen>[]], {
  error: '面额须为 100、50、20、10、5、1 元或 5 角、1 角',
});
const shiftId = z.string().min(1).max(64);

export const cashCountInput = z
  .array(z.object({ denomFen: denomination, count: z.number().int().min(0).max(100_000) }).strict())
  .max(DENOMINATIONS_FEN.length)
  .refine((ls) => new Set(ls.map((l) => l.denomFen)).size === ls.length, { error: '同一面额只能填写一次' });

export const shiftApi = {
  'shift.current': endpoint<ShiftView | null>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '当前班次',
  }),
  'shift.open': endpoint<ShiftView>()({
    input: z.object({ openingCashFen: fen(10_000_000) }).strict(),
    role: 'cashier',
    summary: '开班（备用金）',
  }),
  'shift.state': endpoint<ShiftState>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '交班页：本机班次（收银员只看到自己的）、是否隔夜未交班、建议备用金',
  }),
  'shift.report': endpoint<ShiftReport>()({
    input: z.object({ shiftId: shiftId.optional() }).strict(),
    role: 'cashier',
    summary: '交班报表（X 报表）：未交班为实时数据，已交班为交班时打印的数据；收银员只能看自己的班次',
  }),
  'shift.cashMove': endpoint<{ move: CashMoveView; drawer: { opened: boolean; message: string } }>()({
    input: z
      .object({
        kind: z.enum(['cash_in', 'cash_out'], { error: '请选择存入或取出' }),
        amountFen: z.number({ error: '请输入金额' }).int().min(1, { error: '金额须大于 0' }).max(10_000_000, { error: '金额过大' }),
        reason: z.string({ error: '请填写原因' }).trim().min(1, { error: '请填写原因' }).max(40, { error: '原因最多 40 个字' }),
        approval: z.string().max(128).optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '钱箱存取款（店长，或收银员经店长授权）：记入钱箱流水并打开钱箱',
  }),
  'shift.close': endpoint<{ report: ShiftReport; printJobId: string }>()({
    input: z
      .object({
        shiftId,
        count: cashCountInput,
        /** Left in the drawer for the next cashier; at most what was counted. */
        floatLeftFen: fen(10_000_000),
        note: z.string().trim().max(80).optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '交班：按面额点钞，算出应有与实点之差，打印并保存交班报表（收银员只能交自己的班）',
  }),
  'shift.list': endpoint<ShiftSummary[]>()({
    input: z
      .object({
        businessDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    role: 'cashier',
    summary: '班次列表（收银员只看到自己的）',
  }),
  'shift.reprint': endpoint<{ printJobId: string }>()({
    input: z.object({ shiftId }).strict(),
    role: 'cashier',
    summary: '重印交班报表（标记“重印”）',
  }),
};
