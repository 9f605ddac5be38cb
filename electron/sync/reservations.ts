// Online orders' hold on local stock. Each order line linked to a local SKU becomes a reservation
// (online_reservations, thousandths; its open part is counted in skus.reserved_qty by the ledger):
//   paid / unpaid            → reserved (the counter's 可售 and every platform's figure fall by it);
//                              a newer copy with changed lines (改单: a quantity edited, a line removed
//                              or partly refunded, a SKU link fixed) moves each line's hold to its new
//                              quantity — never below what already left: a line cut below its hand-over
//                              holds nothing more and the order waits for a person (review 'pending')
//   shipped / done           → what is still reserved leaves as a stock move (ledger moveReservedOut,
//                              id `<reservation>:out`, reason online_order, ref platform:orderId)
//   cancelled / refunding    → what is still reserved is given back; if anything had already left the
//                              shop, the order waits for a person (review 'pending'): stock is never
//                              returned automatically after the goods went out.
//   handOver(key)            → a part leaves at the counter (partial pickup), id `<reservation>:h:<key>`
// Every step is a function of the order's state and the rows already written, so a replay, a
// duplicate or a late older copy (orders.ts drops those by update time) changes nothing twice; the
// moves' ids are deterministic, so even a repeated call could not write a move twice. A line asking
// for more than the counter had left when it arrived is marked oversold (shown, never hidden).
// Whenever the figure the platforms may sell changes, an absolute push is queued for every platform
// the SKU is linked on (./sellable.ts explains why absolute, and why the origin is included).
import { newId } from '../../shared/ids';
import { TillError } from '../../shared/errors';
import type { OnlineOrderStatusView, OrderSyncState } from '../../shared/api/orders';
import { businessDay as calendarDayOf, openDay } from '../till/business-day';
import type { TillDb } from '../till/db';
import { moveReserved, moveReservedOut, moveStock } from '../till/ledger';
import { ABSOLUTE_PREFIX } from './relay-store';

export interface StoredLine {
  itemId: string;
  platformSkuId: string | null;
  outSkuId?: string | null;
  skuId: string | null;
  qty: number;
}

export interface OrderRow {
  id: string;
  platform: string;
  platformOrderId: string;
  status: OnlineOrderStatusView;
  lines: StoredLine[];
  review: string | null;
}

interface ReservationRow {
  id: string;
  line_no: number;
  sku_id: string;
  qty: number;
  handed_qty: number;
  released_qty: number;
  oversold_qty: number;
}

const open = (r: ReservationRow) => r.qty - r.handed_qty - r.released_qty;
const pieces = (milli: number) => milli / 1000;
export const orderRef = (platform: string, platformOrderId: string) => `${platform}:${platformOrderId}`;

