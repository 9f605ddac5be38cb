// Members across the online shops, in the till's database: platform customers pulled by update time
// (one row per platform id, an older copy arriving late is ignored), linked to local members by phone
// where exactly one matches on each side, anything else left for a person on the review list, and a
// points ledger per platform whose entries are only ever added or acknowledged. Runs on either
// connection (the sync worker's or the till's); every write is one IMMEDIATE transaction.
import { and, eq } from 'drizzle-orm';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { audit } from '../till/audit';
import type { TillDb } from '../till/db';
import { memberLinks, memberPointsLedger, members, platformCustomers } from '../till/schema';
import type { PlatformCustomer, PlatformPointsEntry } from './members-connector';
import { normalizePhone } from './members-phone';
import { getCursor, setCursor } from './relay-store';

export const customersCursorName = (platform: string): string => `members.${platform}`;
export const pointsCursorName = (platform: string): string => `points.${platform}`;

function tx<T>(db: TillDb, f: () => T): T {
  return db.$client.transaction(f).immediate();
}

/** Upserts pulled customers (not older than the stored copy), links the new matches, moves the cursor — one transaction. */
export function storeCustomers(db: TillDb, platform: string, customers: PlatformCustomer[], now: number, cursorTo: number): { inserted: number; updated: number; linked: number } {
  return tx(db, () => {
    let inserted = 0;
    let updated = 0;
    for (const c of customers) {
      const have = db
        .select({ u: platformCustomers.platformUpdatedAt })
        .from(platformCustomers)
        .where(and(eq(platformCustomers.platform, platform), eq(platformCustomers.customerId, c.customerId)))
        .get();
      const values = { phone: c.phone, name: c.name, level: c.level, points: c.points, platformUpdatedAt: c.updatedAt, fetchedAt: now };
      if (!have) {
        db.insert(platformCustomers).values({ platform, customerId: c.customerId, firstSeenAt: now, ...values }).run();
        inserted++;
      } else if (c.updatedAt >= have.u) {
        // >=: times are whole seconds, so a second change within the same second must still be taken.
        db.update(platformCustomers).set(values).where(and(eq(platformCustomers.platform, platform), eq(platformCustomers.customerId, c.customerId))).run();
        updated++;
      }
    }
    const linked = autoMatch(db, platform, now);
    setCursor(db, customersCursorName(platform), Math.max(getCursor(db, customersCursorName(platform)) ?? 0, cursorTo), now);
    return { inserted, updated, linked };
  });
}

interface Candidates {
  /** Local members by normalized phone. */
  local: Map<string, string[]>;
  /** This platform's customers by normalized phone. */
  online: Map<string, string[]>;
  linkedMembers: Set<string>;
  linkedCustomers: Set<string>;
}

function candidates(db: TillDb, platform: string): Candidates {
  const push = (m: Map<string, string[]>, k: string | null, v: string) => k && m.set(k, [...(m.get(k) ?? []), v]);
  const local = new Map<string, string[]>();
  for (const m of db.select({ id: members.id, phone: members.phone }).from(members).all()) push(local, normalizePhone(m.phone), m.id);
  const online = new Map<string, string[]>();
  for (const c of db.select({ id: platformCustomers.customerId, phone: platformCustomers.phone }).from(platformCustomers).where(eq(platformCustomers.platform, platform)).all())
    push(online, c.phone, c.id);
  const links = db.select().from(memberLinks).where(eq(memberLinks.platform, platform)).all();
  return { local, online, linkedMembers: new Set(links.map((l) => l.memberId)), linkedCustomers: new Set(links.map((l) => l.customerId)) };
}

/** Links every unlinked customer whose phone matches exactly one local member and no other customer. */
export function autoMatch(db: TillDb, platform: string, now: number): number {
  const c = candidates(db, platform);
  let n = 0;
  const open = db
    .select({ id: platformCustomers.customerId, phone: platformCustomers.phone })
    .from(platformCustomers)
    .where(and(eq(platformCustomers.platform, platform), eq(platformCustomers.autoLink, true)))
    .all();
  for (const o of open) {
    if (!o.phone || c.linkedCustomers.has(o.id)) continue;
    const locals = c.local.get(o.phone) ?? [];
    if (locals.length !== 1 || (c.online.get(o.phone) ?? []).length !== 1 || c.linkedMembers.has(locals[0])) continue;
    db.insert(memberLinks).values({ platform, customerId: o.id, memberId: locals[0], matchedBy: 'phone', linkedBy: null, createdAt: now }).run();
    c.linkedMembers.add(locals[0]);
    n++;
  }
  return n;
}

export interface ReviewCustomer {
  platform: string;
  customerId: string;
  name: string;
  phone: string | null;
  level: string | null;
  points: number | null;
}
export interface ReviewMember {
  memberId: string;
  name: string;
  phone: string;
}

