// The Youzan fake's customers and points (PLATFORMS.md §1.6), kept beside tests/fakes/youzan.ts, which
// routes these APIs here after its own token, fault and rate-limit checks: youzan.scrm.customer.get /
// .search, youzan.crm.customer.points.increase / .decrease (idempotent on account + biz_value: a repeat
// answers 142100106 重复操作, §0.6) and the points log. Names and codes the client uses come from
// electron/sync/youzan/customers.ts (UNVERIFIED ones are marked there).
import { randomBytes } from 'node:crypto';
import { parseYouzanTime, youzanTime } from '../../electron/sync/youzan/wire';
import { YOUZAN_ACCOUNT_MOBILE, YOUZAN_CUSTOMER_NOT_FOUND, YOUZAN_MEMBER_APIS, YOUZAN_POINTS_DUPLICATE } from '../../electron/sync/youzan/customers';

export const YOUZAN_MEMBER_API_KEYS: ReadonlySet<string> = new Set(Object.values(YOUZAN_MEMBER_APIS).map(([n, v]) => `${n}:${v}`));

export interface YouzanFakeCustomer {
  yzOpenId: string;
  mobile: string;
  name: string;
  levelName: string;
  points: number;
  updated: number; // ms, whole seconds
}

export interface YouzanFakePointsEntry {
  id: string;
  yzOpenId: string;
  amount: number;
  bizValue: string | null;
  description: string;
  created: number;
}

