// A person's decisions about print jobs, each audited: an interrupted job did not print (queue it
// again as is), print a copy (a new job marked 重印), or cancel a waiting job. The queue refuses
// what the job's state does not allow; its plain-Error messages become BAD_STATE refusals.
import type { PrintJobView } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import { audit } from '../till/audit';
import type { Till } from '../till/till';
import { jobRow, jobView } from './job-views';
import type { DeviceManager } from './manager';

function decide<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TillError) throw e;
    throw new TillError('BAD_STATE', (e as Error).message);
  }
}

export function confirmNotPrinted(till: Till, devices: DeviceManager, jobId: string): PrintJobView {
  const session = till.auth.requireSession();
  const q = devices.printQueue();
  decide(() => q.confirmNotPrinted(jobId));
  audit(till.db, { userId: session.userId, action: 'print.confirm_not_printed', target: jobId }, till.now());
  return jobView(jobRow(till, jobId));
}

export function reprintJob(till: Till, devices: DeviceManager, jobId: string): PrintJobView {
  const session = till.auth.requireSession();
  jobRow(till, jobId);
  const id = decide(() => devices.printQueue().reprint(jobId, { by: session.name, at: till.now() }));
  audit(till.db, { userId: session.userId, action: 'print.reprint', target: jobId, details: { copy: id } }, till.now());
  return jobView(jobRow(till, id));
}

export function cancelJob(till: Till, devices: DeviceManager, jobId: string): PrintJobView {
  const session = till.auth.requireSession();
  jobRow(till, jobId);
  decide(() => devices.printQueue().cancel(jobId));
  audit(till.db, { userId: session.userId, action: 'print.cancel', target: jobId }, till.now());
  return jobView(jobRow(till, jobId));
}
