// Whose cart it is. A cart belongs to the user who rings it up (carts.user_id): the active cart is
// only ever the logged-in user's, and a held cart keeps its owner until someone recalls it.
//
// - Logging out with items holds the cart under its owner (the screen asks 挂单 or 作废 first; a
//   logout through the API that did not ask holds it the same way). Never refused: a till stuck in
//   the cashier's session because the held list is full would be worse, so the hold limit
//   (checkout.maxHeldCarts) does not apply here. Audited as cart.hold with the reason.
// - A session that ended without a logout (the process was killed, the database restored) leaves
//   the cart active with its owner: the same user logging in again carries on with it; anyone else
//   finds it held under its owner (set aside at their login, and again by activeCart whatever the
//   path), audited the same way. So a manager never rings up, reprices or pays a cashier's lines.
// - 取单: a cashier sees and recalls their own held carts; a manager or owner sees and recalls all —
//   they cover for cashiers (a customer comes back after the cashier's shift ended, a cashier went
//   home with carts still held) and clear stale ones. Taking over another user's cart is audited.
import { and, eq, sql } from 'drizzle-orm';
import type { SessionInfo } from '../../shared/api/auth';
import type { CartView } from '../../shared/api/cart';
import { ROLE_RANK } from '../../shared/api/endpoint';
import { TillError } from '../../shared/errors';
import { priceCart } from '../../shared/pricing';
import { audit } from './audit';
import { arg, argSql, prepared } from './prepared';
import { carts, users } from './schema';
import type { Till } from './till';

/** Why a cart was held without its owner pressing 挂单. */
export type AutoHoldReason = 'logout' | 'session_ended';

/** Managers and owners see every held cart; a cashier only their own. */
export const seesAllHeld = (s: SessionInfo): boolean => ROLE_RANK[s.role] >= ROLE_RANK.manager;

const q = prepared((db) => ({
  active: db
    .select({ id: carts.id, userId: carts.userId, lines: sql<number>`json_array_length(${carts.data}, '$.lines')` })
    .from(carts)
    .where(eq(carts.status, 'active'))
    .limit(1)
    .prepare(),
  heldOwner: db
    .select({ userId: carts.userId, userName: users.name })
    .from(carts)
    .innerJoin(users, eq(users.id, carts.userId))
    .where(and(eq(carts.id, arg('id')), eq(carts.status, 'held')))
    .prepare(),
  remove: db.delete(carts).where(eq(carts.id, arg('id'))).prepare(),
  hold: db
    .update(carts)
    .set({ status: 'held', heldAt: argSql('at'), updatedAt: argSql('at') })
    .where(and(eq(carts.id, arg('id')), eq(carts.status, 'active')))
    .prepare(),
}));

/**
 * Takes the active cart out of the way: held under its owner when it has lines (audited), removed
 * when empty. The caller runs it in its transaction or alone (it is its own).
 */
export function setAside(till: Till, cart: { id: string; userId: string; lines: number }, reason: AutoHoldReason, by: string | null): void {
  till.tx(() => {
    if (!cart.lines) {
      q(till.db).remove.run({ id: cart.id });
      return;
    }
    const at = till.now();
    q(till.db).hold.run({ id: cart.id, at });
    audit(till.sqlite, { userId: cart.userId, action: 'cart.hold', target: cart.id, details: { reason, lines: cart.lines, ...(by && by !== cart.userId ? { foundBy: by } : {}) } }, at);
  });
  // The customer display stops showing a cart that is put away (its feed follows 'cart').
  if (cart.lines) till.events.emit('cart', noCart(till));
}

/** What the 'cart' event says when no cart is being rung up. */
const noCart = (till: Till): CartView => ({
  id: '',
  version: 0,
  lines: [],
  priced: priceCart({ lines: [], rounding: till.settings.get('checkout.rounding') }),
  member: null,
  subtotaled: false,
  focusLineId: null,
  heldCount: 0,
});

/** The active cart when it is not `session`'s own (to be set aside before the session uses the till). */
export function foreignActive(till: Till, session: SessionInfo | null): { id: string; userId: string; lines: number } | null {
  const row = q(till.db).active.get();
  return row && row.userId !== session?.userId ? row : null;
}

/** After a login: another user's cart left active (a session that ended without logout) is set aside. */
export function settleAtLogin(till: Till): void {
  const session = till.auth.requireSession();
  const other = foreignActive(till, session);
  if (other) setAside(till, other, 'session_ended', session.userId);
}

/** Logout: the user's cart is held under them (the screen has asked 挂单 / 作废 already), then the session ends. */
export function logout(till: Till): void {
  const cart = q(till.db).active.get();
  if (cart && till.auth.session) setAside(till, cart, 'logout', till.auth.session.userId);
  till.auth.logout();
}

/**
 * Refuses to recall a held cart `session` may not take (another cashier's); returns its owner.
 * A manager taking over someone's cart is audited by the caller.
 */
export function checkRecall(till: Till, session: SessionInfo, heldId: string): { userId: string; userName: string } {
  const owner = q(till.db).heldOwner.get({ id: heldId });
  if (!owner) throw new TillError('UNKNOWN_HELD', '该挂单不存在（可能已被取走）');
  if (owner.userId !== session.userId && !seesAllHeld(session)) {
    throw new TillError('NOT_YOUR_CART', `这是${owner.userName}的挂单：请由${owner.userName}本人或店长取单`);
  }
  return owner;
}
