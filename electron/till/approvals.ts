// Manager approvals (店长授权): the one place their rules live.
//
// A call that needs a manager and has no valid token throws APPROVAL_REQUIRED whose details carry an
// ask { id, action, subject, summary }: the subject is the canonical target and approved value the
// main side computed (cart line + qty + discount, sale + lines + refund …), the summary is what the
// manager reads on the PIN pad. auth.approve({ pin, askId }) turns the ask into a single-use token
// bound to that subject. The retried call recomputes its subject; a token for anything else is
// refused (APPROVAL_MISMATCH) and kept. A token is spent only when the change it approved commits.
// Asks and tokens live in memory, belong to the session that asked, are cleared by login/logout and
// pruned when they expire.
//
// Wrong PINs count like wrong logins: against the named manager (their lockout), and against the
// till with a growing wait (1 s, 2 s, 4 s …) and, after auth.maxPinFailures in a row, a lock of all
// approvals for auth.lockoutMinutes. The till's count is read from the audit log (approval_bad_pin /
// _granted / _locked rows), so a restart does not reset it.
import { and, asc, desc, eq, gte, inArray } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Approval, SessionInfo } from '../../shared/api/auth';
import { ROLE_RANK, type Role } from '../../shared/api/endpoint';
import type { ApprovalAction, ApprovalAsk, ApprovalSubject } from '../../shared/approvals';
import { TillError } from '../../shared/errors';
import { bpToZhe, formatYuan } from '../../shared/money';
import { formatQty, type Discount } from '../../shared/pricing';
import { audit } from './audit';
import type { TillDb } from './db';
import { clearPinFailures, pinMatches, recordPinFailure } from './pin';
import { arg, prepared } from './prepared';
import { auditLog, roles, users } from './schema';
import type { Settings } from './settings';

const ASK_TTL_MS = 5 * 60_000;
const TOKEN_TTL_MS = 2 * 60_000;
/** A hostile loop of refused calls cannot grow the ask map without bound. */
const MAX_ASKS = 50;

/** What a call needs approved: built by the module that owns the change (cart, returns, …). */
export interface ApprovalSpec {
  action: ApprovalAction;
  subject: ApprovalSubject;
  /** What the manager reads on the PIN pad. */
  summary: string;
  /** The APPROVAL_REQUIRED message (Chinese) when there is no valid token. */
  message: string;
}

/** Who approved. `token` is null when a manager's own session approved itself. */
export interface Grant {
  approverId: string;
  approverName: string;
  token: string | null;
}

interface Ask extends ApprovalAsk {
  key: string;
  userId: string;
}

interface Token {
  approverId: string;
  approverName: string;
  action: ApprovalAction;
  key: string;
  summary: string;
  userId: string;
  expiresAt: number;
  /** Held by an async change in flight (a refund on a terminal); no other call may use it meanwhile. */
  claimed: boolean;
}

const q = prepared((db) => ({
  // Who may approve: active managers and owners, by rank, then name.
  managers: db
    .select({ id: users.id, name: users.name, pinHash: users.pinHash, failedAttempts: users.failedAttempts, lockedUntil: users.lockedUntil })
    .from(users)
    .innerJoin(roles, eq(roles.id, users.roleId))
    .where(and(eq(users.active, true), gte(roles.rank, arg('rank'))))
    .orderBy(asc(roles.rank), asc(users.name))
    .prepare(),
  // The till's approval PIN history, newest first (tillState).
  pinHistory: db
    .select({ action: auditLog.action, at: auditLog.at })
    .from(auditLog)
    .where(inArray(auditLog.action, ['auth.approval_bad_pin', 'auth.approval_granted', 'auth.approval_locked']))
    .orderBy(desc(auditLog.seq))
    .limit(arg('n'))
    .prepare(),
}));

type ManagerRow = ReturnType<ReturnType<typeof q>['managers']['all']>[number];

/** JSON with sorted keys: the same subject always gives the same string. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const keyOf = (action: ApprovalAction, subject: ApprovalSubject) => `${action}|${canonical(subject)}`;

// ---------------------------------------------------------------------------------------------
// Summaries: what the manager reads ("可口可乐 330ml ×1 5折 −¥1.50")

/** "×2" for pieces, "1.5斤" for a weighed line. */
export const qtyText = (qty: number, unit: string, weighed: boolean): string =>
  weighed ? formatQty(qty, unit) : `×${formatQty(qty, '')}`;

/** −¥1.50 (a real minus sign: this is money taken off). */
export const minusYuan = (fen: number): string => `−${formatYuan(fen)}`;

/** "5折 −¥1.50"; an amount off just "−¥1.00". */
export const discountText = (d: Discount, fen: number): string =>
  d.kind === 'percent' ? `${bpToZhe(d.bp)}折 ${minusYuan(fen)}` : minusYuan(fen);

// ---------------------------------------------------------------------------------------------

export class Approvals {
  private readonly asks = new Map<string, Ask>();
  private readonly tokens = new Map<string, Token>();

  constructor(
    private readonly db: TillDb,
    private readonly settings: Settings,
    private readonly now: () => number,
    private readonly session: () => SessionInfo | null,
  ) {}