export interface MemberReview {
  linked: (ReviewCustomer & { member: ReviewMember; matchedBy: 'phone' | 'manual' })[];
  /** Platform customers no local member matches (or one a manager unlinked). */
  unmatched: ReviewCustomer[];
  /** A phone shared by more than one member or customer: a person decides. */
  ambiguous: (ReviewCustomer & { candidates: ReviewMember[] })[];
}

export function reviewList(db: TillDb): MemberReview {
  const all = db.select().from(platformCustomers).orderBy(platformCustomers.platform, platformCustomers.firstSeenAt, platformCustomers.customerId).all();
  const memberRows = new Map(db.select({ memberId: members.id, name: members.name, phone: members.phone }).from(members).all().map((m) => [m.memberId, m]));
  const links = new Map(db.select().from(memberLinks).all().map((l) => [`${l.platform}:${l.customerId}`, l]));
  const byPlatform = new Map<string, Candidates>();
  const out: MemberReview = { linked: [], unmatched: [], ambiguous: [] };
  for (const c of all) {
    const base: ReviewCustomer = { platform: c.platform, customerId: c.customerId, name: c.name, phone: c.phone, level: c.level, points: c.points };
    const link = links.get(`${c.platform}:${c.customerId}`);
    if (link) {
      const m = memberRows.get(link.memberId);
      if (m) out.linked.push({ ...base, member: m, matchedBy: link.matchedBy });
      continue;
    }
    let cand = byPlatform.get(c.platform);
    if (!cand) byPlatform.set(c.platform, (cand = candidates(db, c.platform)));
    const locals = c.phone && c.autoLink ? (cand.local.get(c.phone) ?? []) : [];
    const sharing = c.phone ? (cand.online.get(c.phone) ?? []).length : 0;
    if (locals.length > 1 || (locals.length === 1 && sharing > 1)) out.ambiguous.push({ ...base, candidates: locals.map((id) => memberRows.get(id)!).filter(Boolean) });
    else out.unmatched.push(base);
  }
  return out;
}

/** A manager links a member to a platform customer by hand (audited). A link already there on either side is refused. */
export function linkByHand(db: TillDb, p: { platform: string; customerId: string; memberId: string; by: string }, now: number): void {
  tx(db, () => {
    const c = db.select().from(platformCustomers).where(and(eq(platformCustomers.platform, p.platform), eq(platformCustomers.customerId, p.customerId))).get();
    if (!c) throw new TillError('MEMBER_LINK_UNKNOWN', '找不到这个线上客户，请先同步');
    const m = db.select({ id: members.id }).from(members).where(eq(members.id, p.memberId)).get();
    if (!m) throw new TillError('MEMBER_LINK_UNKNOWN', '找不到这个会员');
    const taken = db
      .select()
      .from(memberLinks)
      .where(and(eq(memberLinks.platform, p.platform), eq(memberLinks.customerId, p.customerId)))
      .get();
    if (taken) throw new TillError('MEMBER_LINK_TAKEN', taken.memberId === p.memberId ? '已经关联过了' : '这个线上客户已关联其他会员，请先解除');
    const other = db.select().from(memberLinks).where(and(eq(memberLinks.platform, p.platform), eq(memberLinks.memberId, p.memberId))).get();
    if (other) throw new TillError('MEMBER_LINK_TAKEN', '这个会员在该平台已关联其他客户，请先解除');
    db.insert(memberLinks).values({ platform: p.platform, customerId: p.customerId, memberId: p.memberId, matchedBy: 'manual', linkedBy: p.by, createdAt: now }).run();
    db.update(platformCustomers).set({ autoLink: true }).where(and(eq(platformCustomers.platform, p.platform), eq(platformCustomers.customerId, p.customerId))).run();
    audit(db, { userId: p.by, action: 'member.link', target: p.memberId, details: { platform: p.platform, customerId: p.customerId } }, now);
  });
}

/** A manager unlinks (audited); the customer is not matched by phone again until linked by hand. */
export function unlinkByHand(db: TillDb, p: { platform: string; customerId: string; by: string }, now: number): void {
  tx(db, () => {
    const link = db.select().from(memberLinks).where(and(eq(memberLinks.platform, p.platform), eq(memberLinks.customerId, p.customerId))).get();
    if (!link) throw new TillError('MEMBER_LINK_UNKNOWN', '这个线上客户没有关联会员');
    db.delete(memberLinks).where(and(eq(memberLinks.platform, p.platform), eq(memberLinks.customerId, p.customerId))).run();
    db.update(platformCustomers).set({ autoLink: false }).where(and(eq(platformCustomers.platform, p.platform), eq(platformCustomers.customerId, p.customerId))).run();
    audit(db, { userId: p.by, action: 'member.unlink', target: link.memberId, details: { platform: p.platform, customerId: p.customerId, matchedBy: link.matchedBy } }, now);
  });
}

