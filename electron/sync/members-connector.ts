// What a platform offers for members, beside the stock/orders connector: customers pulled by update
// time, a customer looked up by phone, points changed idempotently (Youzan's biz_value: a repeat with
// the same key is done once) and the platform's points log. Kept apart from ShopConnector so a
// platform without members (抖店, 微店 as far as PLATFORMS.md knows) needs nothing.
import type { PlatformId, PushOutcome, ShopConnector } from './connector';
import { YouzanCustomers } from './youzan/customers';
import type { YouzanConnector } from './youzan/connector';

export interface PlatformCustomer {
  customerId: string;
  /** Normalized to 11 digits (normalizePhone), or null when the platform has none. */
  phone: string | null;
  name: string;
  level: string | null;
  points: number | null;
  updatedAt: number;
}

export interface PointsChange {
  customerId: string;
  phone: string;
  /** Positive earns, negative spends; never 0. */
  delta: number;
  /** The platform's idempotency key: the same key is applied once. */
  bizValue: string;
  reason: string;
}

export interface PlatformPointsEntry {
  logId: string;
  customerId: string;
  delta: number;
  /** The key a client sent with the change, when the log says it (then it is one of ours, maybe). */
  bizValue: string | null;
  reason: string;
  at: number;
}

export interface MemberConnector {
  readonly platform: PlatformId;
  /** Every customer whose profile changed in [sinceMs, untilMs], all pages. */
  pullCustomers(window: { sinceMs: number; untilMs: number }): Promise<PlatformCustomer[]>;
  customerByPhone(phone: string): Promise<PlatformCustomer | null>;
  /** applied, or already_applied when the platform had this bizValue (a replay after a lost answer). */
  changePoints(change: PointsChange): Promise<PushOutcome>;
  /** Every points change the platform logged in [sinceMs, untilMs], all pages. */
  pullPointsLog(window: { sinceMs: number; untilMs: number }): Promise<PlatformPointsEntry[]>;
}

/** The members side of a shop connector, or null where the platform has none. */
export function memberConnectorOf(c: ShopConnector): MemberConnector | null {
  if (c.platform === 'youzan' && 'client' in c) return new YouzanCustomers((c as YouzanConnector).client);
  return null;
}