  private requireSession(): SessionInfo {
    const s = this.session();
    if (!s) throw new TillError('NOT_LOGGED_IN', '请先登录');
    return s;
  }

  /** Login and logout: nothing approved for one session carries over to the next. */
  clear(): void {
    this.asks.clear();
    this.tokens.clear();
  }

  /** How many asks and tokens are held (tests: expired ones are pruned). */
  outstanding(): { asks: number; tokens: number } {
    this.prune();
    return { asks: this.asks.size, tokens: this.tokens.size };
  }

  private prune(): void {
    const t = this.now();
    for (const [id, a] of this.asks) if (a.expiresAt < t) this.asks.delete(id);
    for (const [id, k] of this.tokens) if (k.expiresAt < t && !k.claimed) this.tokens.delete(id);
  }

  /** The ask for `spec` (the same one again while it is outstanding, so retries do not pile up). */
  private askFor(spec: ApprovalSpec, userId: string): ApprovalAsk {
    const key = keyOf(spec.action, spec.subject);
    const expiresAt = this.now() + ASK_TTL_MS;
    let ask = [...this.asks.values()].find((a) => a.key === key && a.userId === userId);
    if (ask) ask.expiresAt = expiresAt;
    else {
      if (this.asks.size >= MAX_ASKS) this.asks.delete(this.asks.keys().next().value!);
      ask = { id: randomBytes(12).toString('hex'), action: spec.action, subject: spec.subject, summary: spec.summary, expiresAt, key, userId };
      this.asks.set(ask.id, ask);
    }
    return { id: ask.id, action: ask.action, subject: ask.subject, summary: ask.summary, expiresAt: ask.expiresAt };
  }

  /** APPROVAL_REQUIRED with a fresh ask for `spec`. */
  required(spec: ApprovalSpec): TillError {
    const ask = this.askFor(spec, this.requireSession().userId);
    return new TillError('APPROVAL_REQUIRED', spec.message, { action: spec.action, ask });
  }

  /**
   * Who approves `spec`: the manager's own session, or the manager whose token was bound to exactly
   * this subject. Throws APPROVAL_REQUIRED (no or stale token) or APPROVAL_MISMATCH (a token for
   * something else, left unspent). Spends nothing: call spend() once the change committed.
   */
  check(token: string | undefined, spec: ApprovalSpec): Grant {
    const session = this.requireSession();
    if (ROLE_RANK[session.role] >= ROLE_RANK.manager) return { approverId: session.userId, approverName: session.name, token: null };
    this.prune();
    const t = token ? this.tokens.get(token) : undefined;
    if (!t || t.userId !== session.userId) throw this.required(spec);
    if (t.claimed) throw new TillError('APPROVAL_IN_USE', '该店长授权正在使用中，请稍候');
    if (t.key !== keyOf(spec.action, spec.subject)) {
      const ask = this.askFor(spec, session.userId);
      throw new TillError(
        'APPROVAL_MISMATCH',
        `店长批准的是「${t.summary}」，与本次操作「${spec.summary}」不一致，请店长重新授权`,
        { action: spec.action, ask },
      );
    }
    return { approverId: t.approverId, approverName: t.approverName, token: token! };
  }

  /**
   * check() for a change that awaits something (a refund on a terminal) before it commits: the token
   * is held so no other call can use it meanwhile. Then spend() after the commit, or release().
   */
  claim(token: string | undefined, spec: ApprovalSpec): Grant {
    const grant = this.check(token, spec);
    if (grant.token) this.tokens.get(grant.token)!.claimed = true;
    return grant;
  }

  /** The change the grant approved has committed: its token is used up. */
  spend(grant: Grant): void {
    if (grant.token) this.tokens.delete(grant.token);
  }

  /** The change was refused or failed: the token may be used again (until it expires). */
  release(grant: Grant): void {
    const t = grant.token ? this.tokens.get(grant.token) : undefined;
    if (t) t.claimed = false;
  }

  // -------------------------------------------------------------------------------------------
  // auth.approve

