// One members round for a platform (the sync engine runs it with each order poll): counter points
// sent first (each with its biz_value, so a replay after a lost answer is applied once), then new and
// changed customers and the points log, each by update time with the poll's overlap window, stored
// once per platform id with the cursor in the same transaction.
import type { TillDb } from '../till/db';
import { SyncError } from './connector';
import type { MemberConnector } from './members-connector';
import { customersCursorName, mergePointsLog, pendingPoints, pointsCursorName, settlePoints, storeCustomers } from './members';
import type { PollPolicy } from './orders';
import { getCursor } from './relay-store';

export interface MembersRound {
  pointsSent: number;
  pointsRefused: number;
  customers: { fetched: number; inserted: number; updated: number; linked: number };
  pointsLog: { fetched: number; added: number; matched: number };
  /** Pulls the platform refused (an app without the customer APIs): members wait, stock and orders go on. */
  refused: string[];
}

/** A refusal of a members pull is kept to the members (null); anything else (down, limited, token) is the platform's and is rethrown. */
async function unlessRefused<T>(p: Promise<T>, refused: string[]): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof SyncError && e.kind === 'refused') {
      refused.push(`${e.code}: ${e.message}`);
      return null;
    }
    throw e;
  }
}

/** Sends pending counter points; stops at the first failure that is not a refusal of that one entry (it rethrows it). */
export async function pushPoints(db: TillDb, mc: MemberConnector, now: () => number): Promise<{ sent: number; refused: number }> {
  let sent = 0;
  let refused = 0;
  for (const p of pendingPoints(db, mc.platform)) {
    try {
      if (!p.phone) throw new SyncError('refused', 'NO_PHONE', '线上客户没有手机号，无法同步积分');
      await mc.changePoints({ customerId: p.customerId, phone: p.phone, delta: p.delta, bizValue: p.bizValue, reason: p.reason });
      settlePoints(db, mc.platform, p.entryId, { ok: true }, now());
      sent++;
    } catch (e) {
      const err = e instanceof SyncError ? e : new SyncError('retry', 'INTERNAL', (e as Error).message);
      settlePoints(db, mc.platform, p.entryId, { ok: false, refused: err.kind === 'refused', error: `${err.code}: ${err.message}` }, now());
      if (err.kind !== 'refused') throw err;
      refused++;
    }
  }
  return { sent, refused };
}

export async function membersRound(db: TillDb, mc: MemberConnector, policy: PollPolicy, now: () => number): Promise<MembersRound> {
  const points = await pushPoints(db, mc, now);
  const windowOf = (cursor: number | null, until: number) => ({ sinceMs: cursor === null ? until - policy.firstLookbackMs : cursor - policy.overlapMs, untilMs: until });

  const refused: string[] = [];
  const until1 = now();
  // The first pull takes every customer, however old (those already online are matched too); the
  // points log only needs what came after the balances it is added to.
  const customerCursor = getCursor(db, customersCursorName(mc.platform));
  const customers = await unlessRefused(mc.pullCustomers(customerCursor === null ? { sinceMs: 0, untilMs: until1 } : windowOf(customerCursor, until1)), refused);
  const stored = customers ? storeCustomers(db, mc.platform, customers, now(), until1) : { inserted: 0, updated: 0, linked: 0 };

  const until2 = now();
  const log = await unlessRefused(mc.pullPointsLog(windowOf(getCursor(db, pointsCursorName(mc.platform)), until2)), refused);
  const merged = log ? mergePointsLog(db, mc.platform, log, now(), until2) : { added: 0, matched: 0 };
  return { pointsSent: points.sent, pointsRefused: points.refused, customers: { fetched: customers?.length ?? 0, ...stored }, pointsLog: { fetched: log?.length ?? 0, ...merged }, refused };
}
