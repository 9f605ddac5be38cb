// Print jobs as the UI lists them (number, state, why it waits, whether a person must decide), and
// the receipts the virtual printers saved (text and picture).
import { readFile } from 'node:fs/promises';
import type { PrintJobView, VirtualReceipt } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import type { Till } from '../till/till';
import { readDevices, virtualDirOf, virtualRoot } from './config';
import type { PrintJobRow } from './print-queue';
import { VirtualPrinter } from './printer';
import type { ReceiptJobPayload } from './receipt/templates';

/** The receipt, return, order, shift or day number a job prints, for the list. */
export const jobTitle = (row: PrintJobRow): string => {
  try {
    const p = JSON.parse(row.payload) as ReceiptJobPayload;
    const d = (p as { data?: Record<string, unknown> }).data;
    const inner = (d?.original as { data?: Record<string, unknown> } | undefined)?.data;
    const no = d?.receiptNo ?? d?.returnNo ?? d?.orderNo ?? d?.shiftNo ?? d?.businessDay ?? inner?.receiptNo ?? inner?.returnNo;
    return typeof no === 'string' ? no : (row.ref_id ?? '');
  } catch {
    return row.ref_id ?? '';
  }
};

export function jobView(row: PrintJobRow): PrintJobView {
  return {
    id: row.id,
    kind: row.kind,
    role: row.printer_role,
    status: row.status,
    waitReason: row.wait_reason,
    isCopy: row.is_copy === 1,
    attempts: row.attempts,
    createdAt: row.created_at,
    printedAt: row.printed_at,
    refId: row.ref_id,
    title: jobTitle(row),
    needsDecision: row.status === 'failed',
  };
}

/** The newest jobs, or only those waiting, printing or failed. */
export function recentJobs(till: Till, limit: number, attentionOnly: boolean): PrintJobView[] {
  const rows = till.sqlite
    .prepare(
      attentionOnly
        ? `SELECT * FROM print_jobs WHERE status IN ('pending', 'failed', 'printing') ORDER BY created_at DESC, id DESC LIMIT ?`
        : `SELECT * FROM print_jobs ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .all(limit) as PrintJobRow[];
  return rows.map(jobView);
}

/** One job's row; a Chinese NOT_FOUND when there is none. */
export function jobRow(till: Till, id: string): PrintJobRow {
  const row = till.sqlite.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as PrintJobRow | undefined;
  if (!row) throw new TillError('NOT_FOUND', '没有这个打印任务');
  return row;
}

/** The newest receipts saved by any virtual printer (configured now or the demo's). */
export async function virtualReceipts(till: Till, limit: number): Promise<VirtualReceipt[]> {
  const dirs = new Set([virtualRoot(till)]);
  for (const c of readDevices(till.sqlite)) if (c.kind === 'printer' && c.driver.type === 'virtual') dirs.add(virtualDirOf(till, c.id));
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
