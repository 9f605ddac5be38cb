// After a restore the reports worker reads the restored database, not the file it replaced: the
// worker had its connection open on the old file (moved aside as …-before-restore.db), so reports,
// the journal and the dashboard went on showing the replaced data until the app restarted.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { createRegistry } from '../../../electron/api/handlers';
import { startReportJobs } from '../../../electron/till/reports/jobs';
import { demoBarcode } from '../../../electron/till/seed';
import type { ApiInput } from '../../../shared/api';
import type { ReportResult } from '../../../shared/reports/defs';
import { tempTill, type TempTill } from '../../support/temp-till';

let t: TempTill | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

it('after a restore, reports are read from the restored database', async () => {
  const c = { now: new Date(2026, 10, 30, 9, 0, 0).getTime() };
  const tt = (t = tempTill({ now: () => c.now }));
  const jobs = startReportJobs(tt.till);
  const registry = createRegistry({ till: tt.till, devices: null, reports: jobs }, 'browser');
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await registry.call(name, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.result as T;
  };
  const sell = async (code: string, payments: ApiInput<'sales.pay'>['payments']) => {
    await tt.call('cart.scan', { code });
    return tt.call('sales.pay', { requestId: randomUUID(), payments });
  };
  const salesInReports = async () => {
    const r = await call<ReportResult>('reports.run', { jobId: randomUUID(), kind: 'byDay', from: '2026-11-30', to: '2026-12-01' });
    return r.rows.reduce((n, row) => n + (row.saleCount as number), 0);
  };

  // Day 1: one sale, closed with its backup.
  await tt.loginAs('cashier');
  const s1 = await tt.call('shift.open', { openingCashFen: 0 });
  await sell(demoBarcode(1), [{ method: 'cash', amountFen: 300 }]);
  await tt.call('shift.close', { shiftId: s1.id, count: [{ denomFen: 100, count: 3 }], floatLeftFen: 0 });
  await tt.loginAs('manager');
  c.now = new Date(2026, 10, 30, 22).getTime();
  const backup = (await tt.call('day.close', { businessDay: '2026-11-30' })).backup.file!;
  // Day 2: a second sale, which the backup does not have; the worker is running and has read it.
  c.now = new Date(2026, 11, 1, 9).getTime();
  await tt.loginAs('cashier');
  const s2 = await tt.call('shift.open', { openingCashFen: 0 });
  await sell(demoBarcode(2), [{ method: 'cash', amountFen: 350 }]);
  await tt.call('shift.close', { shiftId: s2.id, count: [{ denomFen: 50, count: 7 }], floatLeftFen: 0 });
  await tt.loginAs('manager');
  expect(await salesInReports()).toBe(2);

  await tt.call('backup.restore', { name: backup, where: 'primary', confirm: true });
  await tt.loginAs('manager');
  expect((tt.till.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(1);
  expect(await salesInReports()).toBe(1);
  // And the worker keeps following the till: a sale made now is in the next report.
  await tt.loginAs('cashier');
  await tt.call('shift.open', { openingCashFen: 0 });
  await sell(demoBarcode(1), [{ method: 'cash', amountFen: 300 }]);
  await tt.loginAs('manager');
  expect(await salesInReports()).toBe(2);
});
