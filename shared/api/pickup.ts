// 自提核销 (self-pickup at the counter): the staff member scans or types the customer's pickup code
// (or finds the order by phone or order number through orders.list), sees the order's lines with what
// was already handed over, ticks what leaves now (partial pickup: two now, one later) and confirms:
// stock moves out through the order's reservation (electron/sync/reservations.ts handOver, idempotent by
// the caller's key), a pickup slip (自提小票) is printed, and once the whole order has left, the code is
// verified on the platform (Youzan selffetchcode.apply). The rules live in electron/sync/pickup.ts.
// Roles: pickup is open to staff (店员, a role of its own: no selling, refunds or drawer) and up.
import { z } from 'zod';
import { endpoint } from './endpoint';
import type { OnlineOrderDetail } from './orders';

/** What the platform was told by this hand-over. */
export const PICKUP_PLATFORM_STATES = ['verified', 'already', 'partial', 'no_code', 'unknown', 'refused'] as const;
export type PickupPlatformState = (typeof PICKUP_PLATFORM_STATES)[number];

export interface PickupLookupView {
  /** The code as the platform knows it. */
  code: string;
  order: OnlineOrderDetail;
  /** Pieces still to hand over (0: everything left already). */
  openQty: number;
}

export interface PickupResultView {
  replay: boolean;
  moved: { lineNo: number; qty: number }[];
  order: OnlineOrderDetail;
  openQty: number;
  platform: PickupPlatformState;
  /** The platform's state in words (已在有赞核销 / 部分自提：剩余商品取走后再核销 / 核销结果未知 …). */
  platformText: string;
  /** The slip's print job, null when no printer queue runs (the words say so). */
  slipJobId: string | null;
}

export interface PickupLogRow {
  key: string;
  orderId: string;
  platform: string;
  platformOrderId: string;
  /** Pieces handed over by this pickup. */
  pieces: number;
  items: string;
  by: string | null;
  byName: string | null;
  at: number;
}

const key = z.string({ error: '缺少请求编号' }).regex(/^[A-Za-z0-9_.:-]{8,80}$/, { error: '请求编号格式不对' });
const code = z.string({ error: '请扫描或输入自提码' }).trim().min(1, '请扫描或输入自提码').max(64, '自提码过长');

export const pickupApi = {
  'pickup.lookup': endpoint<PickupLookupView>()({
    input: z.object({ code }).strict(),
    role: 'staff',
    summary: '自提码查询：向平台核对自提码（已核销、订单已取消、非本店的自提码会被拒绝并说明原因），返回本机订单及待交付商品',
  }),
  'pickup.handOver': endpoint<PickupResultView>()({
    input: z
      .object({
        orderId: z.string().min(1, '订单编号无效').max(64, '订单编号无效'),
        /** The pickup code the order was found by (null/absent: found by phone or order number; the platform is not told). */
        code: code.optional(),
        lines: z
          .array(z.object({ lineNo: z.number().int().min(0).max(999), qty: z.number({ error: '数量须为整数' }).int({ error: '数量须为整数' }).min(1, '数量至少为 1').max(100_000) }).strict(), {
            error: '请选择要交付的商品',
          })
          .min(1, '请选择要交付的商品')
          .max(200),
        key,
      })
      .strict(),
    role: 'staff',
    summary: '自提交付：所选商品出库并释放占用（同一请求编号不重复出库），打印自提小票，整单交付后在平台核销自提码',
  }),
  'pickup.log': endpoint<{ rows: PickupLogRow[] }>()({
    input: z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    role: 'staff',
    summary: '最近的自提交付记录（谁、何时、哪笔订单、交付了什么）',
  }),
};
