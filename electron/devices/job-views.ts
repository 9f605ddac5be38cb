// Print jobs as the UI lists them (number, state, why it waits, whether a person must decide), and
// the receipts the virtual printers saved (text and picture).
import { readFile } from 'node:fs/promises';
import type { PrintJobView, VirtualReceipt } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import type { Till } from '../till/till';
import { readDevices, virtualDirOf, virtualRoot } from './config';
import { desc, eq, inArray } from 'drizzle-orm';
import { arg, prepared } from '../till/prepared';
import { printJobs } from '../till/schema';
import { payloadOf, type PrintJobRow } from './print-queue';
import { VirtualPrinter } from './printer';

/** The receipt, return, order, shift or day number a job prints, for the list. */
export const jobTitle = (row: PrintJobRow): string => {
  const d = (payloadOf(row) as { data?: Record<string, unknown> } | null)?.data;
  const inner = (d?.original as { data?: Record<string, unknown> } | undefined)?.data;
  const no = d?.receiptNo ?? d?.returnNo ?? d?.orderNo ?? d?.shiftNo ?? d?.businessDay ?? inner?.receiptNo ?? inner?.returnNo;
  return typeof no === 'string' ? no : (row.refId ?? '');
};

export function jobView(row: PrintJobRow): PrintJobView {
  return {
    id: row.id,
    kind: row.kind,
    role: row.printerRole,
    status: row.status,
    waitReason: row.waitReason,
    isCopy: row.isCopy,
    attempts: row.attempts,
    createdAt: row.createdAt,
    printedAt: row.printedAt,
    refId: row.refId,
    title: jobTitle(row),
    needsDecision: row.status === 'failed',
  };
}

const q = prepared((db) => {
  const newest = [desc(printJobs.createdAt), desc(printJobs.id)];
  return {
    byId: db.select().from(printJobs).where(eq(printJobs.id, arg('id'))).prepare(),
    all: db.select().from(printJobs).orderBy(...newest).limit(arg('limit')).prepare(),
    attention: db
      .select()
      .from(printJobs)
      .where(inArray(printJobs.status, ['pending', 'failed', 'printing']))
      .orderBy(...newest)
      .limit(arg('limit'))
      .prepare(),
  };
});

/** The newest jobs, or only those waiting, printing or failed. */
export function recentJobs(till: Till, limit: number, attentionOnly: boolean): PrintJobView[] {
  return (attentionOnly ? q(till.db).attention : q(till.db).all).all({ limit }).map(jobView);
}

/** One job's row; a Chinese NOT_FOUND when there is none. */
export function jobRow(till: Till, id: string): PrintJobRow {
  const row = q(till.db).byId.get({ id });
  if (!row) throw new TillError('NOT_FOUND', '没有这个打印任务');
  return row;
}

/** The newest receipts saved by any virtual printer (configured now or the demo's). */
export async function virtualReceipts(till: Till, limit: number): Promise<VirtualReceipt[]> {
  const dirs = new Set([virtualRoot(till)]);
  for (const c of readDevices(till.db)) if (c.kind === 'printer' && c.driver.type === 'virtual') dirs.add(virtualDirOf(till, c.id));
  const all = [];
  for (const dir of dirs) all.push(...(await new VirtualPrinter({ dir }).list()));
  // Ids start with a UTC stamp (YYYYMMDD-HHMMSS), so they sort by time.
  all.sort((a, b) => (a.id < b.id ? 1 : -1));
  return Promise.all(
    all.slice(0, limit).map(async (j) => {
      const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(j.id);
      const at = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : 0;
      const text = await readFile(j.txt, 'utf8').catch(() => '');
      const png = j.png ? await readFile(j.png).then((b) => `data:image/png;base64,${b.toString('base64')}`, () => null) : null;
      return { id: j.id, at, text, png };
    }),
  );
}
