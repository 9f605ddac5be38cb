// Members across the online shops, through the API and the sync engine against the Youzan fake:
// customers pulled by update time and matched by phone (exactly one on each side links, a shared
// phone waits for a person, no local member = unmatched), profile changes pulled once, a manager
// links and unlinks by hand (audited; a cashier cannot), the counter's member lookup shows online
// points and level, and counter points go out with biz_value: a replay after a lost answer is applied
// once, and a conflict with an online change loses no points (ledger entries merged, not overwritten).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSyncDb } from '../../../electron/sync/db';
import { SyncEngine } from '../../../electron/sync/engine';
import { forMember, mergePointsLog, pointsLedger, recordCounterPoints, storeCustomers } from '../../../electron/sync/members';
import { memberConnectorOf } from '../../../electron/sync/members-connector';
import { membersRound } from '../../../electron/sync/members-sync';
import { YouzanConnector } from '../../../electron/sync/youzan/connector';
import { SyncError } from '../../../electron/sync/connector';
import { YouzanFake } from '../../fakes/youzan';
import { tempTill, type TempTill } from '../../support/temp-till';

const policy = { overlapMs: 10 * 60_000, firstLookbackMs: 30 * 24 * 3600_000 };
let t: TempTill;
let yz: YouzanFake;
let sync: ReturnType<typeof openSyncDb>;
let engine: SyncEngine;
const clock = { now: 0 };
const now = () => clock.now;

beforeEach(async () => {
  clock.now = Date.UTC(2026, 10, 30, 2, 0, 0);
  t = tempTill({ now });
  yz = await YouzanFake.start({ now });
  sync = openSyncDb(t.till.dbFile);
  engine = new SyncEngine({ db: sync.db, holder: 'till-1', now, connectors: [new YouzanConnector({ ...yz.clientConfig(), timeoutMs: 500, now })], policy: { pollEveryMs: 1_000, ...policy } });
});
afterEach(async () => {
  await engine.stop();
  sync.close();
  await yz.close();
  t.cleanup();
});

const memberId = (phone: string) => (t.till.sqlite.prepare('SELECT id FROM members WHERE phone = ?').get(phone) as { id: string }).id;
const mc = () => memberConnectorOf(new YouzanConnector({ ...yz.clientConfig(), timeoutMs: 500, now }))!;
async function poll(): Promise<void> {
  clock.now += 1_000;
  const r = await engine.tick();
  expect(r.polled.youzan).toBeDefined();
  expect(engine.status()[0].lastError).toBeNull();
}