const stmts = new WeakMap<TillDb, ReturnType<typeof prepare>>();
function prepare(db: TillDb) {
  const c = db.$client;
  return {
    reservations: c.prepare<[string]>(`SELECT id, line_no, sku_id, qty, handed_qty, released_qty, oversold_qty FROM online_reservations WHERE order_id = ? ORDER BY line_no`),
    insert: c.prepare(
      `INSERT INTO online_reservations (id, order_id, line_no, sku_id, qty, handed_qty, released_qty, oversold_qty, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
    ),
    handed: c.prepare<[number, number, string]>(`UPDATE online_reservations SET handed_qty = handed_qty + ?, updated_at = ? WHERE id = ?`),
    released: c.prepare<[number, number, string]>(`UPDATE online_reservations SET released_qty = released_qty + ?, updated_at = ? WHERE id = ?`),
    save: c.prepare<[number, number, number, number, number, string]>(`UPDATE online_reservations SET line_no = ?, qty = ?, released_qty = ?, oversold_qty = ?, updated_at = ? WHERE id = ?`),
    sku: c.prepare<[string]>(`SELECT stock_qty AS stockQty, reserved_qty AS reservedQty, name FROM skus WHERE id = ?`),
    event: c.prepare(`INSERT INTO online_order_events (id, order_id, at, text) VALUES (?, ?, ?, ?)`),
    state: c.prepare(`UPDATE online_orders SET sync_state = ?, oversold = ?, review = ? WHERE id = ?`),
    mappedOn: c.prepare<[string]>(`SELECT platform FROM sku_mapping WHERE sku_id = ?`).pluck(),
    maxSeq: c.prepare(`SELECT coalesce(max(rowid), 0) FROM outbox`).pluck(),
    queue: c.prepare(`INSERT INTO sync_deliveries (outbox_id, platform, outbox_seq, sku_id) VALUES (?, ?, ?, ?)`),
    cutoff: c.prepare(`SELECT value FROM settings WHERE key = 'day.cutoffHour'`).pluck(),
    lastClosed: c.prepare(`SELECT max(business_day) FROM day_closes`).pluck(),
  };
}
const q = (db: TillDb) => {
  let s = stmts.get(db);
  if (!s) stmts.set(db, (s = prepare(db)));
  return s;
};

function event(db: TillDb, orderId: string, at: number, text: string): void {
  q(db).event.run(newId(), orderId, at, text);
}

/**
 * Queues an absolute push of the SKU's figure to every platform it is linked on. Its sequence is one
 * past the outbox's end: an absolute push already in flight read its figure before this change, and
 * settling it (relay-store supersede: pending rows up to the sequence it read) must not mark this one
 * done. A later push that read this change covers it or sends it once more — harmless, it is absolute.
 */
export function queueFigure(db: TillDb, skuIds: Iterable<string>): void {
  const s = q(db);
  const seq = (s.maxSeq.get() as number) + 1;
  for (const skuId of new Set(skuIds)) for (const platform of s.mappedOn.all(skuId) as string[]) s.queue.run(`${ABSOLUTE_PREFIX}${newId()}`, platform, seq, skuId);
}

export interface ApplyResult {
  /** SKUs whose platform figure changed (absolute pushes were queued for them, unless deferred). */
  figureChanged: string[];
}

/**
 * Brings the order's reservations in line with its status (the caller's transaction). Idempotent:
 * calling it again with the same order changes nothing.
 */
export function applyOrder(db: TillDb, order: OrderRow, now: number, opts: { deferQueue?: boolean } = {}): ApplyResult {
  if (!db.$client.inTransaction) throw new Error('reservations: call inside a transaction');
  const s = q(db);
  const ref = orderRef(order.platform, order.platformOrderId);
  const changed = new Set<string>();
  const all = s.reservations.all(order.id) as ReservationRow[];
  const ended = order.status === 'cancelled' || order.status === 'refunding';
  const shipping = order.status === 'shipped' || order.status === 'done';
  const review = { value: order.review };

  if (!ended && !shipping) {
    // 1. An open order: every line's hold follows its current quantity (edits, removed lines, a fixed SKU link).
    editLines(db, order, all, ref, now, changed, review);
  } else if (!ended) {
    // 1'. Shipped / done: reserve the linked lines not reserved yet (an order first seen shipped, a line
    // linked since), then they leave at once in step 2. Quantities are not revisited once the goods went out.
    const atLine = new Set(all.filter((r) => r.line_no >= 0).map((r) => r.line_no));
    order.lines.forEach((line, lineNo) => {
      if (line.skuId && !atLine.has(lineNo)) reserveNew(db, order, all, ref, lineNo, line.skuId, Math.round(line.qty * 1000), now, changed);
    });
  }
  const rows = new Map(all.map((r) => [r.id, r]));

  // 2. Shipped / done: what is still reserved leaves the shop.
  if (order.status === 'shipped' || order.status === 'done') {
    const day = shopDay(db, now);
    for (const r of rows.values()) {
      const n = open(r);
      if (n <= 0) continue;
      if (moveReservedOut(db, { id: `${r.id}:out`, skuId: r.sku_id, qty: n, refId: ref, userId: null, businessDay: day, at: now })) {
        s.handed.run(n, now, r.id);
        r.handed_qty += n;
        event(db, order.id, now, `${order.status === 'done' ? '已完成' : '已发货'}：出库 ${pieces(n)} 件（${skuName(db, r.sku_id)}）`);
      }
    }
  }

  // 3. Cancelled / refunded: give back what is still reserved; after the goods left, a person decides.
  if (ended) {
    let left = 0;
    for (const r of rows.values()) {
      left += r.handed_qty;
      const n = open(r);
      if (n <= 0) continue;
      s.released.run(n, now, r.id);
      r.released_qty += n;
      moveReserved(db, r.sku_id, -n);
      changed.add(r.sku_id);
      event(db, order.id, now, `${order.status === 'cancelled' ? '订单取消' : '退款'}：释放占用 ${pieces(n)} 件（${skuName(db, r.sku_id)}）`);
    }
    if (left > 0 && review.value === null) {
      review.value = 'pending';
      event(db, order.id, now, `商品已出库后${order.status === 'cancelled' ? '取消' : '退款'}：库存不会自动退回，请店长决定是否退回库存`);
    }
  }

  writeState(db, order, all, review.value);
  // A poll applying many orders queues once for all of them (deferQueue: the caller queues the union).
  if (changed.size > 0 && !opts.deferQueue) queueFigure(db, changed);
  return { figureChanged: [...changed] };
}

/** A new reservation for line `lineNo` (the oversold check: more asked than the counter had left to sell). */
function reserveNew(db: TillDb, order: OrderRow, all: ReservationRow[], ref: string, lineNo: number, skuId: string, qty: number, now: number, changed: Set<string>): void {
  if (!(qty > 0)) return;
  const s = q(db);
  const sku = s.sku.get(skuId) as { stockQty: number; reservedQty: number; name: string } | undefined;
  if (!sku) return;
  const left = Math.max(0, sku.stockQty - sku.reservedQty);
  const oversold = Math.max(0, qty - left);
  // `<ref>:<line>` as before; a line that took the place of an earlier one gets a suffix (ids stay unique and deterministic).
  const taken = new Set(all.map((r) => r.id));
  let id = `${ref}:${lineNo}`;
  for (let k = 1; taken.has(id); k++) id = `${ref}:${lineNo}:${k}`;
  s.insert.run(id, order.id, lineNo, skuId, qty, oversold, now, now);
  moveReserved(db, skuId, qty);
  changed.add(skuId);
  all.push({ id, line_no: lineNo, sku_id: skuId, qty, handed_qty: 0, released_qty: 0, oversold_qty: oversold });
  event(db, order.id, now, `${sku.name} 占用库存 ${pieces(qty)} 件`);
  if (oversold > 0) event(db, order.id, now, `超卖：${sku.name} 下单 ${pieces(qty)} 件时门店仅余 ${pieces(left)} 件可售，差 ${pieces(oversold)} 件`);
}

/**
 * Which reservation each current line is. Rows carry no platform ids, only their local SKU, and a
 * local SKU is linked to one platform SKU per platform (sku_mapping is unique on sku + platform), so
 * within an order the SKU is the line's stable key: lines are matched to rows by SKU (the same
 * position first, then in order; a row of a line removed earlier comes back if the line does), never
 * by position alone — a removed first line must not shift the others onto the wrong holds. A row
 * left over at the position of a line left over is that line with its SKU link changed. Live rows
 * keep line_no = their line's current position (inbox and hand-over address lines by position);
 * rows whose line is gone are retired to a negative line_no.
 */
function matchLines(lines: StoredLine[], all: ReservationRow[]): { row: (ReservationRow | undefined)[]; relinked: (ReservationRow | undefined)[]; gone: ReservationRow[] } {
  const live = all.filter((r) => r.line_no >= 0).sort((a, b) => a.line_no - b.line_no);
  const retired = all.filter((r) => r.line_no < 0);
  const free = new Set(all);
  const row: (ReservationRow | undefined)[] = [];
  const relinked: (ReservationRow | undefined)[] = [];
  const take = (i: number, r: ReservationRow | undefined, into = row) => {
    if (!r) return;
    into[i] = r;
    free.delete(r);
  };
  lines.forEach((l, i) => l.skuId && take(i, live.find((r) => free.has(r) && r.line_no === i && r.sku_id === l.skuId)));
  for (const pool of [live, retired]) lines.forEach((l, i) => !row[i] && l.skuId && take(i, pool.find((r) => free.has(r) && r.sku_id === l.skuId)));
  lines.forEach((l, i) => !row[i] && l.skuId && take(i, live.find((r) => free.has(r) && r.line_no === i), relinked));
  return { row, relinked, gone: live.filter((r) => free.has(r)) };
}

/** Step 1 for an open order: each line's hold is brought to its current quantity, never below what already left. */
function editLines(db: TillDb, order: OrderRow, all: ReservationRow[], ref: string, now: number, changed: Set<string>, review: { value: string | null }): void {
  const s = q(db);
  const before = new Map(all.map((r) => [r.id, { ...r }]));
  const { row, relinked, gone } = matchLines(order.lines, all);
  const flag = (text: string) => {
    if (review.value !== null) return; // already waiting for (or decided by) a person
    review.value = 'pending';
    event(db, order.id, now, text);
  };
  /** Gives back up to n of what the row still holds (the oversold part first). */
  const release = (r: ReservationRow, n: number, why: string) => {
    n = Math.min(n, open(r));
    if (n <= 0) return;
    r.released_qty += n;
    r.oversold_qty = Math.max(0, r.oversold_qty - n);
    moveReserved(db, r.sku_id, -n);
    changed.add(r.sku_id);
    event(db, order.id, now, `${why}：释放占用 ${pieces(n)} 件（${skuName(db, r.sku_id)}）`);
  };
  let retiredNo = Math.min(0, ...all.map((r) => r.line_no));
  const retire = (r: ReservationRow) => {
    r.line_no = --retiredNo;
  };

  // Lines gone from the order (or no longer linked): what they hold goes back.
  for (const r of gone) {
    release(r, open(r), '改单');
    if (r.handed_qty > 0) flag(`改单：${skuName(db, r.sku_id)} 已从订单移除，但已交付 ${pieces(r.handed_qty)} 件：请店长决定是否退回库存`);
    retire(r);
  }
  order.lines.forEach((line, lineNo) => {
    const want = line.skuId && line.qty > 0 ? Math.round(line.qty * 1000) : 0;
    const old = relinked[lineNo];
    if (old) {
      // The line's SKU link was fixed: the old SKU's hold goes back and the new SKU holds the line's
      // quantity. Each row answers for its own SKU only (so a replay finds nothing to do); what left
      // under the old SKU is for a person to judge.
      release(old, open(old), `改单：商品关联改为 ${skuName(db, line.skuId!)}`);
      if (old.handed_qty > 0) {
        flag(`改单：商品关联由 ${skuName(db, old.sku_id)} 改为 ${skuName(db, line.skuId!)} 前已按 ${skuName(db, old.sku_id)} 交付 ${pieces(old.handed_qty)} 件：请店长核对库存，决定是否退回`);
      }
      retire(old);
      reserveNew(db, order, all, ref, lineNo, line.skuId!, want, now, changed);
      return;
    }
    const r = row[lineNo];
    if (!r) {
      if (line.skuId) reserveNew(db, order, all, ref, lineNo, line.skuId, want, now, changed);
      return;
    }
    r.line_no = lineNo;
    const held = r.qty - r.released_qty; // asked of this row so far, what already left included
    if (want > held) {
      const n = want - held;
      const sku = s.sku.get(r.sku_id) as { stockQty: number; reservedQty: number; name: string };
      const left = Math.max(0, sku.stockQty - sku.reservedQty);
      const oversold = Math.max(0, n - left);
      r.qty += n;
      r.oversold_qty += oversold;
      moveReserved(db, r.sku_id, n);
      changed.add(r.sku_id);
      event(db, order.id, now, `改单：加占 ${pieces(n)} 件（${sku.name}）`);
      if (oversold > 0) event(db, order.id, now, `超卖：${sku.name} 改单加至 ${pieces(want)} 件时门店仅余 ${pieces(left)} 件可售，差 ${pieces(oversold)} 件`);
    } else if (want < held) {
      release(r, held - want, '改单');
      if (want < r.handed_qty) {
        flag(`改单：${skuName(db, r.sku_id)} 减至 ${pieces(want)} 件，但已交付 ${pieces(r.handed_qty)} 件：多交付的 ${pieces(r.handed_qty - want)} 件请店长决定是否退回库存`);
      }
    }
  });
  for (const r of all) {
    const b = before.get(r.id);
    if (b && (b.line_no !== r.line_no || b.qty !== r.qty || b.released_qty !== r.released_qty || b.oversold_qty !== r.oversold_qty)) {
      s.save.run(r.line_no, r.qty, r.released_qty, r.oversold_qty, now, r.id);
    }
  }
}

/** The business day a move made now belongs to, as Till.businessDay reads it (the worker has no Till): cutoff hour, closed days skipped. */
function shopDay(db: TillDb, now: number): string {
  const s = q(db);
  const raw = s.cutoff.get() as string | undefined;
  const cutoff = raw === undefined ? NaN : Number(JSON.parse(raw));
  return openDay(calendarDayOf(now, Number.isInteger(cutoff) ? cutoff : 4), (s.lastClosed.get() as string | null) ?? null);
}

function skuName(db: TillDb, skuId: string): string {
  return (q(db).sku.get(skuId) as { name: string } | undefined)?.name ?? skuId;
}

/** The order's sync state from its lines' reservations (one rule, shared/api/orders.ts ORDER_SYNC_STATES). */
export function syncStateOf(status: string, lines: StoredLine[], rows: ReservationRow[], review: string | null): OrderSyncState {
  if (review === 'pending') return 'needs_review';
  if (status === 'cancelled' || status === 'refunding') return 'released';
  if (lines.some((l) => !l.skuId)) return 'unmapped';
  const openSum = rows.reduce((n, r) => n + open(r), 0);
  const handed = rows.reduce((n, r) => n + r.handed_qty, 0);
  if (openSum > 0) return handed > 0 ? 'partly_handed' : 'reserved';
  return handed > 0 ? 'fulfilled' : 'released';
}

function writeState(db: TillDb, order: OrderRow, rows: ReservationRow[], review: string | null): void {
  const state = syncStateOf(order.status, order.lines, rows, review);
  q(db).state.run(state, rows.some((r) => r.oversold_qty > 0) ? 1 : 0, review, order.id);
}

// ---------------------------------------------------------------------------------------------
// At the counter: hand-over (partial pickup) and a person's decision after a refund

interface OrderDbRow {
  id: string;
  platform: string;
  platform_order_id: string;
  status: OnlineOrderStatusView;
  lines: string;
  review: string | null;
}

const orderQ = new WeakMap<TillDb, ReturnType<typeof prepareOrder>>();
function prepareOrder(db: TillDb) {
  const c = db.$client;
  return {
    order: c.prepare<[string]>(`SELECT id, platform, platform_order_id, status, lines, review FROM online_orders WHERE id = ?`),
    handover: c.prepare<[string]>(`SELECT order_id, moved FROM online_handovers WHERE key = ?`),
    insertHandover: c.prepare(`INSERT INTO online_handovers (key, order_id, moved, user_id, created_at) VALUES (?, ?, ?, ?, ?)`),
  };
}
const oq = (db: TillDb) => {
  let s = orderQ.get(db);
  if (!s) orderQ.set(db, (s = prepareOrder(db)));
  return s;
};

export function orderRow(db: TillDb, id: string): OrderRow | null {
  const r = oq(db).order.get(id) as OrderDbRow | undefined;
  if (!r) return null;
  return { id: r.id, platform: r.platform, platformOrderId: r.platform_order_id, status: r.status, lines: JSON.parse(r.lines) as StoredLine[], review: r.review };
}

export interface HandOverRequest {
  id: string;
  lines: { lineNo: number; qty: number }[];
  key: string;
  userId: string | null;
  now: number;
  businessDay: string;
}

/**
 * Hands these lines/quantities (pieces) of order X over at the counter: each leaves stock (a move out
 * of the reservation, id `<reservation>:h:<key>`) and that much of the reservation is released. The
 * same key again moves nothing and answers what the first call moved. Runs in its own transaction.
 */
export function handOver(db: TillDb, req: HandOverRequest): { replay: boolean; moved: { lineNo: number; qty: number }[] } {
  return db.$client
    .transaction(() => {
      const s = oq(db);
      const done = s.handover.get(req.key) as { order_id: string; moved: string } | undefined;
      if (done) {
        if (done.order_id !== req.id) throw new TillError('HANDOVER_KEY_REUSED', '该请求编号已用于另一笔订单，请重新操作');
        return { replay: true, moved: JSON.parse(done.moved) as { lineNo: number; qty: number }[] };
      }
      const order = orderRow(db, req.id);
      if (!order) throw new TillError('ORDER_NOT_FOUND', '找不到该线上订单');
      if (order.status === 'cancelled' || order.status === 'refunding') {
        throw new TillError('ORDER_CANCELLED', `该订单已${order.status === 'cancelled' ? '取消' : '退款'}，不能交付商品`);
      }
      const rows = new Map((q(db).reservations.all(order.id) as ReservationRow[]).map((r) => [r.line_no, r]));
      // Sum repeats of a line, then check every line before anything moves (all or nothing).
      const want = new Map<number, number>();
      for (const l of req.lines) want.set(l.lineNo, (want.get(l.lineNo) ?? 0) + l.qty);
      for (const [lineNo, n] of want) {
        const line = order.lines[lineNo];
        if (!line) throw new TillError('HANDOVER_BAD_LINE', `订单没有第 ${lineNo + 1} 行商品`);
        const r = rows.get(lineNo);
        if (!line.skuId || !r) throw new TillError('HANDOVER_UNMAPPED', `第 ${lineNo + 1} 行商品未关联本店商品，请先在商品关联中关联`);
        if (n * 1000 > open(r)) {
          throw new TillError('HANDOVER_TOO_MANY', `${skuName(db, r.sku_id)} 待交付 ${pieces(open(r))} 件，不能交付 ${n} 件`, { lineNo, open: pieces(open(r)) });
        }
      }
      const ref = orderRef(order.platform, order.platformOrderId);
      const moved: { lineNo: number; qty: number }[] = [];
      for (const [lineNo, n] of want) {
        const r = rows.get(lineNo)!;
        const id = `${r.id}:h:${req.key}`;
        if (moveReservedOut(db, { id, skuId: r.sku_id, qty: n * 1000, refId: ref, userId: req.userId, businessDay: req.businessDay, at: req.now })) {
          q(db).handed.run(n * 1000, req.now, r.id);
          r.handed_qty += n * 1000;
          moved.push({ lineNo, qty: n });
          event(db, order.id, req.now, `门店交付：出库 ${n} 件（${skuName(db, r.sku_id)}）`);
        }
      }
      s.insertHandover.run(req.key, order.id, JSON.stringify(moved), req.userId, req.now);
      writeState(db, order, [...rows.values()], order.review);
      return { replay: false, moved };
    })
    .immediate();
}

/**
 * A person's decision on an order refunded or cancelled after its goods left: return them to stock
 * (a move in per line, id `<reservation>:return`, pushed to the platforms like any return) or keep
 * the ledger as it is. Runs in its own transaction; the caller audits.
 */
export function resolveReview(db: TillDb, id: string, returnStock: boolean, userId: string | null, now: number, businessDay: string): void {
  db.$client
    .transaction(() => {
      const order = orderRow(db, id);
      if (!order) throw new TillError('ORDER_NOT_FOUND', '找不到该线上订单');
      if (order.review !== 'pending') throw new TillError('ORDER_NO_REVIEW', '该订单没有待处理的退款');
      const rows = q(db).reservations.all(order.id) as ReservationRow[];
      const ref = orderRef(order.platform, order.platformOrderId);
      const changed: string[] = [];
      if (returnStock) {
        // A cancelled or refunded order gives all that left back; an open order whose line was cut
        // below what left (or removed, or relinked) only the part its line no longer asks for.
        const ended = order.status === 'cancelled' || order.status === 'refunding';
        for (const r of rows) {
          const line = r.line_no >= 0 ? order.lines[r.line_no] : undefined;
          const asked = !ended && line?.skuId === r.sku_id && line.qty > 0 ? Math.round(line.qty * 1000) : 0;
          const back = r.handed_qty - asked;
          if (back <= 0) continue;
          moveStock(db, { id: `${r.id}:return`, skuId: r.sku_id, qtyDelta: back, reason: 'online_order', refId: ref, userId, businessDay, at: now });
          changed.push(r.sku_id);
          event(db, order.id, now, `店长决定退回库存：入库 ${pieces(back)} 件（${skuName(db, r.sku_id)}）`);
        }
      } else event(db, order.id, now, '店长决定不退回库存');
      const review = returnStock ? 'returned' : 'kept';
      writeState(db, order, rows, review);
      // The return's own stock.changed rows are relayed; an absolute figure after them also settles a
      // platform that restocked the refund by itself.
      if (changed.length > 0) queueFigure(db, changed);
    })
    .immediate();
}
