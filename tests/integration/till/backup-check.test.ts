// A backup's check (copy, open, PRAGMA integrity_check) runs in the reports worker, never on the
// till's thread (on a year's file it takes long enough to freeze the till): the main thread runs no
// integrity_check, the check's progress comes as a 'backup' job, and it can be cancelled, leaving
// no copy behind.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createRegistry } from '../../../electron/api/handlers';
import { startReportJobs } from '../../../electron/till/reports/jobs';
import { demoBarcode } from '../../../electron/till/seed';
import type { JobView } from '../../../shared/api/reports';
import { tempTill, type TempTill } from '../../support/temp-till';
import { refusal } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  t?.cleanup();
  t = undefined;
});

async function tillWithBackup() {
  const c = { now: new Date(2026, 10, 30, 9, 0, 0).getTime() };
  const tt = (t = tempTill({ now: () => c.now }));
  const jobs = startReportJobs(tt.till);
  const registry = createRegistry({ till: tt.till, devices: null, reports: jobs }, 'browser');
  await tt.loginAs('cashier');
  const s = await tt.call('shift.open', { openingCashFen: 0 });
  await tt.call('cart.scan', { code: demoBarcode(1) });
  await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 300 }] });
  await tt.call('shift.close', { shiftId: s.id, count: [{ denomFen: 100, count: 3 }], floatLeftFen: 0 });
  await tt.loginAs('manager');
  c.now = new Date(2026, 10, 30, 22).getTime();
  const backup = (await tt.call('day.close', { businessDay: '2026-11-30' })).backup.file!;
  const events: JobView[] = [];
  tt.till.events.onAny((name, payload) => name === 'job' && (payload as JobView).kind === 'backup' && events.push(payload as JobView));
  return { tt, jobs, registry, backup, events };
}

it('backup.check runs integrity_check in the reports worker: none on the till thread, progress as a backup job', async () => {
  const { tt, backup, events } = await tillWithBackup();
  const pragma = vi.spyOn(Database.prototype, 'pragma');
  const check = await tt.call('backup.check', { name: backup, where: 'primary' });
  expect(check).toMatchObject({ ok: true, saleCount: 1, lastClosedDay: '2026-11-30', newerSales: 0, tillId: 'T01' });
  expect(pragma.mock.calls.filter(([sql]) => /integrity_check|quick_check/.test(String(sql)))).toEqual([]);
  expect(events[0]).toMatchObject({ kind: 'backup', state: 'running' });
  expect(events.at(-1)).toMatchObject({ kind: 'backup', state: 'done', done: 1000, total: 1000 });
  expect(readdirSync(join(tt.dataDir, 'restore-tmp'))).toEqual([]);
});

it('a check can be cancelled (reports.cancel on its job): it says so and leaves no copy', async () => {
  const { tt, jobs, registry, backup, events } = await tillWithBackup();
  let cancelled = 0;
  tt.till.events.onAny((name, payload) => {
    const v = payload as JobView;
    if (name === 'job' && v.kind === 'backup' && v.state === 'running' && !cancelled++) void registry.call('reports.cancel', { jobId: v.jobId });
  });
  const e = await refusal(tt.call('backup.check', { name: backup, where: 'primary' }));
  expect(e.code).toBe('CANCELLED');
  expect(events.at(-1)).toMatchObject({ state: 'cancelled' });
  expect(readdirSync(join(tt.dataDir, 'restore-tmp'))).toEqual([]);
  // The worker is free for the next job.
  expect((await tt.call('backup.check', { name: backup, where: 'primary' })).ok).toBe(true);
  expect(jobs.running('backup')).toEqual([]);
});

it('a restore checks off the till thread too', async () => {
  const { tt, backup } = await tillWithBackup();
  const pragma = vi.spyOn(Database.prototype, 'pragma');
  await tt.call('backup.restore', { name: backup, where: 'primary', confirm: true });
  expect(pragma.mock.calls.filter(([sql]) => /integrity_check|quick_check/.test(String(sql)))).toEqual([]);
  await tt.loginAs('manager');
  expect((tt.till.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(1);
});