describe('members linked by phone', () => {
  it('one match links; a phone on two online accounts is ambiguous; no local member is unmatched; phone forms are normalized', async () => {
    yz.members.upsertCustomer({ mobile: '13800000001', name: '王芳', levelName: 'VIP3', points: 500 });
    yz.members.upsertCustomer({ mobile: '+86 138-0000-0005', name: '陈静', levelName: 'VIP1', points: 20 });
    yz.members.upsertCustomer({ mobile: '13800000002', name: '李强', points: 5 });
    yz.members.addDuplicate('13800000002', '李强（粉丝）');
    yz.members.upsertCustomer({ mobile: '13900000009', name: '新顾客', points: 0 });
    await poll();
    await t.loginAs('manager');
    const r = await t.call('memberLinks.review', {});
    expect(r.linked.map((l) => [l.member.name, l.name, l.level, l.points, l.matchedBy]).sort()).toEqual([
      ['王芳', '王芳', 'VIP3', 500, 'phone'],
      ['陈静', '陈静', 'VIP1', 20, 'phone'],
    ]);
    expect(r.ambiguous.map((a) => [a.name, a.candidates.map((c) => c.name)]).sort()).toEqual([
      ['李强', ['李强']],
      ['李强（粉丝）', ['李强']],
    ]);
    expect(r.unmatched.map((u) => [u.name, u.phone])).toEqual([['新顾客', '139****0009']]);
    expect(r.linked[0].member.phone).toMatch(/^138\*{4}\d{4}$/);
  });

  it('the first poll takes customers from long before it (their profiles unchanged for months)', async () => {
    clock.now -= 200 * 24 * 3600_000;
    yz.members.upsertCustomer({ mobile: '13800000003', name: '张伟', levelName: 'VIP2', points: 42 });
    clock.now += 200 * 24 * 3600_000;
    await poll();
    expect(forMember(t.till.db, memberId('13800000003'))).toMatchObject([{ level: 'VIP2', points: 42 }]);
  });

  it('a profile change is pulled once on the next poll; an older copy arriving late changes nothing', async () => {
    yz.members.upsertCustomer({ mobile: '13800000001', name: '王芳', levelName: 'VIP3', points: 500 });
    await poll();
    clock.now += 60_000;
    yz.members.upsertCustomer({ mobile: '13800000001', levelName: 'VIP4' });
    await poll();
    await poll(); // the overlap window sees it again: still one row, not updated twice
    const rows = t.till.sqlite.prepare(`SELECT customer_id AS id, level, platform_updated_at AS u FROM platform_customers`).all() as { id: string; level: string; u: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0].level).toBe('VIP4');
    const stale = storeCustomers(t.till.db, 'youzan', [{ customerId: rows[0].id, phone: '13800000001', name: '王芳', level: 'VIP3', points: 1, updatedAt: rows[0].u - 1000 }], clock.now, clock.now);
    expect(stale).toMatchObject({ inserted: 0, updated: 0 });
    expect(forMember(t.till.db, memberId('13800000001'))).toMatchObject([{ level: 'VIP4', points: 500 }]);
  });

  it('a manager links and unlinks by hand (audited); a cashier cannot; an unlinked customer is not matched again; taken links are refused', async () => {
    yz.members.upsertCustomer({ mobile: '13900000009', name: '新顾客', levelName: 'VIP2', points: 77 });
    yz.members.upsertCustomer({ mobile: '13800000001', name: '王芳', points: 1 });
    await poll();
    await t.loginAs('cashier');
    const customer = (t.till.sqlite.prepare(`SELECT customer_id AS id FROM platform_customers WHERE phone = '13900000009'`).get() as { id: string }).id;
    await expect(t.call('memberLinks.link', { platform: 'youzan', customerId: customer, memberId: memberId('13800000004') })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await t.loginAs('manager');
    const found = await t.call('memberLinks.findMembers', { query: '0004' });
    expect(found.map((m) => m.name)).toEqual(['刘洋']);
    let r = await t.call('memberLinks.link', { platform: 'youzan', customerId: customer, memberId: found[0].memberId });
    expect(r.linked.find((l) => l.customerId === customer)).toMatchObject({ matchedBy: 'manual', points: 77, member: { name: '刘洋' } });
    await expect(t.call('memberLinks.link', { platform: 'youzan', customerId: customer, memberId: memberId('13800000003') })).rejects.toMatchObject({ code: 'MEMBER_LINK_TAKEN' });
    await expect(t.call('memberLinks.link', { platform: 'youzan', customerId: 'nobody', memberId: memberId('13800000003') })).rejects.toMatchObject({ code: 'MEMBER_LINK_UNKNOWN' });
    await expect(t.callRaw('memberLinks.link', { platform: 'taobao', customerId: customer, memberId: 'x' })).rejects.toMatchObject({ code: 'BAD_INPUT' });

    const wang = r.linked.find((l) => l.member.name === '王芳')!;
    r = await t.call('memberLinks.unlink', { platform: 'youzan', customerId: wang.customerId });
    expect(r.unmatched.map((u) => u.customerId)).toContain(wang.customerId);
    clock.now += 60_000;
    yz.members.upsertCustomer({ mobile: '13800000001', levelName: 'VIP2' }); // a change pulls it again
    await poll();
    r = await t.call('memberLinks.review', {});
    expect(r.linked.map((l) => l.member.name)).toEqual(['刘洋']);
    const audits = t.till.sqlite.prepare(`SELECT action, user_id AS u, target FROM audit_log WHERE action LIKE 'member.%' ORDER BY seq`).all();
    expect(audits).toEqual([
      { action: 'member.link', u: t.userId('manager'), target: memberId('13800000004') },
      { action: 'member.unlink', u: t.userId('manager'), target: memberId('13800000001') },
    ]);
  });

  it('a new online customer is made a shop member and linked (audited); one whose phone a member has, or without a phone, is refused', async () => {
    yz.members.upsertCustomer({ mobile: '13900000009', name: '新顾客', levelName: 'VIP2', points: 77 });
    await poll();
    await t.loginAs('manager');
    const customer = (t.till.sqlite.prepare(`SELECT customer_id AS id FROM platform_customers WHERE phone = '13900000009'`).get() as { id: string }).id;
    const r = await t.call('memberLinks.createMember', { platform: 'youzan', customerId: customer });
    expect(r.linked.find((l) => l.customerId === customer)).toMatchObject({ matchedBy: 'manual', points: 77, member: { name: '新顾客', phone: '139****0009' } });
    expect(t.till.sqlite.prepare(`SELECT name, level, points FROM members WHERE phone = '13900000009'`).get()).toEqual({ name: '新顾客', level: '普通会员', points: 0 });
    await expect(t.call('memberLinks.createMember', { platform: 'youzan', customerId: customer })).rejects.toMatchObject({ code: 'MEMBER_LINK_TAKEN' });
    await t.call('memberLinks.unlink', { platform: 'youzan', customerId: customer });
    await expect(t.call('memberLinks.createMember', { platform: 'youzan', customerId: customer })).rejects.toMatchObject({ code: 'MEMBER_PHONE_EXISTS' });
    storeCustomers(t.till.db, 'youzan', [{ customerId: 'nophone', phone: null, name: '无号', level: null, points: null, updatedAt: clock.now }], clock.now, clock.now);
    await expect(t.call('memberLinks.createMember', { platform: 'youzan', customerId: 'nophone' })).rejects.toMatchObject({ code: 'MEMBER_NO_PHONE' });
    expect((t.till.sqlite.prepare(`SELECT count(*) AS n FROM members WHERE phone = '13900000009'`).get() as { n: number }).n).toBe(1);
    expect(t.till.sqlite.prepare(`SELECT action FROM audit_log WHERE action LIKE 'member.%' ORDER BY seq`).all()).toEqual([{ action: 'member.create_from_online' }, { action: 'member.unlink' }]);
  });

  it('the counter finds a member and sees their online points and level (cashier)', async () => {
    yz.members.upsertCustomer({ mobile: '13800000005', name: '陈静', levelName: '黑金会员', points: 3210 });
    await poll();
    await t.loginAs('cashier');
    expect(await t.call('memberLinks.forMember', { memberId: memberId('13800000005') })).toMatchObject([{ platform: 'youzan', level: '黑金会员', points: 3210, pendingPoints: 0 }]);
    expect(await t.call('memberLinks.forMember', { memberId: memberId('13800000003') })).toEqual([]);
  });
});

