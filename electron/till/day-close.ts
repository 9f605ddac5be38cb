// Closing a business day (日结). A day closes once: its row in day_closes (primary key: the day) is
// written in one transaction with the Z report as printed, its print job and the audit row. After
// it, new sales go to the next business day (Till.businessDay; the trigger of migration 0007 for a
// sale that read its day before the close committed), so the kept Z report stays equal to the
// day's rows. A day closes only when its shifts are closed (the drawer counted), never before it has
// begun, and in any order (a day forgotten last night can be closed the next morning). The backup
// that follows the close is backup.ts; its outcome is written to the row afterwards.
import { desc, eq } from 'drizzle-orm';
import type { BackupOutcome, DayCloseSummary, DayReport, DayStatus } from '../../shared/api/day';
import { TillError } from '../../shared/errors';
import type { DayReportPrint } from '../devices/receipt/report-templates';
import { formatTime } from '../devices/receipt/templates';
import { audit } from './audit';
import { dayReport } from './day-report';
import { enqueuePrint } from './ledger';
import { dayCloses, users } from './schema';
import type { Till } from './till';

type CloseRow = typeof dayCloses.$inferSelect;

function closeRow(till: Till, day: string): (CloseRow & { closedByName: string }) | undefined {
  const r = till.db
    .select({ c: dayCloses, closedByName: users.name })
    .from(dayCloses)
    .innerJoin(users, eq(users.id, dayCloses.closedBy))
    .where(eq(dayCloses.businessDay, day))
    .get();
  return r && { ...r.c, closedByName: r.closedByName };
}

function openShiftsUpTo(till: Till, day: string): DayStatus['openShifts'] {
  return till
    .stmt(
      `SELECT s.id, u.name AS userName, s.business_day AS businessDay, s.opened_at AS openedAt
       FROM shifts s JOIN users u ON u.id = s.user_id WHERE s.closed_at IS NULL AND s.business_day <= ? ORDER BY s.opened_at`,
    )
    .all(day) as DayStatus['openShifts'];
}

export function closeDay(till: Till, day: string): { report: DayReport; printJobId: string } {
  const session = till.auth.requireSession();
  if (day > till.calendarDay()) throw new TillError('DAY_NOT_YET', `营业日 ${day} 还没开始，不能日结`);
  const at = till.now();
  return till.tx(() => {
    const done = closeRow(till, day);
    if (done) throw new TillError('DAY_CLOSED', `营业日 ${day} 已于 ${formatTime(done.closedAt)} 由 ${done.closedByName} 日结，不能重复日结`);
    const open = openShiftsUpTo(till, day);
    if (open.length) {
      const who = open.map((s) => `${s.userName}（营业日 ${s.businessDay}）`).join('、');
      throw new TillError('SHIFT_OPEN', `还有班次没有交班：${who}。请先交班，再日结`, { shifts: open });
    }
    const report = dayReport(till, day, { at, by: session.name });
    till.db.insert(dayCloses).values({ businessDay: day, tillId: till.tillId, closedAt: at, closedBy: session.userId, report }).run();
    const printJobId = enqueuePrint(till.db, { kind: 'day_report', refId: day, payload: { v: 1, template: 'day_report', data: report }, at });
    audit(till.sqlite, {
      userId: session.userId, action: 'day.close', target: day,
      details: { saleCount: report.sales.count, netFen: report.netFen, returnCount: report.returns.count },
    }, at);
    return { report, printJobId };
  });
}

/** The backup taken after the close, written to the day's row (and audited). */
export function recordDayBackup(till: Till, day: string, outcome: BackupOutcome): void {
  const session = till.auth.session;
  till.tx(() => {
    till.db
      .update(dayCloses)
      .set({ backupFile: outcome.file, backupError: outcome.ok && (!outcome.second || outcome.second.ok) ? null : outcome.message })
      .where(eq(dayCloses.businessDay, day))
      .run();
    audit(till.sqlite, { userId: session?.userId ?? null, action: outcome.ok ? 'backup.day_close' : 'backup.failed', target: day, details: outcome }, till.now());
  });
}

export function dayStatus(till: Till): DayStatus {
  const today = till.calendarDay();
  const last = till.db
    .select({ businessDay: dayCloses.businessDay, closedAt: dayCloses.closedAt, closedBy: users.name })
    .from(dayCloses)
    .innerJoin(users, eq(users.id, dayCloses.closedBy))
    .orderBy(desc(dayCloses.businessDay))
    .limit(1)
    .get();
  // Days with activity in the last 62 days that are not closed (a forgotten close shows up here).
  const days = till
    .stmt(
      `SELECT day FROM (SELECT DISTINCT business_day AS day FROM sales WHERE business_day >= date(?, '-62 days') AND business_day <= ?
                        UNION SELECT business_day FROM shifts WHERE business_day >= date(?, '-62 days') AND business_day <= ?)
       WHERE day NOT IN (SELECT business_day FROM day_closes) ORDER BY day`,
    )
    .all(today, today, today, today) as { day: string }[];
  const closable = days.map((d) => d.day);
  const current = till.businessDay();
  if (current <= today && !closable.includes(current)) closable.push(current);
  return { businessDay: current, lastClosed: last ?? null, closable, openShifts: openShiftsUpTo(till, '9999-12-31') };
}

export function storedDayReport(till: Till, day: string): DayReport {
  const row = closeRow(till, day);
  if (!row) throw new TillError('DAY_NOT_CLOSED', `营业日 ${day} 还没有日结`);
  return row.report as DayReport;
}

export function previewDay(till: Till, day: string): DayReport {
  if (closeRow(till, day)) return storedDayReport(till, day);
  return dayReport(till, day);
}

export function listDays(till: Till, limit: number): DayCloseSummary[] {
  const rows = till.db
    .select({ c: dayCloses, closedBy: users.name })
    .from(dayCloses)
    .innerJoin(users, eq(users.id, dayCloses.closedBy))
    .orderBy(desc(dayCloses.businessDay))
    .limit(limit)
    .all();
  return rows.map(({ c, closedBy }) => {
    const r = c.report as DayReport;
    return {
      businessDay: c.businessDay, closedAt: c.closedAt, closedBy, saleCount: r.sales.count, netFen: r.netFen,
      backupFile: c.backupFile, backupError: c.backupError,
    };
  });
}

/** A copy of a closed day's Z report, marked 重印 (audited). */
export function reprintDay(till: Till, day: string): { printJobId: string } {
  const session = till.auth.requireSession();
  const report = storedDayReport(till, day);
  const at = till.now();
  const data: DayReportPrint = { ...report, reprint: { at, by: session.name } };
  return till.tx(() => {
    const printJobId = enqueuePrint(till.db, { kind: 'day_report', refId: day, payload: { v: 1, template: 'day_report', data }, isCopy: true, at });
    audit(till.sqlite, { userId: session.userId, action: 'day.reprint', target: day }, at);
    return { printJobId };
  });
}
