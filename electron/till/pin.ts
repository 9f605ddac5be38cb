// PINs: the slow hash, the check, and the per-user count of wrong PINs with its lockout. Login
// (auth.ts) and manager approvals (approvals.ts) both count through recordPinFailure.
import type Database from 'better-sqlite3';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { audit } from './audit';
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

/**
 * One more wrong PIN for `user`: locks them for auth.lockoutMinutes at auth.maxPinFailures (audited
 * auth.locked). `target` says where the PIN was typed ('login', 'approve'). Call inside a transaction
 * with the audit row of the attempt, if any.
 */
export function recordPinFailure(
  sqlite: Database.Database,
  settings: Settings,
  user: { id: string; failed_attempts: number },
  target: string,
  at: number,
): { failures: number; locked: boolean } {
  const max = settings.get('auth.maxPinFailures');
  const failures = user.failed_attempts + 1;
  const locked = failures >= max;
  sqlite
    .prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?')
    .run(locked ? 0 : failures, locked ? at + settings.get('auth.lockoutMinutes') * 60_000 : null, user.id);
  if (locked) audit(sqlite, { userId: user.id, action: 'auth.locked', target }, at);
  return { failures, locked };
}
