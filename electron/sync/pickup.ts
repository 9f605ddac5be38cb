// 自提核销 at the counter (shared/api/pickup.ts): the pickup code checked with the platform, the order's
// lines handed over through its reservation (./reservations.ts handOver: stock out, hold released,
// idempotent by the caller's key), a pickup slip (自提小票) through the print queue, and the code verified
// on the platform once nothing is left to collect.
//
// Partial pickup: the code is NOT verified while pieces are still to collect. Youzan's apply verifies the
// whole trade and moves it to TRADE_SUCCESS, and an order the sync reads as done moves whatever it still
// holds out of stock — the customer's later pieces would leave the ledger before they leave the shop. So
// the code stays valid, the customer shows it again for the rest, and the last hand-over verifies it.
//
// Refused with the reason in words and nothing moved: a code the classifier calls a product, payment or
// voucher code; a code the platform does not know (or another shop's); a code already verified; an order
// cancelled or refunded online (checked on the platform and locally, again right before the move).
import { scanKind } from '../../shared/scan-kind';
import { TillError } from '../../shared/errors';
import type { PickupLogRow, PickupLookupView, PickupPlatformState, PickupResultView } from '../../shared/api/pickup';
import type { OnlineOrderDetail } from '../../shared/api/orders';
import type { Services } from '../api/services';
import { log } from '../api/log';
import { readReceiptSettings, templateSettings } from '../devices/receipt-settings';
import { DOUBLE, columns, cut, feed, rule, text, type Block, type ReceiptDocument } from '../devices/receipt/document';
import { formatTime } from '../devices/receipt/templates';
import { audit } from '../till/audit';
import type { Till } from '../till/till';
import { SyncError } from './connector';
import { getOrder, orderForViewer } from './inbox';
import { handOver } from './reservations';
import { connectorSettingsOf, enabledPlatforms, saveToken } from './settings';
import { selfFetchApply, selfFetchGet, type SelfFetchCode } from './youzan/selffetch';
import { YouzanClient } from './youzan/wire';

const CLOSED = new Set(['TRADE_CLOSED', 'TRADE_CLOSE', 'TRADE_REFUND']);

/** The shop's Youzan client from the saved settings (its token saved back like the sync's). */
function youzanClient(till: Till, timeoutMs: number): { client: YouzanClient; grantId: string } {
  if (!enabledPlatforms(till).includes('youzan')) throw new TillError('PICKUP_NO_PLATFORM', '有赞网店未启用：请店主在 设置 → 网店平台 中启用后再核销自提码');
  const s = connectorSettingsOf(till, 'youzan');
  if (typeof s === 'string' || s.platform !== 'youzan') throw new TillError('PICKUP_NO_PLATFORM', typeof s === 'string' ? s : '有赞设置不全');
  const client = new YouzanClient({ ...s, timeoutMs, onToken: (t) => saveToken(till, 'youzan', t) });
  return { client, grantId: s.grantId };
}

function platformError(e: unknown): TillError {
  if (e instanceof TillError) return e;
  if (e instanceof SyncError && e.kind === 'auth') return new TillError('PICKUP_PLATFORM_AUTH', `有赞拒绝了本机的授权，请检查网店平台设置（${e.message}）`);
  if (e instanceof SyncError && e.kind === 'refused') return new TillError('PICKUP_REFUSED', `有赞拒绝：${e.message}`);
  return new TillError('PICKUP_PLATFORM_UNREACHABLE', `暂时连不上有赞，请稍后再试（未交付、未核销）：${e instanceof Error ? e.message : String(e)}`);
}

/** The shapes the classifier gives (shared/scan-kind.ts is the one rule): only a pickup-shaped code goes on. */
function checkShape(raw: string): string {
  const k = scanKind(raw);
  if (k.kind === 'product') throw new TillError('PICKUP_IS_PRODUCT', '这是商品条码，不是自提码：请在收银页扫描');
  if (k.kind === 'payment') throw new TillError('PICKUP_IS_PAYMENT_CODE', '这是顾客的付款码，不是自提码：结账时再扫（未扣款）');
  if (k.kind === 'douyin_link' || k.kind === 'bad_link' || (k.kind === 'code' && !k.candidates.includes('pickup'))) {
    throw new TillError('PICKUP_IS_VOUCHER', '这是团购券，不是自提码：请在“团购券”中核销');
  }
  if (k.kind !== 'code') throw new TillError('PICKUP_BAD_CODE', `这不是自提码：${raw.slice(0, 32)}（自提码为 6–12 位数字）`);
  return k.code;
}