/** A business refusal, answered as error_response by the fake. */
export class YouzanMembersError extends Error {
  constructor(
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

export class YouzanMembersFake {
  private customers = new Map<string, YouzanFakeCustomer>();
  private log: YouzanFakePointsEntry[] = [];
  private bizKeys = new Map<string, string>(); // `${mobile}:${biz_value}` → log id
  /** Points changes applied through the API (a replayed biz_value is not counted again). */
  pointsApplied = 0;
  private seq = 0;

  constructor(private readonly now: () => number) {}

  private second(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }

  /** Creates or changes a customer as the shop's online side would (a profile change bumps its update time). */
  upsertCustomer(c: { mobile: string; name?: string; levelName?: string; points?: number }): YouzanFakeCustomer {
    const have = [...this.customers.values()].find((x) => x.mobile === c.mobile);
    const next: YouzanFakeCustomer = have
      ? { ...have, name: c.name ?? have.name, levelName: c.levelName ?? have.levelName, points: c.points ?? have.points, updated: Math.max(have.updated, this.second()) }
      : { yzOpenId: `yz${randomBytes(6).toString('hex')}`, mobile: c.mobile, name: c.name ?? '', levelName: c.levelName ?? 'VIP1', points: c.points ?? 0, updated: this.second() };
    this.customers.set(next.yzOpenId, next);
    return { ...next };
  }

  /** A second customer account with the same phone (a fans account beside a mobile one): makes a match ambiguous. */
  addDuplicate(mobile: string, name: string): YouzanFakeCustomer {
    const c: YouzanFakeCustomer = { yzOpenId: `yz${randomBytes(6).toString('hex')}`, mobile, name, levelName: 'VIP1', points: 0, updated: this.second() };
    this.customers.set(c.yzOpenId, c);
    return { ...c };
  }

  /** Points changed online (a purchase in the shop, a redemption): logged without a biz_value of ours. */
  onlinePoints(mobile: string, amount: number, description = '线上消费'): YouzanFakePointsEntry {
    return this.applyPoints(this.byMobile(mobile), amount, null, description);
  }

  customer(mobile: string): YouzanFakeCustomer | undefined {
    const c = [...this.customers.values()].find((x) => x.mobile === mobile);
    return c && { ...c };
  }

  pointsLog(): YouzanFakePointsEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  reset(): void {
    this.customers.clear();
    this.log = [];
    this.bizKeys.clear();
    this.pointsApplied = 0;
  }

  private byMobile(mobile: string): YouzanFakeCustomer {
    const all = [...this.customers.values()].filter((x) => x.mobile === mobile);
    if (all.length === 0) throw new YouzanMembersError(YOUZAN_CUSTOMER_NOT_FOUND, '客户不存在');
    return all[0];
  }

  private applyPoints(c: YouzanFakeCustomer, amount: number, bizValue: string | null, description: string): YouzanFakePointsEntry {
    if (c.points + amount < 0) throw new YouzanMembersError(142100105, '积分不足'); // code UNVERIFIED
    c.points += amount;
    c.updated = Math.max(c.updated, this.second()); // whole seconds: two changes in one second share it
    const e: YouzanFakePointsEntry = { id: String(++this.seq + 900_000), yzOpenId: c.yzOpenId, amount, bizValue, description, created: this.second() };
    this.log.push(e);
    return { ...e };
  }

  private wire(c: YouzanFakeCustomer): Record<string, unknown> {
    return { yz_open_id: c.yzOpenId, mobile: c.mobile, name: c.name, level_name: c.levelName, points: c.points, is_member: true, updated_at: youzanTime(c.updated) };
  }

  /** One member API call (3.x `response` body), or a YouzanMembersError. */
  route(name: string, p: Record<string, any>): Record<string, unknown> {
    const page = (all: unknown[]) => {
      const pageNo = Number(p.page_no ?? 1);
      const pageSize = Number(p.page_size ?? 20);
      if (!(pageNo >= 1) || !(pageSize >= 1 && pageSize <= 50)) throw new YouzanMembersError(40001, 'page_no 从 1 起，page_size 须在 1 到 50 之间');
      return all.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    };
    switch (name) {
      case YOUZAN_MEMBER_APIS.customerGet[0]: {
        if (p.account?.account_type !== 'Mobile' || !p.account?.account_id) throw new YouzanMembersError(40001, 'account 必填');
        return this.wire(this.byMobile(String(p.account.account_id)));
      }
      case YOUZAN_MEMBER_APIS.customerSearch[0]: {
        const from = p.updated_at_start === undefined ? 0 : parseYouzanTime(p.updated_at_start);
        const to = p.updated_at_end === undefined ? Infinity : parseYouzanTime(p.updated_at_end);
        const all = [...this.customers.values()].filter((c) => c.updated >= from && c.updated <= to).sort((a, b) => a.updated - b.updated || a.yzOpenId.localeCompare(b.yzOpenId));
        return { total: all.length, records: page(all).map((c) => this.wire(c as YouzanFakeCustomer)) };
      }
      case YOUZAN_MEMBER_APIS.pointsIncrease[0]:
      case YOUZAN_MEMBER_APIS.pointsDecrease[0]: {
        if (Number(p.account_type) !== YOUZAN_ACCOUNT_MOBILE || !p.account_id) throw new YouzanMembersError(40001, 'account_type/account_id 必填');
        if (!Number.isInteger(p.points) || p.points <= 0) throw new YouzanMembersError(40001, 'points 必须是正整数');
        const c = this.byMobile(String(p.account_id));
        const key = p.biz_value ? `${p.account_id}:${p.biz_value}` : null;
        if (key && this.bizKeys.has(key)) throw new YouzanMembersError(YOUZAN_POINTS_DUPLICATE, '重复操作');
        const e = this.applyPoints(c, name === YOUZAN_MEMBER_APIS.pointsIncrease[0] ? p.points : -p.points, p.biz_value ? String(p.biz_value) : null, String(p.reason ?? ''));
        if (key) this.bizKeys.set(key, e.id);
        this.pointsApplied++;
        return { is_success: true };
      }
      case YOUZAN_MEMBER_APIS.pointsLog[0]: {
        const from = p.start_time === undefined ? 0 : parseYouzanTime(p.start_time);
        const to = p.end_time === undefined ? Infinity : parseYouzanTime(p.end_time);
        const all = this.log.filter((e) => e.created >= from && e.created <= to);
        return {
          total: all.length,
          items: page(all).map((e) => {
            const x = e as YouzanFakePointsEntry;
            return { id: Number(x.id), yz_open_id: x.yzOpenId, amount: x.amount, biz_value: x.bizValue ?? '', description: x.description, created_at: youzanTime(x.created) };
          }),
        };
      }
      default:
        throw new YouzanMembersError(40001, `未知接口 ${name}`);
    }
  }

  /** Control routes: PUT /__admin/customers {mobile, name?, levelName?, points?}, GET /__admin/customers, POST /__admin/points {mobile, amount, description?}. */
  admin(route: string, body: any): unknown {
    switch (route) {
      case 'PUT /__admin/customers':
        return { customer: this.upsertCustomer({ mobile: String(body.mobile), name: body.name, levelName: body.levelName, points: body.points }) };
      case 'GET /__admin/customers':
        return { customers: [...this.customers.values()], pointsLog: this.log, pointsApplied: this.pointsApplied };
      case 'POST /__admin/points':
        return { entry: this.onlinePoints(String(body.mobile), Number(body.amount), body.description) };
      default:
        return undefined;
    }
  }
}