/**
 * A manager makes an online customer a shop member (a new online customer with no member at the
 * counter yet): the member takes the customer's phone and name and is linked at once (audited).
 */
export function createMemberFrom(db: TillDb, p: { platform: string; customerId: string; by: string }, now: number): string {
  return tx(db, () => {
    const c = db.select().from(platformCustomers).where(and(eq(platformCustomers.platform, p.platform), eq(platformCustomers.customerId, p.customerId))).get();
    if (!c) throw new TillError('MEMBER_LINK_UNKNOWN', '找不到这个线上客户，请先同步');
    if (!c.phone) throw new TillError('MEMBER_NO_PHONE', '这个线上客户没有手机号，不能建为会员');
    const linked = db.select().from(memberLinks).where(and(eq(memberLinks.platform, p.platform), eq(memberLinks.customerId, p.customerId))).get();
    if (linked) throw new TillError('MEMBER_LINK_TAKEN', '这个线上客户已关联会员');
    const samePhone = db.select({ id: members.id, phone: members.phone }).from(members).all().filter((m) => normalizePhone(m.phone) === c.phone);
    if (samePhone.length > 0) throw new TillError('MEMBER_PHONE_EXISTS', '本店已有这个手机号的会员，请直接关联');
    const id = newId();
    db.insert(members).values({ id, phone: c.phone, name: c.name.trim() || `会员${c.phone.slice(-4)}`, createdAt: now }).run();
    db.insert(memberLinks).values({ platform: p.platform, customerId: p.customerId, memberId: id, matchedBy: 'manual', linkedBy: p.by, createdAt: now }).run();
    db.update(platformCustomers).set({ autoLink: true }).where(and(eq(platformCustomers.platform, p.platform), eq(platformCustomers.customerId, p.customerId))).run();
    audit(db, { userId: p.by, action: 'member.create_from_online', target: id, details: { platform: p.platform, customerId: p.customerId } }, now);
    return id;
  });
}

export interface OnlineMembership {
  platform: string;
  customerId: string;
  name: string;
  level: string | null;
  /** The platform's figure as last pulled, plus every ledger entry that came after it (pending ones too). */
  points: number | null;
  /** Points sent from the counter that the platform has not acknowledged yet. */
  pendingPoints: number;
  fetchedAt: number;
}

/** What the checkout's member lookup shows: the member's online points and level on each linked platform. */
export function forMember(db: TillDb, memberId: string): OnlineMembership[] {
  const rows = db
    .select({ c: platformCustomers })
    .from(memberLinks)
    .innerJoin(platformCustomers, and(eq(platformCustomers.platform, memberLinks.platform), eq(platformCustomers.customerId, memberLinks.customerId)))
    .where(eq(memberLinks.memberId, memberId))
    .orderBy(memberLinks.platform)
    .all();
  return rows.map(({ c }) => {
    const entries = db
      .select()
      .from(memberPointsLedger)
      .where(and(eq(memberPointsLedger.platform, c.platform), eq(memberPointsLedger.customerId, c.customerId)))
      .all();
    let after = 0;
    let pending = 0;
    for (const e of entries) {
      if (e.state === 'refused') continue;
      if (e.state === 'pending') pending += e.delta;
      // An entry the snapshot cannot have seen yet: still pending, acknowledged after it, or logged after it.
      const at = e.state === 'pending' ? Infinity : e.source === 'counter' ? (e.appliedAt ?? Infinity) : e.occurredAt;
      if (at > c.fetchedAt) after += e.delta;
    }
    return { platform: c.platform, customerId: c.customerId, name: c.name, level: c.level, points: c.points === null ? null : c.points + after, pendingPoints: pending, fetchedAt: c.fetchedAt };
  });
}

/**
 * Points earned or spent at the counter for a linked member, to be sent to the platform with `bizValue`
 * as its idempotency key (the members issue calls this inside the sale's transaction). The same
 * bizValue again is the same entry (nothing doubles).
 */
export function recordCounterPoints(db: TillDb, p: { memberId: string; platform: string; delta: number; reason: string; bizValue: string }, now: number): boolean {
  if (!Number.isInteger(p.delta) || p.delta === 0) throw new TillError('BAD_INPUT', '积分变动必须是非零整数');
  const link = db.select().from(memberLinks).where(and(eq(memberLinks.platform, p.platform), eq(memberLinks.memberId, p.memberId))).get();
  if (!link) throw new TillError('MEMBER_LINK_UNKNOWN', '这个会员没有关联该平台的客户');
  const r = db
    .insert(memberPointsLedger)
    .values({ platform: p.platform, entryId: `biz:${p.bizValue}`, customerId: link.customerId, memberId: p.memberId, delta: p.delta, reason: p.reason, source: 'counter', state: 'pending', occurredAt: now, createdAt: now })
    .onConflictDoNothing()
    .run();
  return r.changes > 0;
}

