// Reports, dashboard, exports and the sales journal (shared/api/reports.ts): each runs as a job in
// the reports worker (electron/till/reports); roles are checked by the registry before we get here.
import type { DashboardData, JournalPage, JournalSale, reportsApi } from '../../../shared/api/reports';
import type { ReportResult } from '../../../shared/reports/defs';
import { listExports, startExport } from '../../till/reports/export-files';
import type { Handlers } from '../registry';
import { requireReports } from '../services';

export const reportsHandlers: Handlers<typeof reportsApi> = {
  'reports.run': ({ jobId, kind, from, to, top }, s) =>
    requireReports(s).run<ReportResult>('report', { type: 'report', spec: { kind, from, to, top } }, jobId).result,
  'reports.cancel': ({ jobId }, s) => ({ cancelled: requireReports(s).cancel(jobId) }),
  'reports.job': ({ jobId }, s) => requireReports(s).view(jobId),
  'dashboard.load': ({ day }, s) => {
    const today = s.till.businessDay();
    return requireReports(s).run<DashboardData>('dashboard', { type: 'dashboard', day: day ?? today, nowMs: s.till.now(), isToday: (day ?? today) === today }).result;
  },
  'exports.start': (input, s) => startExport(s.till, requireReports(s), input),
  'exports.list': (_i, s) => listExports(s.till),
  'journal.page': ({ cursor, limit, ...filter }, s) =>
    requireReports(s).run<JournalPage>('journal', { type: 'journalPage', query: { ...filter, cursor, limit } }).result,
  'journal.sale': ({ saleId }, s) => requireReports(s).run<JournalSale>('journal', { type: 'journalSale', saleId }).result,
};