describe('points with biz_value', () => {
  async function linked(points: number): Promise<string> {
    yz.members.upsertCustomer({ mobile: '13800000001', name: '王芳', levelName: 'VIP3', points });
    await poll();
    return memberId('13800000001');
  }

  it('an increment whose answer was lost is replayed with the same biz_value and applied once', async () => {
    const m = await linked(500);
    expect(recordCounterPoints(t.till.db, { memberId: m, platform: 'youzan', delta: 10, reason: '消费积分 No.1', bizValue: 'sale-1' }, clock.now)).toBe(true);
    expect(recordCounterPoints(t.till.db, { memberId: m, platform: 'youzan', delta: 10, reason: '消费积分 No.1', bizValue: 'sale-1' }, clock.now)).toBe(false); // same key = same entry
    yz.setScenario({ op: 'members', fault: 'timeout', delayMs: 1_500 }); // applied, then the answer is lost
    const err = await membersRound(sync.db, mc(), policy, now).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('retry');
    expect(yz.members.customer('13800000001')!.points).toBe(510);
    expect(forMember(t.till.db, m)[0]).toMatchObject({ points: 510, pendingPoints: 10 });

    await membersRound(sync.db, mc(), policy, now); // 142100106 重复操作 → already applied
    expect(yz.members.pointsApplied).toBe(1);
    expect(yz.members.customer('13800000001')!.points).toBe(510);
    expect(forMember(t.till.db, m)[0]).toMatchObject({ points: 510, pendingPoints: 0 });
    expect(pointsLedger(t.till.db, 'youzan', forMember(t.till.db, m)[0].customerId).map((e) => [e.entryId, e.delta, e.state])).toEqual([['biz:sale-1', 10, 'applied']]);
  });

  it('a conflict (points spent online while the counter’s entry waited) keeps both entries; nothing is overwritten or lost', async () => {
    const m = await linked(500);
    recordCounterPoints(t.till.db, { memberId: m, platform: 'youzan', delta: 40, reason: '消费积分 No.2', bizValue: 'sale-2' }, clock.now);
    recordCounterPoints(t.till.db, { memberId: m, platform: 'youzan', delta: -100, reason: '积分抵现 No.3', bizValue: 'sale-3' }, clock.now);
    yz.members.onlinePoints('13800000001', -30, '线上兑换');
    // Before the next sync the counter shows the stale figure plus its own pending entries.
    expect(forMember(t.till.db, m)[0]).toMatchObject({ points: 440, pendingPoints: -60 });
    clock.now += 1_000;
    await membersRound(sync.db, mc(), policy, now);
    const customerId = forMember(t.till.db, m)[0].customerId;
    const ledger = pointsLedger(t.till.db, 'youzan', customerId);
    expect(ledger.map((e) => [e.source, e.delta, e.state]).sort()).toEqual([
      ['counter', -100, 'applied'],
      ['counter', 40, 'applied'],
      ['platform', -30, 'applied'],
    ]);
    expect(yz.members.customer('13800000001')!.points).toBe(410);
    expect(forMember(t.till.db, m)[0]).toMatchObject({ points: 410, pendingPoints: 0 });

    // The same log again, and a conflicting copy of one entry (other amount, same id): merged, never overwritten.
    const log = yz.members.pointsLog().map((e) => ({ logId: e.id, customerId, delta: e.amount, bizValue: e.bizValue, reason: e.description, at: e.created }));
    const r = mergePointsLog(t.till.db, 'youzan', [...log, { ...log[0], delta: 9999 }], clock.now, clock.now);
    expect(r).toEqual({ added: 0, matched: 0 });
    expect(pointsLedger(t.till.db, 'youzan', customerId)).toEqual(ledger);
    expect(forMember(t.till.db, m)[0].points).toBe(410);
  });

  it('a spend the platform refuses (not enough points) is kept as refused, not retried forever, and not counted', async () => {
    const m = await linked(5);
    recordCounterPoints(t.till.db, { memberId: m, platform: 'youzan', delta: -50, reason: '积分抵现', bizValue: 'sale-4' }, clock.now);
    await membersRound(sync.db, mc(), policy, now);
    const e = pointsLedger(t.till.db, 'youzan', forMember(t.till.db, m)[0].customerId)[0];
    expect(e).toMatchObject({ state: 'refused', delta: -50 });
    expect(e.lastError).toContain('142100105');
    expect(forMember(t.till.db, m)[0]).toMatchObject({ points: 5, pendingPoints: 0 });
  });
});

describe('a platform that refuses the customer APIs', () => {
  it('keeps the refusal to the members (stock and orders are not rested); a platform that is down still fails the round', async () => {
    const calls: string[] = [];
    const stub = {
      platform: 'youzan' as const,
      customerByPhone: async () => null,
      changePoints: async () => 'applied' as const,
      pullCustomers: async () => {
        calls.push('customers');
        throw new SyncError('refused', 'gw 4005', '有赞网关：API 不存在（4005）');
      },
      pullPointsLog: async () => {
        calls.push('log');
        return [];
      },
    };
    const r = await membersRound(sync.db, stub, policy, now);
    expect(r.refused).toEqual(['gw 4005: 有赞网关：API 不存在（4005）']);
    expect(calls).toEqual(['customers', 'log']);
    const down = { ...stub, pullCustomers: async () => Promise.reject(new SyncError('retry', 'HTTP 502', '有赞服务器错误（HTTP 502）')) };
    await expect(membersRound(sync.db, down, policy, now)).rejects.toMatchObject({ kind: 'retry' });
  });
});
