// Login, lockout, roles checked in the main process, on-the-spot approvals, the audit chain.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../electron/till/audit';
import { tempTill, type TempTill } from '../../support/temp-till';
import { askOf, refusal } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());


describe('auth', () => {
  it('logs in with the right PIN and refuses a wrong one with the attempts left', async () => {
    t = tempTill();
    const cashier = t.userId('cashier');
    const bad = await refusal(t.call('auth.login', { userId: cashier, pin: '0000' }));
    expect(bad.code).toBe('BAD_PIN');
    expect(bad.message).toContain('还可再试 4 次');
    expect(await t.call('auth.session')).toBeNull();
    const s = await t.call('auth.login', { userId: cashier, pin: '1111' });
    expect(s).toMatchObject({ userId: cashier, name: '小王', role: 'cashier' });
    expect((await t.call('auth.session'))!.userId).toBe(cashier);
  });

  it('locks a user out after five wrong PINs, even with the right PIN, until the lockout ends', async () => {
    let now = Date.parse('2026-11-25T10:00:00+08:00');
    t = tempTill({ now: () => now });
    const cashier = t.userId('cashier');
    for (let i = 0; i < 4; i++) expect((await refusal(t.call('auth.login', { userId: cashier, pin: '0000' }))).code).toBe('BAD_PIN');
    expect((await refusal(t.call('auth.login', { userId: cashier, pin: '0000' }))).code).toBe('LOCKED');
    const locked = await refusal(t.call('auth.login', { userId: cashier, pin: '1111' }));
    expect(locked.code).toBe('LOCKED');
    expect(locked.message).toMatch(/锁定/);
    expect((await t.call('auth.users')).find((u: { id: string }) => u.id === cashier)!.locked).toBe(true);
    now += 5 * 60_000 + 1;
    expect((await t.call('auth.login', { userId: cashier, pin: '1111' })).userId).toBe(cashier);
    const rows = t.till.sqlite.prepare(`SELECT action FROM audit_log WHERE user_id = ? ORDER BY seq`).all(cashier) as { action: string }[];
    expect(rows.map((r) => r.action)).toEqual(['auth.bad_pin', 'auth.bad_pin', 'auth.bad_pin', 'auth.bad_pin', 'auth.locked', 'auth.login']);
  });

  it('checks the role of every handler in the main process', async () => {
    t = tempTill();
    expect((await refusal(t.call('app.status'))).code).toBe('NOT_LOGGED_IN');
    await t.loginAs('cashier');
    expect((await t.call('app.status')).shift.open).toBe(false);
    await t.call('auth.logout');
    expect((await refusal(t.call('catalog.search', { q: 'kkkl' }))).code).toBe('NOT_LOGGED_IN');
  });

  it('a manager approves one ask with their PIN without logging in; a cashier\'s PIN approves nothing', async () => {
    let now = Date.parse('2026-11-25T10:00:00+08:00');
    t = tempTill({ now: () => now });
    await t.loginAs('cashier');
    await t.call('cart.scan', { code: '6920000010073' });
    const line = (await t.call('cart.get')).lines[0].id;
    const ask = await askOf(t.call('cart.overridePrice', { lineId: line, unitPriceFen: 100 }));
    expect((await refusal(t.call('auth.approve', { pin: '1111', askId: ask.id }))).code).toBe('BAD_PIN');
    now += 1000; // the wait after a wrong PIN
    const a = await t.call('auth.approve', { pin: '2222', askId: ask.id });
    expect(a).toMatchObject({ approverName: '李店长', action: 'price_override', askId: ask.id, summary: ask.summary });
    expect((await t.call('auth.session'))!.name).toBe('小王'); // still the cashier's session
    // One ask, one token: the ask is gone once approved.
    expect((await refusal(t.call('auth.approve', { pin: '2222', askId: ask.id }))).code).toBe('UNKNOWN_ASK');
  });

  it('the audit log is a hash chain: editing a row is detected', async () => {
    t = tempTill();
    await t.loginAs('cashier');
    await t.call('auth.logout');
    await t.loginAs('manager');
    expect(verifyAuditChain(t.till.sqlite)).toBeNull();
    const second = t.till.sqlite.prepare('SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 1').get() as { seq: number };
    t.till.sqlite.prepare(`UPDATE audit_log SET action = 'auth.nothing' WHERE seq = ?`).run(second.seq);
    expect(verifyAuditChain(t.till.sqlite)).toBe(second.seq);
  });
});
