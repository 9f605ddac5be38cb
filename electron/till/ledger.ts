// The ledger: the one writer of stock moves (and of skus.stock_qty, the cache of their sum), of outbox
// rows (what the platform is to be told; sync sends them later, each id its idempotency key) and of
// print jobs. Sales and returns write through it today; members' points, stored value, online orders
// and pickups will too. Each function writes inside the caller's transaction and refuses to run
// outside one, so its rows commit, or roll back, with the change they record.
import { newId } from '../../shared/ids';
import type { ReceiptJobPayload } from '../devices/receipt/templates';
import type { TillDb } from './db';
import { inserter, prepared } from './prepared';
import { outbox, printJobs, stockMoves } from './schema';

export type StockReason = (typeof stockMoves.$inferInsert)['reason'];

export interface StockMove {
  skuId: string;
  /** Thousandths of the sell unit: negative goes out (a sale), positive comes in (a return, a delivery). */
  qtyDelta: number;
  reason: StockReason;
  /** What moved it: the sale, the return, the delivery note… */
  refId: string | null;
  userId: string | null;
  businessDay: string;
  at: number;
}

/** What each outbox topic carries: the platform's contract, sent as it is written. */
export interface OutboxPayloads {
  'stock.changed': { skuId: string; qtyDelta: number; reason: StockReason; refId: string | null };
  /** Reserved stock that left for an online order: what the platforms may sell is unchanged (moveReservedOut). */
  'stock.fulfilled': { skuId: string; qtyDelta: number; reason: StockReason; refId: string | null };
  'order.created': {
    saleId: string;
    receiptNo: string;
    businessDay: string;
    memberId: string | null;
    totalFen: number;
    lines: { skuId: string; qty: number; payableFen: number }[];
    payments: { method: string; amountFen: number }[];
  };
  'order.refunded': {
    saleId: string;
    receiptNo: string;
    originalSaleId: string | null;
    businessDay: string;
    refundFen: number;
    lines: { skuId: string; qty: number; refundFen: number; originalLineId: string | null }[];
    refunds: { method: string; amountFen: number }[];
  };
  /** An online order's balance (尾款) taken at the counter (electron/sync/order-balance.ts). */
  'order.balance_paid': { platform: string; platformOrderId: string; amountFen: number; outTradeNo: string };
}
export type OutboxTopic = keyof OutboxPayloads;

export type PrintJobKind = 'sale' | 'return' | 'reprint' | 'shift_report' | 'day_report' | 'topup' | 'pickup' | 'test';

export interface PrintJob {
  kind: PrintJobKind;
  /** Which printer prints it (the device settings route roles to printers). Default 'receipt'. */
  role?: string;
  refId?: string | null;
  payload: ReceiptJobPayload;
  /** A reprint: the receipt says 重印 and never opens the drawer. */
  isCopy?: boolean;
  at: number;
  /** Default: a new id. */
  id?: string;
}

// Inserts through inserter() (drizzle's SQL, run by position): the ledger writes 31 rows for a 10-line
// sale, and drizzle's own prepared run would add ~0.5 µs a bound value (figures in prepared.ts).
const q = prepared((db) => ({
  move: inserter(db, stockMoves, ['id', 'skuId', 'qtyDelta', 'reason', 'refId', 'userId', 'businessDay', 'createdAt']),
  // The stock cache moves with each ledger row (raw: two tiny statements, run 10 times a sale).
  stock: db.$client.prepare<[number, string]>(`UPDATE skus SET stock_qty = stock_qty + ? WHERE id = ?`),
  stockOnSale: db.$client.prepare<[number, string]>(`UPDATE skus SET stock_qty = stock_qty + ? WHERE id = ? AND active = 1`),
  outbox: inserter(db, outbox, ['id', 'topic', 'payload', 'createdAt']),
  print: inserter(db, printJobs, ['id', 'kind', 'printerRole', 'refId', 'payload', 'isCopy', 'createdAt']),
  reserved: db.$client.prepare<[number, string]>(`UPDATE skus SET reserved_qty = reserved_qty + ? WHERE id = ?`),
  moveExists: db.$client.prepare<[string]>(`SELECT 1 FROM stock_moves WHERE id = ?`).pluck(),
}));

function inTransaction(db: TillDb): void {
  if (!db.$client.inTransaction) throw new Error('ledger: write inside the caller’s transaction (till.tx)');
}

