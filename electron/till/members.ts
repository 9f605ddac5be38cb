// Members, minimal: find one by phone to attach to a sale. The members issue adds cards, points
// and stored-value ledgers.
import { eq } from 'drizzle-orm';
import type { MemberBrief } from '../../shared/api/cart';
import { arg, prepared } from './prepared';
import { members } from './schema';
import type { Till } from './till';

/** 13812345678 -> 138****5678: what a screen or receipt shows. */
export const maskPhone = (phone: string): string =>
  phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone;

const toBrief = (r: typeof members.$inferSelect): MemberBrief => ({
  id: r.id,
  name: r.name,
  phone: maskPhone(r.phone),
  level: r.level,
  points: r.points,
  balanceFen: r.balanceFen,
});

const q = prepared((db) => ({
  byPhone: db.select().from(members).where(eq(members.phone, arg('phone'))).prepare(),
  byId: db.select().from(members).where(eq(members.id, arg('id'))).prepare(),
}));

export function memberByPhone(till: Till, phone: string): MemberBrief | null {
  const r = q(till.db).byPhone.get({ phone });
  return r ? toBrief(r) : null;
}

export function memberById(till: Till, id: string): MemberBrief | null {
  const r = q(till.db).byId.get({ id });
  return r ? toBrief(r) : null;
}
