// Members, minimal: find one by phone to attach to a sale. The members issue adds cards, points
// and stored-value ledgers.
import type { MemberBrief } from '../../shared/api/cart';
import type { Till } from './till';

interface MemberRow {
  id: string;
  phone: string;
  name: string;
  level: string;
  points: number;
  balance_fen: number;
}

/** 13812345678 -> 138****5678: what a screen or receipt shows. */
export const maskPhone = (phone: string): string =>
  phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone;

const toBrief = (r: MemberRow): MemberBrief => ({
  id: r.id,
  name: r.name,
  phone: maskPhone(r.phone),
  level: r.level,
  points: r.points,
  balanceFen: r.balance_fen,
});

export function memberByPhone(till: Till, phone: string): MemberBrief | null {
  const r = till.stmt('SELECT * FROM members WHERE phone = ?').get(phone) as MemberRow | undefined;
  return r ? toBrief(r) : null;
}

export function memberById(till: Till, id: string): MemberBrief | null {
  const r = till.stmt('SELECT * FROM members WHERE id = ?').get(id) as MemberRow | undefined;
  return r ? toBrief(r) : null;
}
