// Login by PIN, lockout after repeated failures, and the session. Manager approvals on the spot
// (auth.approve and the tokens the changes check) live in approvals.ts; login and logout clear them.
// All of it lives in the main process: the UI only asks.
import type Database from 'better-sqlite3';
import type { Approval, LoginUser, SessionInfo } from '../../shared/api/auth';
import type { Role } from '../../shared/api/endpoint';
import { TillError } from '../../shared/errors';
import { Approvals } from './approvals';
import { audit } from './audit';
import { pinMatches, recordPinFailure } from './pin';
import type { Settings } from './settings';

export { hashPin, pinMatches } from './pin';

interface UserRow {
  id: string;
  name: string;
  role_id: Role;
  pin_hash: string;
  failed_attempts: number;
  locked_until: number | null;
  active: number;
}

export class Auth {
  session: SessionInfo | null = null;
  readonly approvals: Approvals;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly settings: Settings,
    private readonly now: () => number,
    private readonly onSession: (s: SessionInfo | null) => void,
  ) {
    this.approvals = new Approvals(sqlite, settings, now, () => this.session);
  }

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
      throw new TillError('LOCKED', `PIN 错误次数过多，已锁定，请 ${minutes} 分钟后再试`, { minutes });
    }
    if (pinMatches(pin, user.pin_hash)) {
      if (user.failed_attempts) {
        this.sqlite.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(userId);
      }
      return user;
    }
    const max = this.settings.get('auth.maxPinFailures');
    const { failures, locked } = this.sqlite.transaction(() => {
      const r = recordPinFailure(this.sqlite, this.settings, user, action, t);
      if (!r.locked) audit(this.sqlite, { userId, action: 'auth.bad_pin', target: action }, t);
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
    this.session = { userId: user.id, name: user.name, role: user.role_id, loggedInAt: this.now() };
    this.approvals.clear(); // nothing a manager approved for the previous session carries over
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

  /** A manager's PIN on the cashier's screen for one ask (see approvals.ts). */
  approve(input: { pin: string; askId: string; approverId?: string }): Approval {
    return this.approvals.approve(input);
  }
}
