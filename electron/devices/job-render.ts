// A print job's document and bytes as the printer of its role prints it: that printer's paper, the
// template settings in force, the 重印 mark on a copy, and the drawer kick routed to where the
// drawer is (drawer-route.ts), or left out when the drawer was opened while the job waited.
import type { Till } from '../till/till';
import type { DrawerRouting } from './drawer-route';
import type { Fleet } from './fleet';
import { markCopy, withoutDrawer, type PrintJobRow } from './print-queue';
import { readReceiptSettings, templateSettings } from './receipt-settings';
import type { ReceiptDocument } from './receipt/document';
import { renderEscpos } from './receipt/escpos';
import { buildDocument, formatTime, type ReceiptJobPayload } from './receipt/templates';

/** The job's document as the printer of its role prints it (paper, template settings, drawer). */
export function jobDocument(
  till: Till,
  fleet: Fleet,
  payload: ReceiptJobPayload,
  row: Pick<PrintJobRow, 'printerRole' | 'isCopy' | 'createdAt'>,
  paper?: 58 | 80,
): ReceiptDocument {
  const p = paper ?? fleet.printerFor(row.printerRole)?.config.paper ?? 80;
  const settings = templateSettings(till, readReceiptSettings(till), p);
  const pl = (payload.settings ? { ...payload, settings: { ...payload.settings, paper: p } } : payload) as ReceiptJobPayload;
  let doc = buildDocument(pl, settings);
  if (row.isCopy && pl.template !== 'reprint') doc = markCopy(doc, formatTime(row.createdAt, settings.timeZone));
  return doc;
}

/** The queue's renderer: the job's bytes, its kick routed (or dropped when opened while it waited). */
export function renderJob(till: Till, fleet: Fleet, drawers: DrawerRouting, payload: ReceiptJobPayload, row: PrintJobRow): Buffer {
  let doc = jobDocument(till, fleet, payload, row);
  if (row.drawerOpenedAt) doc = withoutDrawer(doc);
  return renderEscpos(drawers.routeKick(doc, row));
}
