// End of day (日结, the Z report) and backups (备份 / 恢复). Manager and owner only.
import { z } from 'zod';
import { endpoint } from './endpoint';
import type { SalesTotals, TenderTotal } from './shift';

export type DiscountKind = 'price_override' | 'line' | 'promo' | 'order' | 'other';

/** The end-of-day report (Z report, 日结报表) of one business day. */
export interface DayReport {
  businessDay: string;
  tillId: string;
  /** Null for a preview of a day not closed yet. */
  closedAt: number | null;
  closedBy: string | null;
  sales: SalesTotals;
  /**
   * Discounts by kind on the day's sales, positive. price_override (改价让利) is taken off before
   * the gross, so it is not part of sales.discountFen; the others add up to it. 'other': discounts of
   * sales written before the kinds were kept.
   */
  discounts: { kind: DiscountKind; amountFen: number }[];
  /** Returns and cancels (totalFen ≤ 0: refunds). */
  returns: { count: number; totalFen: number };
  cancels: { count: number; totalFen: number };
  voids: { count: number; totalFen: number };
  /** sales.totalFen + returns.totalFen: what the day took. */
  netFen: number;
  tenders: TenderTotal[];
  /** By category: lines of sales and returns, payable (what the customer paid, net of returns). */
  categories: { name: string; lines: number; amountFen: number }[];
  cashiers: { userId: string; name: string; saleCount: number; salesFen: number; returnCount: number; returnsFen: number }[];
  noSaleCount: number;
  /** The day's shifts: counted against expected (over/short). */
  shifts: { count: number; expectedFen: number; countedFen: number; differenceFen: number };
  cash: { inFen: number; outFen: number };
  /**
   * Online orders' balances (尾款 / 货到付款) taken at the counter, per payment method: money of the day
   * outside the sales above. Absent on a report kept before it was counted.
   */
  onlineBalances?: { method: string; label: string; count: number; amountFen: number }[];
  /** Group-buy voucher redemptions per platform: still redeemed (count, uses, value) and undone since. */
  vouchers?: { platform: string; label: string; count: number; uses: number; valueFen: number; undoneCount: number; undoneFen: number }[];
  /** Self-pickups handed over per platform: orders, hand-overs (a partial pickup is one), pieces. */
  pickups?: { platform: string; label: string; orders: number; handovers: number; pieces: number }[];
}

export interface DayCloseSummary {
  businessDay: string;
  closedAt: number;
  closedBy: string;
  saleCount: number;
  netFen: number;
  backupFile: string | null;
  backupError: string | null;
}

export interface DayStatus {
  /** Where a sale now goes. */
  businessDay: string;
  lastClosed: { businessDay: string; closedAt: number; closedBy: string } | null;
  /** Days that may be closed now: not closed, up to today, with sales or shifts (today always). */
  closable: string[];
  /** Shifts still open on the till (a day closes only when its shifts are closed). */
  openShifts: { id: string; userName: string; businessDay: string; openedAt: number }[];
}

export interface BackupFile {
  name: string;
  /** primary: the backup folder; second: the second folder (a USB stick). */
  where: 'primary' | 'second';
  kind: 'day_close' | 'manual' | 'before_restore';
  /** The business day closed, for a day-close backup. */
  businessDay: string | null;
  createdAt: number;
  bytes: number;
}

export interface BackupOutcome {
  ok: boolean;
  file: string | null;
  bytes: number;
  /** Copied to the second folder too (null: no second folder set). */
  second: { ok: boolean; message: string } | null;
  /** Older backups removed by the rotation. */
  removed: string[];
  message: string;
}

export interface BackupCheck {
  ok: boolean;
  /** Sentences for the manager: why it cannot be restored (empty when ok). */
  problems: string[];
  tillId: string | null;
  lastClosedDay: string | null;
  saleCount: number;
  lastSaleAt: number | null;
  /** Sales in the live database that the backup does not have (lost from the till's data by a restore). */
  newerSales: number;
  bytes: number;
}

export interface BackupSettings {
  dir: string;
  keep: number;
  secondDir: string;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '营业日格式应为 2026-11-30' });
const backupRef = {
  name: z.string().regex(/^till-\d{8}-\d{6}-[a-z0-9-]+\.db$/, { error: '备份文件名无效' }),
  where: z.enum(['primary', 'second']).default('primary'),
};

export const dayApi = {
  'day.status': endpoint<DayStatus>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '日结：当前营业日、上次日结、可日结的营业日、未交班的班次',
  }),
  'day.preview': endpoint<DayReport>()({
    input: z.object({ businessDay: day }).strict(),
    role: 'manager',
    summary: '日结报表预览（未日结的营业日，实时数据）',
  }),
  'day.close': endpoint<{ report: DayReport; printJobId: string; backup: BackupOutcome }>()({
    input: z.object({ businessDay: day }).strict(),
    role: 'manager',
    summary: '日结：保存并打印 Z 报表（每个营业日只能一次），之后的交易记入下一营业日；并备份数据库',
  }),
  'day.list': endpoint<DayCloseSummary[]>()({
    input: z.object({ limit: z.number().int().min(1).max(366).default(30) }).strict(),
    role: 'manager',
    summary: '已日结的营业日',
  }),
  'day.report': endpoint<DayReport>()({
    input: z.object({ businessDay: day }).strict(),
    role: 'manager',
    summary: '已日结营业日的 Z 报表（日结时保存的数据）',
  }),
  'day.reprint': endpoint<{ printJobId: string }>()({
    input: z.object({ businessDay: day }).strict(),
    role: 'manager',
    summary: '重印日结报表（标记“重印”）',
  }),
  'backup.settings': endpoint<BackupSettings>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '备份设置：备份目录、保留份数、第二备份目录（如 U 盘）',
  }),
  'backup.saveSettings': endpoint<BackupSettings>()({
    input: z
      .object({
        keep: z.number({ error: '保留份数须为数字' }).int().min(1, { error: '至少保留 1 份' }).max(365, { error: '最多保留 365 份' }).optional(),
        secondDir: z.string().trim().max(260, { error: '路径过长' }).optional(),
      })
      .strict(),
    role: 'manager',
    summary: '保存备份设置（审计）',
  }),
  'backup.list': endpoint<BackupFile[]>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '备份文件列表（备份目录与第二备份目录）',
  }),
  'backup.now': endpoint<BackupOutcome>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '立即备份数据库（SQLite 在线备份，收银不受影响）',
  }),
  'backup.check': endpoint<BackupCheck>()({
    input: z.object(backupRef).strict(),
    role: 'manager',
    summary: '检查备份：复制到临时目录打开、完整性检查、版本与日结记录是否相符',
  }),
  'backup.restore': endpoint<{ check: BackupCheck; replacedFile: string }>()({
    input: z.object({ ...backupRef, confirm: z.literal(true, { error: '请确认恢复' }) }).strict(),
    role: 'manager',
    summary: '从备份恢复：检查通过后替换当前数据库（原数据库另存），所有人需重新登录',
  }),
};