/**
 * One stock move: its ledger row, the stock cache (skus.stock_qty) moved by the same amount, and a
 * stock.changed outbox row whose id is the move's. Returns the move's id; null, writing nothing,
 * when `onlyOnSale` is set and the SKU is discontinued (停售: a sale may not take its stock).
 */
export function moveStock(db: TillDb, m: StockMove & { onlyOnSale?: boolean; id?: string }): string | null {
  inTransaction(db);
  const s = q(db);
  // A caller's own id (deterministic, e.g. an online order's line) makes a replay write nothing.
  if (m.id !== undefined && s.moveExists.get(m.id) !== undefined) return null;
  if ((m.onlyOnSale ? s.stockOnSale : s.stock).run(m.qtyDelta, m.skuId).changes !== 1) {
    if (m.onlyOnSale) return null;
    throw new Error(`ledger: no SKU ${m.skuId}`);
  }
  const id = m.id ?? newId();
  s.move({ id, skuId: m.skuId, qtyDelta: m.qtyDelta, reason: m.reason, refId: m.refId, userId: m.userId, businessDay: m.businessDay, createdAt: m.at });
  const payload: OutboxPayloads['stock.changed'] = { skuId: m.skuId, qtyDelta: m.qtyDelta, reason: m.reason, refId: m.refId };
  s.outbox({ id, topic: 'stock.changed', payload, createdAt: m.at });
  return id;
}

/**
 * Online orders' hold on stock (electron/sync/reservations.ts keeps one row per order line): the SKU's
 * reserved_qty cache moves by `delta` thousandths (+ reserves, − releases) in the caller's transaction,
 * so the counter reads its 可售 with the SKU row and the platforms' figure sees it at once.
 */
export function moveReserved(db: TillDb, skuId: string, delta: number): void {
  inTransaction(db);
  if (q(db).reserved.run(delta, skuId).changes !== 1) throw new Error(`ledger: no SKU ${skuId}`);
}

/**
 * Reserved stock leaving the shop for an online order (shipped, picked up, handed over): a stock move
 * out (reason online_order) under the caller's deterministic id, and the reserved cache down by as
 * much. Its outbox row is 'stock.fulfilled', not 'stock.changed': on hand and reserved fall together,
 * so what the platforms may sell does not change and the relay has nothing to push (the order's own
 * platform took its stock when the customer ordered; the others were told when it was reserved — see
 * electron/sync/sellable.ts). Returns false, writing nothing, when a move with this id exists (a replay).
 */
export function moveReservedOut(db: TillDb, m: { id: string; skuId: string; qty: number; refId: string; userId: string | null; businessDay: string; at: number }): boolean {
  inTransaction(db);
  const s = q(db);
  if (!(m.qty > 0)) throw new Error('ledger: a reserved move out takes a positive quantity');
  if (s.moveExists.get(m.id) !== undefined) return false;
  if (s.stock.run(-m.qty, m.skuId).changes !== 1) throw new Error(`ledger: no SKU ${m.skuId}`);
  s.reserved.run(-m.qty, m.skuId);
  s.move({ id: m.id, skuId: m.skuId, qtyDelta: -m.qty, reason: 'online_order', refId: m.refId, userId: m.userId, businessDay: m.businessDay, createdAt: m.at });
  const payload: OutboxPayloads['stock.fulfilled'] = { skuId: m.skuId, qtyDelta: -m.qty, reason: 'online_order', refId: m.refId };
  s.outbox({ id: m.id, topic: 'stock.fulfilled', payload, createdAt: m.at });
  return true;
}

/** A message for the platform, sent by sync after the transaction commits. Returns its id. */
export function enqueueOutbox<T extends OutboxTopic>(db: TillDb, topic: T, payload: OutboxPayloads[T], at: number, id = newId()): string {
  inTransaction(db);
  q(db).outbox({ id, topic, payload, createdAt: at });
  return id;
}

/** A pending print job; the print queue prints it once the transaction has committed. Returns its id. */
export function enqueuePrint(db: TillDb, job: PrintJob): string {
  inTransaction(db);
  const id = job.id ?? newId();
  q(db).print({ id, kind: job.kind, printerRole: job.role ?? 'receipt', refId: job.refId ?? null, payload: job.payload, isCopy: job.isCopy ?? false, createdAt: job.at });
  return id;
}
