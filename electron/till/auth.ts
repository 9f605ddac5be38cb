// Login by PIN, lockout after repeated failures, the session, and on-the-spot manager approvals.
// All of it lives in the main process: the UI only asks.
import type Database from 'better-sqlite3';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Approval, LoginUser, SessionInfo } from '../../shared/api/auth';
import { ROLE_RANK, type Role } from '../../shared/api/endpoint';
import { TillError } from '../../shared/errors';
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

interface UserRow {
  id: string;
  name: string;
  role_id: Role;
  pin_hash: string;
  failed_attempts: number;
  locked_until: number | null;
  active: number;
}

const APPROVAL_TTL_MS = 2 * 60_000;

export class Auth {
  session: SessionInfo | null = null;
  private readonly approvals = new Map<string, Approval>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly settings: Settings,
    private readonly now: () => number,
    private readonly onSession: (s: SessionInfo | null) => void,
  ) {}

  users(): LoginUser[] {
    const rows = this.sqlite
      .prepare(
        `SELECT u.id, u.name, u.role_id, u.locked_until FROM users u JOIN roles r ON r.id = u.role_id
         WHERE u.active = 1 ORDER BY r.rank, u.name`,
      )
      .all() as Pick<UserRow, 'id' | 'name' | 'role_id' | 'locked_until'>[];
    const t = this.now();
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role_id, locked: (r.locked_until ?? 0) > t }));
  }

  /** Checks a PIN, counting failures and locking the user out after too many. */
  private verify(userId: string, pin: string, action: string): UserRow {
    const user = this.sqlite.prepare('SELECT * FROM users WHERE id = ? AND active = 1').get(userId) as
      | UserRow
      | undefined;
    if (!user) throw new TillError('UNKNOWN_USER', '用户不存在或已停用');
    const t = this.now();
    if (user.locked_until && user.locked_until > t) {
      const minutes = Math.ceil((user.locked_until - t) / 60_000);
      throw new TillError('LOCKED', `PIN 错误次数过多，已锁定，请 ${minutes} 分钟后再试`);
    }
    if (pinMatches(pin, user.pin_hash)) {
      if (user.failed_attempts) {
        this.sqlite.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(userId);
      }
      return user;
    }
    const max = this.settings.get('auth.maxPinFailures');
    const failures = user.failed_attempts + 1;
    const lock = failures >= max;
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?')
        .run(lock ? 0 : failures, lock ? t + this.settings.get('auth.lockoutMinutes') * 60_000 : null, userId);
      audit(this.sqlite, { userId, action: lock ? 'auth.locked' : 'auth.bad_pin', target: action }, t);
    })();
    if (lock) {
      throw new TillError('LOCKED', `PIN 连续错误 ${max} 次，已锁定 ${this.settings.get('auth.lockoutMinutes')} 分钟`);
    }
    throw new TillError('BAD_PIN', `PIN 错误，还可再试 ${max - failures} 次`);
  }

  login(userId: string, pin: string): SessionInfo {
    const user = this.verify(userId, pin, 'login');
    this.session = { userId: user.id, name: user.name, role: user.role_id, loggedInAt: this.now() };
    audit(this.sqlite, { userId: user.id, action: 'auth.login' }, this.now());
    this.onSession(this.session);
    return this.session;
  }

  logout(): void {
    if (this.session) audit(this.sqlite, { userId: this.session.userId, action: 'auth.logout' }, this.now());
    this.session = null;
    this.approvals.clear();
    this.onSession(null);
  }

  requireSession(): SessionInfo {
    if (!this.session) throw new TillError('NOT_LOGGED_IN', '请先登录');
    return this.session;
  }

  /**
   * A manager types their PIN on the cashier's screen to approve one action. The manager is found by
   * PIN among users of rank manager or above, so the cashier does not have to pick a name.
   */
  approve(pin: string, action: string): Approval {
    this.requireSession();
    const managers = this.sqlite
      .prepare(
        `SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE u.active = 1 AND r.rank >= ?`,
      )
      .all(ROLE_RANK.manager) as { id: string }[];
    const t = this.now();
    for (const m of managers) {
      const row = this.sqlite.prepare('SELECT pin_hash, locked_until FROM users WHERE id = ?').get(m.id) as UserRow;
      if ((row.locked_until ?? 0) > t) continue;
      if (pinMatches(pin, row.pin_hash)) {
        const user = this.verify(m.id, pin, action);
        const approval: Approval = {
          token: randomBytes(16).toString('hex'),
          approverId: user.id,
          approverName: user.name,
          action,
          expiresAt: t + APPROVAL_TTL_MS,
        };
        this.approvals.set(approval.token, approval);
        return approval;
      }
    }
    audit(this.sqlite, { userId: this.session!.userId, action: 'auth.approval_refused', target: action }, t);
    throw new TillError('BAD_PIN', '店长 PIN 不正确，未授权');
  }

  /**
   * Uses up an approval for `action`. Returns the approver's id. A manager acting on their own
   * session needs no token.
   */
  consumeApproval(token: string | undefined, action: string): string {
    const session = this.requireSession();
    if (ROLE_RANK[session.role] >= ROLE_RANK.manager) return session.userId;
    const approval = token ? this.approvals.get(token) : undefined;
    if (!approval || approval.action !== action || approval.expiresAt < this.now()) {
      throw new TillError('APPROVAL_REQUIRED', '此操作需要店长授权（输入店长 PIN）');
    }
    this.approvals.delete(token!);
    return approval.approverId;
  }

  /** Peeks without consuming (to check before a transaction; consume inside it). */
  hasApproval(token: string | undefined, action: string): boolean {
    const session = this.requireSession();
    if (ROLE_RANK[session.role] >= ROLE_RANK.manager) return true;
    const a = token ? this.approvals.get(token) : undefined;
    return !!a && a.action === action && a.expiresAt >= this.now();
  }
}