export interface PendingPoints {
  entryId: string;
  bizValue: string;
  customerId: string;
  phone: string | null;
  delta: number;
  reason: string;
  attempts: number;
}

export function pendingPoints(db: TillDb, platform: string, limit = 50): PendingPoints[] {
  return db
    .select({ e: memberPointsLedger, phone: platformCustomers.phone })
    .from(memberPointsLedger)
    .leftJoin(platformCustomers, and(eq(platformCustomers.platform, memberPointsLedger.platform), eq(platformCustomers.customerId, memberPointsLedger.customerId)))
    .where(and(eq(memberPointsLedger.platform, platform), eq(memberPointsLedger.state, 'pending')))
    .orderBy(memberPointsLedger.createdAt, memberPointsLedger.entryId)
    .limit(limit)
    .all()
    .map(({ e, phone }) => ({ entryId: e.entryId, bizValue: e.entryId.slice(4), customerId: e.customerId, phone, delta: e.delta, reason: e.reason, attempts: e.attempts }));
}

/** The platform acknowledged the entry (applied now or before): state only, the delta is never touched. */
export function settlePoints(db: TillDb, platform: string, entryId: string, result: { ok: true } | { ok: false; refused: boolean; error: string }, now: number): void {
  const where = and(eq(memberPointsLedger.platform, platform), eq(memberPointsLedger.entryId, entryId), eq(memberPointsLedger.state, 'pending'));
  tx(db, () => {
    const e = db.select({ attempts: memberPointsLedger.attempts }).from(memberPointsLedger).where(where).get();
    if (!e) return;
    if (result.ok) db.update(memberPointsLedger).set({ state: 'applied', appliedAt: now, attempts: e.attempts + 1, lastError: null }).where(where).run();
    else db.update(memberPointsLedger).set({ state: result.refused ? 'refused' : 'pending', attempts: e.attempts + 1, lastError: result.error }).where(where).run();
  });
}

/**
 * Merges the platform's points log: an entry already known (by its log id) is skipped; one carrying a
 * biz_value the counter sent is that counter entry (acknowledged, its delta kept); any other is added.
 * Nothing is overwritten, so a conflict keeps both sides' points. Moves the cursor in the same transaction.
 */
export function mergePointsLog(db: TillDb, platform: string, entries: PlatformPointsEntry[], now: number, cursorTo: number): { added: number; matched: number } {
  return tx(db, () => {
    let added = 0;
    let matched = 0;
    for (const e of entries) {
      const known = db
        .select({ id: memberPointsLedger.entryId })
        .from(memberPointsLedger)
        .where(and(eq(memberPointsLedger.platform, platform), eq(memberPointsLedger.platformEntryId, e.logId)))
        .get();
      if (known) continue;
      if (e.bizValue) {
        const ours = db
          .select()
          .from(memberPointsLedger)
          .where(and(eq(memberPointsLedger.platform, platform), eq(memberPointsLedger.entryId, `biz:${e.bizValue}`)))
          .get();
        if (ours) {
          db.update(memberPointsLedger)
            .set({ platformEntryId: e.logId, state: ours.state === 'refused' ? 'refused' : 'applied', appliedAt: ours.appliedAt ?? now })
            .where(and(eq(memberPointsLedger.platform, platform), eq(memberPointsLedger.entryId, ours.entryId)))
            .run();
          matched++;
          continue;
        }
      }
      const member = db.select({ id: memberLinks.memberId }).from(memberLinks).where(and(eq(memberLinks.platform, platform), eq(memberLinks.customerId, e.customerId))).get();
      db.insert(memberPointsLedger)
        .values({
          platform,
          entryId: `log:${e.logId}`,
          customerId: e.customerId,
          memberId: member?.id ?? null,
          delta: e.delta,
          reason: e.reason,
          source: 'platform',
          state: 'applied',
          platformEntryId: e.logId,
          occurredAt: e.at,
          appliedAt: e.at,
          createdAt: now,
        })
        .onConflictDoNothing()
        .run();
      added++;
    }
    setCursor(db, pointsCursorName(platform), Math.max(getCursor(db, pointsCursorName(platform)) ?? 0, cursorTo), now);
    return { added, matched };
  });
}

/** Every ledger entry of a member on one platform, oldest first (for a test, or a member's history). */
export function pointsLedger(db: TillDb, platform: string, customerId: string): (typeof memberPointsLedger.$inferSelect)[] {
  return db
    .select()
    .from(memberPointsLedger)
    .where(and(eq(memberPointsLedger.platform, platform), eq(memberPointsLedger.customerId, customerId)))
    .orderBy(memberPointsLedger.occurredAt, memberPointsLedger.entryId)
    .all();
}
