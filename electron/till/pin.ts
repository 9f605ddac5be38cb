// PINs: the slow hash, the check, and the per-user count of wrong PINs with its lockout. Login
// (auth.ts) and manager approvals (approvals.ts) both count through recordPinFailure.
import { eq } from 'drizzle-orm';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { audit } from './audit';
import type { TillDb } from './db';
import { arg, argSql, prepared } from './prepared';
import { users } from './schema';
import type { Settings } from './settings';

// A PIN is short, so a slow hash matters: scrypt with N=2^14 costs ~30 ms per attempt, and the lockout
// bounds attempts per user.
const SCRYPT = { N: 1 << 14, r: 8, p: 1 };

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, SCRYPT);
  return `${salt.toString('hex')}:${hash.toString('hex')}`;
}

export function pinMatches(pin: string, stored: string): boolean {
  const [saltHex, hashHex] = stored.split(':');
  if (!saltHex || !hashHex) return false;
  const hash = scryptSync(pin, Buffer.from(saltHex, 'hex'), 32, SCRYPT);
  return timingSafeEqual(hash, Buffer.from(hashHex, 'hex'));
}

const q = prepared((db) => ({
  failures: db
    .update(users)
    .set({ failedAttempts: argSql('failures'), lockedUntil: argSql('lockedUntil') })
    .where(eq(users.id, arg('id')))
    .prepare(),
  cleared: db.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, arg('id'))).prepare(),
}));

/** A right PIN: the user's count of wrong ones starts again. */
export function clearPinFailures(db: TillDb, userId: string): void {
  q(db).cleared.run({ id: userId });
}

/**
 * One more wrong PIN for `user`: locks them for auth.lockoutMinutes at auth.maxPinFailures (audited
 * auth.locked). `target` says where the PIN was typed ('login', 'approve'). Call inside a transaction
 * with the audit row of the attempt, if any.
 */
export function recordPinFailure(
  db: TillDb,
  settings: Settings,
  user: { id: string; failedAttempts: number },
  target: string,
  at: number,
): { failures: number; locked: boolean } {
  const max = settings.get('auth.maxPinFailures');
  const failures = user.failedAttempts + 1;
  const locked = failures >= max;
  q(db).failures.run({ failures: locked ? 0 : failures, lockedUntil: locked ? at + settings.get('auth.lockoutMinutes') * 60_000 : null, id: user.id });
  if (locked) audit(db, { userId: user.id, action: 'auth.locked', target }, at);
  return { failures, locked };
}