async function lookup(till: Till, client: YouzanClient, grantId: string, code: string): Promise<{ sf: SelfFetchCode; orderId: string }> {
  let sf: SelfFetchCode;
  try {
    sf = await selfFetchGet(client, code);
  } catch (e) {
    if (e instanceof SyncError && e.kind === 'refused') throw new TillError('PICKUP_CODE_UNKNOWN', `自提码 ${code} 不存在或不是本店的订单（${e.message}）`);
    throw platformError(e);
  }
  if (sf.kdtId && sf.kdtId !== grantId) throw new TillError('PICKUP_OTHER_SHOP', `自提码 ${code} 是其他店铺的订单，不能在本店取货`);
  if (sf.tradeStatus && CLOSED.has(sf.tradeStatus)) throw new TillError('PICKUP_ORDER_CANCELLED', `订单 ${sf.tid} 已在线上取消或退款，不能取货`);
  const orderId = till.sqlite.prepare(`SELECT id FROM online_orders WHERE platform = 'youzan' AND platform_order_id = ?`).pluck().get(sf.tid) as string | undefined;
  if (!orderId) throw new TillError('PICKUP_ORDER_NOT_SYNCED', `订单 ${sf.tid} 还没有同步到本机：请稍后再扫，或在 网店同步 中点“立即同步”`);
  return { sf, orderId };
}

const openQtyOf = (o: OnlineOrderDetail) => o.lines.reduce((n, l) => n + l.reservedQty, 0);

function refuseOrderState(o: OnlineOrderDetail): void {
  if (o.status === 'cancelled' || o.status === 'refunding') {
    throw new TillError('PICKUP_ORDER_CANCELLED', `订单 ${o.platformOrderId} 已${o.status === 'cancelled' ? '取消' : '退款'}，不能取货`);
  }
}

/** pickup.lookup: the code checked with the platform, then the local order. */
export async function lookupPickup(s: Services, raw: string, timeoutMs = 8000): Promise<PickupLookupView> {
  s.till.auth.requireSession();
  const code = checkShape(raw);
  const { client, grantId } = youzanClient(s.till, timeoutMs);
  const { sf, orderId } = await lookup(s.till, client, grantId, code);
  const order = getOrder(s.till.db, orderId);
  refuseOrderState(order);
  if (sf.verified) throw new TillError('PICKUP_CODE_USED', `自提码 ${code} 已核销过（订单 ${sf.tid} 已取货），不能再次取货`);
  return { code, order: orderForViewer(order, s.till.auth.session?.role), openQty: openQtyOf(order) };
}

const lineName = (l: OnlineOrderDetail['lines'][number]) => {
  const name = l.skuName ?? `商品 ${l.itemId}`;
  return l.spec && !name.includes(l.spec) ? `${name} ${l.spec}` : name; // 可口可乐 330ml's spec is in its name already
};

/** The pickup slip (自提小票): order, what left now, what is still to collect, time, staff. */
export function pickupSlipDoc(o: { shopName: string; order: OnlineOrderDetail; moved: { lineNo: number; qty: number }[]; staff: string; at: number; timeZone?: string; paper: 58 | 80 }): ReceiptDocument {
  const qtyCol = (n: number) => ({ text: `x${n}`, width: 6, align: 'right' as const });
  const rest = o.order.lines.filter((l) => l.reservedQty > 0);
  const blocks: Block[] = [
    text('自提小票', { align: 'center', size: DOUBLE, bold: true }),
    text(o.shopName, { align: 'center' }),
    rule('double'),
    columns([{ text: '订单号' }, { text: o.order.platformOrderId, width: Math.min(o.order.platformOrderId.length, o.paper === 58 ? 24 : 36), align: 'right' }]),
    columns([{ text: '平台' }, { text: o.order.platform === 'youzan' ? '有赞' : o.order.platform, width: 10, align: 'right' }]),
    columns([{ text: '时间' }, { text: formatTime(o.at, o.timeZone), width: 19, align: 'right' }]),
    columns([{ text: '店员' }, { text: o.staff, width: 12, align: 'right' }]),
    rule(),
    text('本次交付', { bold: true }),
    ...o.moved.map((m) => columns([{ text: lineName(o.order.lines[m.lineNo]) }, qtyCol(m.qty)])),
    rule(),
    ...(rest.length
      ? [text('待取商品', { bold: true }), ...rest.map((l) => columns([{ text: lineName(l) }, qtyCol(l.reservedQty)]))]
      : [text('已全部取货', { bold: true, align: 'center' })]),
    rule(),
    text('取货人签字：'),
    feed(2),
    cut(true),
  ];
  return { paper: o.paper, blocks };
}