  /**
   * A manager types their PIN on the cashier's screen for one ask. With `approverId` only that
   * manager's PIN counts; without, the PIN is tried against every manager who is not locked.
   */
  approve(input: { pin: string; askId: string; approverId?: string }): Approval {
    const session = this.requireSession();
    this.prune();
    const t = this.now();
    this.assertTillMayTry(t);
    const ask = this.asks.get(input.askId);
    if (!ask || ask.userId !== session.userId) {
      throw new TillError('UNKNOWN_ASK', '这次授权请求已失效（已授权、已过期或已重新登录），请重新操作一次');
    }
    let approver: ManagerRow | undefined;
    let named: ManagerRow | undefined;
    if (input.approverId) {
      named = this.managers().find((m) => m.id === input.approverId);
      if (!named) throw new TillError('NOT_A_MANAGER', '只有店长或店主可以授权');
      if ((named.lockedUntil ?? 0) > t) {
        const minutes = Math.ceil((named.lockedUntil! - t) / 60_000);
        throw new TillError('LOCKED', `${named.name} 的 PIN 错误次数过多，已锁定，请 ${minutes} 分钟后再试`, { name: named.name, minutes });
      }
      if (pinMatches(input.pin, named.pinHash)) approver = named;
    } else {
      // A locked manager's PIN is not even tried: a match would tell the cashier the PIN.
      approver = this.managers().find((m) => (m.lockedUntil ?? 0) <= t && pinMatches(input.pin, m.pinHash));
    }
    if (!approver) this.refuse(session, ask, named, t);

    const token = randomBytes(16).toString('hex');
    const expiresAt = t + TOKEN_TTL_MS;
    this.db.$client.transaction(() => {
      if (approver.failedAttempts) clearPinFailures(this.db, approver.id);
      audit(this.db, {
        userId: session.userId, approverId: approver.id, action: 'auth.approval_granted', target: ask.action,
        details: { askId: ask.id, summary: ask.summary },
      }, t);
    })();
    this.asks.delete(ask.id);
    this.tokens.set(token, {
      approverId: approver.id, approverName: approver.name, action: ask.action, key: ask.key, summary: ask.summary,
      userId: session.userId, expiresAt, claimed: false,
    });
    return { token, approverId: approver.id, approverName: approver.name, action: ask.action, askId: ask.id, summary: ask.summary, expiresAt };
  }

  private managers(): ManagerRow[] {
    return q(this.db).managers.all({ rank: ROLE_RANK.manager });
  }

  /**
   * The till's run of wrong approval PINs since the last success or lock, read back from the audit
   * log (newest first), and whether approvals are locked. The scan walks back from the newest row;
   * the audit log holds logins, approvals and settings (not every sale), so it stays short.
   */
  private tillState(): { failures: number; lastFailAt: number; lockedUntil: number } {
    const max = this.settings.get('auth.maxPinFailures');
    const rows = q(this.db).pinHistory.all({ n: max + 1 });
    let failures = 0;
    let lockedUntil = 0;
    for (const r of rows) {
      if (r.action === 'auth.approval_bad_pin') failures++;
      else {
        if (r.action === 'auth.approval_locked' && failures === 0) {
          lockedUntil = r.at + this.settings.get('auth.lockoutMinutes') * 60_000;
        }
        break;
      }
    }
    return { failures, lastFailAt: rows[0]?.at ?? 0, lockedUntil };
  }

  /** Wait after the n-th wrong PIN in a row before the next is tried: 1 s, 2 s, 4 s … */
  static delayMs(failures: number): number {
    return failures <= 0 ? 0 : 1000 * 2 ** Math.min(failures - 1, 16);
  }

  /** Refuses early (no PIN tried, nothing counted) while approvals are locked or the wait runs. */
  private assertTillMayTry(t: number): void {
    const s = this.tillState();
    if (s.lockedUntil > t) {
      const minutes = Math.ceil((s.lockedUntil - t) / 60_000);
      throw new TillError('APPROVALS_LOCKED', `店长 PIN 错误次数过多，本机授权已锁定，请 ${minutes} 分钟后再试`, { retryAfterMs: s.lockedUntil - t, minutes });
    }
    const next = s.lastFailAt + Approvals.delayMs(s.failures);
    if (s.failures > 0 && next > t) {
      const seconds = Math.ceil((next - t) / 1000);
      throw new TillError('PIN_WAIT', `店长 PIN 刚输错，请 ${seconds} 秒后再试`, { retryAfterMs: next - t, seconds });
    }
  }

  /** A wrong PIN: counted against the named manager and the till, audited, maybe locking; throws. */
  private refuse(session: SessionInfo, ask: Ask, named: ManagerRow | undefined, t: number): never {
    const max = this.settings.get('auth.maxPinFailures');
    const minutes = this.settings.get('auth.lockoutMinutes');
    const failures = this.tillState().failures + 1;
    const tillLocked = failures >= max;
    let userLocked = false;
    this.db.$client.transaction(() => {
      if (named) userLocked = recordPinFailure(this.db, this.settings, named, 'approve', t).locked;
      audit(this.db, {
        userId: session.userId, approverId: named?.id ?? null, action: 'auth.approval_bad_pin', target: ask.action,
        details: { askId: ask.id, tillFailures: failures },
      }, t);
      if (tillLocked) audit(this.db, { userId: session.userId, action: 'auth.approval_locked', details: { failures } }, t);
    })();
    if (tillLocked) throw new TillError('APPROVALS_LOCKED', `店长 PIN 连续错误 ${max} 次，本机授权已锁定 ${minutes} 分钟`, { minutes });
    if (userLocked) throw new TillError('LOCKED', `${named!.name} 的 PIN 连续错误 ${max} 次，已锁定 ${minutes} 分钟`, { name: named!.name, minutes });
    const wait = Approvals.delayMs(failures) / 1000;
    throw new TillError('BAD_PIN', `店长 PIN 不正确，未授权（${wait} 秒后可再试；再错 ${max - failures} 次本机授权将锁定 ${minutes} 分钟）`, {
      reason: 'manager', seconds: wait, left: max - failures, minutes,
    });
  }
}
