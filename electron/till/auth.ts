// Login by PIN, lockout after repeated failures, and the session. Manager approvals on the spot
// (auth.approve and the tokens the changes check) live in approvals.ts; login and logout clear them.
// All of it lives in the main process: the UI only asks.
import { and, asc, eq } from 'drizzle-orm';
import type { Approval, LoginUser, SessionInfo } from '../../shared/api/auth';
import type { Role } from '../../shared/api/endpoint';
import { TillError } from '../../shared/errors';
import { Approvals } from './approvals';
import { audit } from './audit';
import type { TillDb } from './db';
import { clearPinFailures, pinMatches, recordPinFailure } from './pin';
import { arg, prepared } from './prepared';
import { roles, users } from './schema';
import type { Settings } from './settings';

export { hashPin, pinMatches } from './pin';

const q = prepared((db) => ({
  // The login screen's list: active users by rank, then name.
  loginUsers: db
    .select({ id: users.id, name: users.name, role: users.roleId, lockedUntil: users.lockedUntil })
    .from(users)
    .innerJoin(roles, eq(roles.id, users.roleId))
    .where(eq(users.active, true))
    .orderBy(asc(roles.rank), asc(users.name))
    .prepare(),
  activeUser: db.select().from(users).where(and(eq(users.id, arg('id')), eq(users.active, true))).prepare(),
}));

export class Auth {
  session: SessionInfo | null = null;
  readonly approvals: Approvals;

  constructor(
    private readonly db: TillDb,
    private readonly settings: Settings,
    private readonly now: () => number,
    private readonly onSession: (s: SessionInfo | null) => void,
  ) {
    this.approvals = new Approvals(db, settings, now, () => this.session);
  }

  users(): LoginUser[] {
    const t = this.now();
    return q(this.db)
      .loginUsers.all()
      .map((r) => ({ id: r.id, name: r.name, role: r.role as Role, locked: (r.lockedUntil ?? 0) > t }));
  }

  /** Checks a PIN, counting failures and locking the user out after too many. */
  private verify(userId: string, pin: string, action: string): typeof users.$inferSelect {
    const user = q(this.db).activeUser.get({ id: userId });
    if (!user) throw new TillError('UNKNOWN_USER', '用户不存在或已停用');
    const t = this.now();
    if (user.lockedUntil && user.lockedUntil > t) {
      const minutes = Math.ceil((user.lockedUntil - t) / 60_000);
      throw new TillError('LOCKED', `PIN 错误次数过多，已锁定，请 ${minutes} 分钟后再试`, { minutes });
    }
    if (pinMatches(pin, user.pinHash)) {
      if (user.failedAttempts) clearPinFailures(this.db, userId);
      return user;
    }
    const max = this.settings.get('auth.maxPinFailures');
    const { failures, locked } = this.db.$client.transaction(() => {
      const r = recordPinFailure(this.db, this.settings, user, action, t);
      if (!r.locked) audit(this.db, { userId, action: 'auth.bad_pin', target: action }, t);
      return r;
    })();
    if (locked) {
      const minutes = this.settings.get('auth.lockoutMinutes');
      throw new TillError('LOCKED', `PIN 连续错误 ${max} 次，已锁定 ${minutes} 分钟`, { minutes });
    }
    throw new TillError('BAD_PIN', `PIN 错误，还可再试 ${max - failures} 次`, { left: max - failures });
  }

  login(userId: string, pin: string): SessionInfo {
    const user = this.verify(userId, pin, 'login');
    this.session = { userId: user.id, name: user.name, role: user.roleId as Role, loggedInAt: this.now() };
    this.approvals.clear(); // nothing a manager approved for the previous session carries over
    audit(this.db, { userId: user.id, action: 'auth.login' }, this.now());
    this.onSession(this.session);
    return this.session;
  }

  logout(): void {
    if (this.session) audit(this.db, { userId: this.session.userId, action: 'auth.logout' }, this.now());
    this.session = null;
    this.approvals.clear();
    this.onSession(null);
  }

  requireSession(): SessionInfo {
    if (!this.session) throw new TillError('NOT_LOGGED_IN', '请先登录');
    return this.session;
  }

  /** A manager's PIN on the cashier's screen for one ask (see approvals.ts). */
  approve(input: { pin: string; askId: string; approverId?: string }): Approval {
    return this.approvals.approve(input);
  }
}
