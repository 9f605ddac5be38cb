// The cash drawer. A cash sale opens it through its print job: the sale's transaction enqueues the
// receipt with `openDrawer` set and the print queue renders the kick (the device manager routes it
// to the configured printer pin or to a serial trigger box). When the receipt has to wait
// (缺纸 / 上盖打开) the drawer still opens at once — a real-time DLE DC4 pulse through the printer, or
// the trigger box — and the receipt prints later without its kick (print-queue.ts, "Drawer while
// waiting"); an offline printer gets nothing, so its job and drawer wait. A no-sale open needs a manager
// (their session, or a cashier with a single-use approval for 'drawer_open') and is audited with
// both users.
import type { SessionInfo } from '../../shared/api/auth';
import { ApprovalAction } from '../../shared/approvals';
import { audit } from '../till/audit';
import type { Till } from '../till/till';
import type { DeviceManager } from './manager';

export const DRAWER_APPROVAL = ApprovalAction.drawerOpen;

/**
 * No-sale drawer open. Without a manager nothing happens (no kick, no row). With one, the approval is
 * used up before the kick (one approval, one open) and the attempt is audited with both users,
 * also when the drawer could not be reached.
 */
export async function noSaleOpen(
  till: Till,
  devices: DeviceManager,
  o: { approval?: string; reason?: string },
): Promise<{ ok: true; via: string }> {
  const session: SessionInfo = till.auth.requireSession();
  const grant = till.auth.approvals.check(o.approval, {
    action: DRAWER_APPROVAL,
    subject: { kind: 'no_sale', reason: o.reason ?? null },
    summary: `不销售开钱箱${o.reason ? `（${o.reason}）` : ''}`,
    message: '开钱箱需要店长授权（输入店长 PIN）',
  });
  till.auth.approvals.spend(grant); // spent before the kick: one approval, one open
  const { approverId } = grant;
  const entry = { userId: session.userId, approverId, reason: o.reason ?? null };
  try {
    const { via } = await devices.openDrawer();
    audit(till.db, { userId: entry.userId, approverId, action: 'drawer.no_sale', details: { via, reason: entry.reason } }, till.now());
    return { ok: true, via };
  } catch (e) {
    audit(
      till.db,
      { userId: entry.userId, approverId, action: 'drawer.no_sale_failed', details: { reason: entry.reason, error: (e as Error).message } },
      till.now(),
    );
    throw e;
  }
}
