// Youzan members on the wire (PLATFORMS.md §1.6), through the same token and envelope handling as the
// stock and order calls (YouzanClient in ./wire.ts). Evidence: youzan.scrm.customer.get 3.1.0 and the
// points increase/decrease 3.1.0 with biz_value are level A/B; a repeated biz_value answers 142100106
// 重复操作 (§0.6), read here as "already applied". UNVERIFIED (named once here, the fake imports them):
// the fields level_name/points/updated_at on a customer, the customer search's time parameters, the
// points log API's name and fields, and the "no such customer" code.
import type { PushOutcome } from '../connector';
import { SyncError } from '../connector';
import type { MemberConnector, PlatformCustomer, PlatformPointsEntry, PointsChange } from '../members-connector';
import { normalizePhone } from '../members-phone';
import { parseYouzanTime, youzanTime, type YouzanClient } from './wire';

export const YOUZAN_MEMBER_APIS = {
  customerGet: ['youzan.scrm.customer.get', '3.1.0'],
  customerSearch: ['youzan.scrm.customer.search', '3.0.0'], // UNVERIFIED parameters
  pointsIncrease: ['youzan.crm.customer.points.increase', '3.1.0'],
  pointsDecrease: ['youzan.crm.customer.points.decrease', '3.1.0'],
  pointsLog: ['youzan.crm.customer.points.changelog.search', '3.0.0'], // UNVERIFIED name and fields
} as const;
export const YOUZAN_POINTS_DUPLICATE = 142100106;
export const YOUZAN_CUSTOMER_NOT_FOUND = 141800100; // UNVERIFIED
/** account_type for a mobile number in the points APIs (§1.6: 2 fans, 3 mobile, 4 open_user_id, 6 wx openid). */
export const YOUZAN_ACCOUNT_MOBILE = 3;
const PAGE_SIZE = 50;

function toCustomer(c: any): PlatformCustomer {
  if (!c || typeof c !== 'object' || (typeof c.yz_open_id !== 'string' && typeof c.yz_open_id !== 'number')) throw new TypeError('客户缺少 yz_open_id');
  return {
    customerId: String(c.yz_open_id),
    phone: normalizePhone(c.mobile),
    name: String(c.name ?? ''),
    level: c.level_name ? String(c.level_name) : null,
    points: typeof c.points === 'number' && Number.isInteger(c.points) ? c.points : null,
    updatedAt: parseYouzanTime(c.updated_at),
  };
}

function toEntry(e: any): PlatformPointsEntry {
  if (!e || typeof e !== 'object' || e.id === undefined || !Number.isInteger(e.amount)) throw new TypeError('积分记录缺少 id/amount');
  return {
    logId: String(e.id),
    customerId: String(e.yz_open_id),
    delta: e.amount,
    bizValue: e.biz_value ? String(e.biz_value) : null,
    reason: String(e.description ?? ''),
    at: parseYouzanTime(e.created_at),
  };
}

function parse<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new SyncError('bad_response', 'MALFORMED', `有赞${what}无法解析：${(e as Error).message}`);
  }
}

export class YouzanCustomers implements MemberConnector {
  readonly platform = 'youzan' as const;

  constructor(private readonly client: YouzanClient) {}

  async customerByPhone(phone: string): Promise<PlatformCustomer | null> {
    try {
      const r = await this.client.call(...YOUZAN_MEMBER_APIS.customerGet, { account: { account_type: 'Mobile', account_id: phone } });
      return parse('客户', () => toCustomer(r));
    } catch (e) {
      if (e instanceof SyncError && e.code === String(YOUZAN_CUSTOMER_NOT_FOUND)) return null;
      throw e;
    }
  }

  async pullCustomers(window: { sinceMs: number; untilMs: number }): Promise<PlatformCustomer[]> {
    const out: PlatformCustomer[] = [];
    const start = Math.floor(window.sinceMs / 1000) * 1000;
    const end = Math.max(start + 1000, Math.ceil(window.untilMs / 1000) * 1000);
    for (let pageNo = 1; ; pageNo++) {
      const r = await this.client.call(...YOUZAN_MEMBER_APIS.customerSearch, { updated_at_start: youzanTime(start), updated_at_end: youzanTime(end), page_no: pageNo, page_size: PAGE_SIZE });
      if (!Array.isArray(r.records) || typeof r.total !== 'number') throw new SyncError('bad_response', 'MALFORMED', '有赞客户列表应答缺少 records/total');
      out.push(...parse('客户', () => r.records.map(toCustomer)));
      if (r.records.length < PAGE_SIZE || pageNo * PAGE_SIZE >= r.total) return out;
    }
  }

  async changePoints(c: PointsChange): Promise<PushOutcome> {
    if (!Number.isInteger(c.delta) || c.delta === 0) throw new SyncError('refused', 'BAD_POINTS', '积分变动必须是非零整数');
    const api = c.delta > 0 ? YOUZAN_MEMBER_APIS.pointsIncrease : YOUZAN_MEMBER_APIS.pointsDecrease;
    try {
      const r = await this.client.call(api[0], api[1], { account_type: YOUZAN_ACCOUNT_MOBILE, account_id: c.phone, points: Math.abs(c.delta), reason: c.reason, biz_value: c.bizValue });
      if (r.is_success !== true) throw new SyncError('bad_response', 'MALFORMED', '有赞积分变动没有返回 is_success');
      return 'applied';
    } catch (e) {
      // §0.6: a used biz_value is "already done", never a failure to retry with a new key.
      if (e instanceof SyncError && e.code === String(YOUZAN_POINTS_DUPLICATE)) return 'already_applied';
      throw e;
    }
  }

  async pullPointsLog(window: { sinceMs: number; untilMs: number }): Promise<PlatformPointsEntry[]> {
    const out: PlatformPointsEntry[] = [];
    const start = Math.floor(window.sinceMs / 1000) * 1000;
    const end = Math.max(start + 1000, Math.ceil(window.untilMs / 1000) * 1000);
    for (let pageNo = 1; ; pageNo++) {
      const r = await this.client.call(...YOUZAN_MEMBER_APIS.pointsLog, { start_time: youzanTime(start), end_time: youzanTime(end), page_no: pageNo, page_size: PAGE_SIZE });
      if (!Array.isArray(r.items) || typeof r.total !== 'number') throw new SyncError('bad_response', 'MALFORMED', '有赞积分记录应答缺少 items/total');
      out.push(...parse('积分记录', () => r.items.map(toEntry)));
      if (r.items.length < PAGE_SIZE || pageNo * PAGE_SIZE >= r.total) return out;
    }
  }
}
