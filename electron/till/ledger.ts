// The ledger: the one writer of stock moves (and of skus.stock_qty, the cache of their sum), of outbox
// rows (what the platform is to be told; sync sends them later, each id its idempotency key) and of
// print jobs. Sales and returns write through it today; members' points, stored value, online orders
// and pickups will too. Each function writes inside the caller's transaction and refuses to run
// outside one, so its rows commit, or roll back, with the change they record.
import { eq, sql } from 'drizzle-orm';
import { newId } from '../../shared/ids';
import type { ReceiptJobPayload } from '../devices/receipt/templates';
import type { TillDb } from './db';
import { arg, prepared } from './prepared';
import { outbox, printJobs, skus, stockMoves } from './schema';

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

const q = prepared((db) => ({
  move: db
    .insert(stockMoves)
    .values({
      id: arg('id'),
      skuId: arg('skuId'),
      qtyDelta: arg('qtyDelta'),
      reason: arg('reason'),
      refId: arg('refId'),
      userId: arg('userId'),
      businessDay: arg('businessDay'),
      createdAt: arg('at'),
    })
    .prepare(),
  stock: db
    .update(skus)
    .set({ stockQty: sql`${skus.stockQty} + ${arg('qtyDelta')}` })
    .where(eq(skus.id, arg('skuId')))
    .prepare(),
  outbox: db
    .insert(outbox)
    .values({ id: arg('id'), topic: arg('topic'), payload: arg('payload'), createdAt: arg('at') })
    .prepare(),
  print: db
    .insert(printJobs)
    .values({
      id: arg('id'),
      kind: arg('kind'),
      printerRole: arg('role'),
      refId: arg('refId'),
      payload: arg('payload'),
      isCopy: arg('isCopy'),
      createdAt: arg('at'),
    })
    .prepare(),
}));

function inTransaction(db: TillDb): void {
  if (!db.$client.inTransaction) throw new Error('ledger: write inside the caller’s transaction (till.tx)');
}

/**
 * One stock move: its ledger row, the stock cache (skus.stock_qty) moved by the same amount, and a
 * stock.changed outbox row whose id is the move's. Returns the move's id.
 */
export function moveStock(db: TillDb, m: StockMove): string {
  inTransaction(db);
  const id = newId();
  const s = q(db);
  s.move.run({ id, skuId: m.skuId, qtyDelta: m.qtyDelta, reason: m.reason, refId: m.refId, userId: m.userId, businessDay: m.businessDay, at: m.at });
  if (s.stock.run({ qtyDelta: m.qtyDelta, skuId: m.skuId }).changes !== 1) throw new Error(`ledger: no SKU ${m.skuId}`);
  s.outbox.run({ id, topic: 'stock.changed', payload: { skuId: m.skuId, qtyDelta: m.qtyDelta, reason: m.reason, refId: m.refId }, at: m.at });
  return id;
}

/** A message for the platform, sent by sync after the transaction commits. Returns its id. */
export function enqueueOutbox<T extends OutboxTopic>(db: TillDb, topic: T, payload: OutboxPayloads[T], at: number, id = newId()): string {
  inTransaction(db);
  q(db).outbox.run({ id, topic, payload, at });
  return id;
}

/** A pending print job; the print queue prints it once the transaction has committed. Returns its id. */
export function enqueuePrint(db: TillDb, job: PrintJob): string {
  inTransaction(db);
  const id = job.id ?? newId();
  q(db).print.run({
    id,
    kind: job.kind,
    role: job.role ?? 'receipt',
    refId: job.refId ?? null,
    payload: job.payload,
    isCopy: job.isCopy ?? false,
    at: job.at,
  });
  return id;
}