/** pickup.handOver: checked again, moved, slip queued, platform told when nothing is left. */
export async function handOverPickup(
  s: Services,
  input: { orderId: string; code?: string; lines: { lineNo: number; qty: number }[]; key: string },
  timeoutMs = 8000,
): Promise<PickupResultView> {
  const till = s.till;
  const session = till.auth.requireSession();
  const replayed = till.sqlite.prepare(`SELECT 1 FROM online_handovers WHERE key = ?`).get(input.key) !== undefined;
  const yz = input.code ? youzanClient(till, timeoutMs) : null;
  const code = input.code ? checkShape(input.code) : null;
  if (yz && code && !replayed) {
    // Checked again right before anything moves: cancelled online since the lookup is refused here.
    const { sf, orderId } = await lookup(till, yz.client, yz.grantId, code);
    if (orderId !== input.orderId) throw new TillError('PICKUP_CODE_OTHER_ORDER', `自提码 ${code} 属于另一笔订单（${sf.tid}）`);
    if (sf.verified) throw new TillError('PICKUP_CODE_USED', `自提码 ${code} 已核销过（订单 ${sf.tid} 已取货），不能再次取货`);
  }
  if (!replayed) refuseOrderState(getOrder(till.db, input.orderId));
  const now = till.now();
  const r = handOver(till.db, { id: input.orderId, lines: input.lines, key: input.key, userId: session.userId, now, businessDay: till.businessDay(now) });
  const order = getOrder(till.db, input.orderId);
  const openQty = openQtyOf(order);

  let slipJobId: string | null = null;
  if (!r.replay) {
    till.tx(() =>
      audit(till.sqlite, { userId: session.userId, action: 'pickup.handOver', target: input.orderId, details: { key: input.key, moved: r.moved, code: code ? `***${code.slice(-4)}` : null, openQty } }, now),
    );
    if (s.devices && r.moved.length) {
      try {
        const st = templateSettings(till, readReceiptSettings(till), 58);
        const doc = pickupSlipDoc({ shopName: st.shopName, order, moved: r.moved, staff: session.name, at: now, timeZone: st.timeZone, paper: 58 });
        slipJobId = s.devices.printQueue().enqueue({ kind: 'pickup', refId: input.orderId, payload: { v: 1, template: 'document', doc } });
      } catch (e) {
        log.warn('pickup slip not queued', { order: input.orderId, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  let platform: PickupPlatformState;
  let platformText: string;
  if (openQty > 0) {
    platform = 'partial';
    platformText = `部分取货：还有 ${openQty} 件待取，自提码仍有效，全部取走后在平台核销`;
  } else if (!yz || !code) {
    platform = 'no_code';
    platformText = '已全部取货；未扫描自提码，请顾客出示自提码扫描后在平台核销（或在有赞后台核销）';
  } else {
    try {
      const done = await selfFetchApply(yz.client, code, session.name);
      platform = done === 'applied' ? 'verified' : 'already';
      platformText = done === 'applied' ? '已全部取货，已在有赞核销自提码' : '已全部取货，有赞上该自提码已核销';
    } catch (e) {
      const err = platformError(e);
      platform = err.code === 'PICKUP_REFUSED' ? 'refused' : 'unknown';
      platformText =
        platform === 'refused'
          ? `商品已出库，但有赞未核销：${err.message}`
          : '商品已出库；有赞核销结果未知（网络），请再点一次“确认交付”重试（不会重复出库）';
    }
    audit(till.sqlite, { userId: session.userId, action: 'pickup.verify', target: input.orderId, details: { platform, code: `***${code.slice(-4)}` } }, till.now());
  }
  return { replay: r.replay, moved: r.moved, order: orderForViewer(order, session.role), openQty, platform, platformText, slipJobId };
}

/** pickup.log: the latest hand-overs at the counter, newest first. */
export function pickupLog(till: Till, limit: number): { rows: PickupLogRow[] } {
  const rows = till.sqlite
    .prepare(
      `SELECT h.key, h.order_id, h.moved, h.user_id, h.created_at, o.platform, o.platform_order_id, o.lines, u.name AS user_name
         FROM online_handovers h JOIN online_orders o ON o.id = h.order_id LEFT JOIN users u ON u.id = h.user_id
        ORDER BY h.created_at DESC, h.rowid DESC LIMIT ?`,
    )
    .all(limit) as { key: string; order_id: string; moved: string; user_id: string | null; created_at: number; platform: string; platform_order_id: string; lines: string; user_name: string | null }[];
  const nameOf = till.sqlite.prepare(`SELECT name FROM skus WHERE id = ?`).pluck();
  return {
    rows: rows.map((r) => {
      const moved = JSON.parse(r.moved) as { lineNo: number; qty: number }[];
      const lines = JSON.parse(r.lines) as { skuId: string | null; itemId: string }[];
      return {
        key: r.key,
        orderId: r.order_id,
        platform: r.platform,
        platformOrderId: r.platform_order_id,
        pieces: moved.reduce((n, m) => n + m.qty, 0),
        items: moved.map((m) => `${(lines[m.lineNo]?.skuId && (nameOf.get(lines[m.lineNo].skuId) as string | undefined)) || `商品 ${lines[m.lineNo]?.itemId ?? m.lineNo + 1}`} ×${m.qty}`).join('、'),
        by: r.user_id,
        byName: r.user_name,
        at: r.created_at,
      };
    }),
  };
}
