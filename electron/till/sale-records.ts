// The stored sales, shared by paying (sales.ts) and returns (returns.ts): writing one (a sale or a
// return: its row, lines and payments, inside the caller's transaction) and reading them back. Row
// types come from schema.ts. What a sale writes besides (stock moves, outbox rows, the print job)
// goes through the ledger (ledger.ts).
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { SaleLineView, SaleSummary, SaleView } from '../../shared/api/sales';
import { TillError } from '../../shared/errors';
import type { TillDb } from './db';
import { arg, inserter, LIMIT_1, prepared } from './prepared';
import { normalizeReceiptNo } from './receipt-no';
import { payments, printJobs, saleLines, sales, skus, units, users } from './schema';
import type { Till } from './till';

// ---------------------------------------------------------------------------------------------
// Writing

type Insert<T extends { $inferInsert: object }, K extends keyof T['$inferInsert']> = { [P in K]-?: Exclude<T['$inferInsert'][P], undefined> };

const SALE_KEYS = ['id', 'receiptNo', 'tillId', 'kind', 'originalSaleId', 'businessDay', 'shiftId', 'userId', 'approvedBy', 'memberId',
  'grossFen', 'discountFen', 'roundingFen', 'totalFen', 'paidFen', 'changeFen', 'itemCount', 'createdAt', 'requestId', 'requestHash'] as const;
const LINE_KEYS = ['id', 'saleId', 'lineNo', 'skuId', 'name', 'qty', 'unitPriceFen', 'originalUnitPriceFen', 'grossFen', 'discountFen',
  'netFen', 'payableFen', 'originalLineId', 'note', 'lineDiscountFen', 'promoDiscountFen', 'orderDiscountFen'] as const;
const PAYMENT_KEYS = ['id', 'saleId', 'method', 'amountFen', 'reference', 'status', 'createdAt', 'originalPaymentId'] as const;

/** A sale or return row as written (status: 'completed', the column's default). */
export type SaleRecord = Insert<typeof sales, (typeof SALE_KEYS)[number]>;
export type SaleLineRecord = Insert<typeof saleLines, (typeof LINE_KEYS)[number]>;
export type PaymentRecord = Insert<typeof payments, (typeof PAYMENT_KEYS)[number]>;

// The pay commit's rows (a hot path): inserter(), see prepared.ts for why not drizzle's own run.
const writers = prepared((db) => ({
  sale: inserter(db, sales, SALE_KEYS),
  line: inserter(db, saleLines, LINE_KEYS),
  payment: inserter(db, payments, PAYMENT_KEYS),
  cancel: db.update(sales).set({ status: 'cancelled' }).where(eq(sales.id, arg('id'))).prepare(),
}));

/** Writes a sale or a return: its row, lines and payments. Inside the caller's transaction. */
export function writeSale(db: TillDb, sale: SaleRecord, lines: readonly SaleLineRecord[], paid: readonly PaymentRecord[]): void {
  if (!db.$client.inTransaction) throw new Error('writeSale: inside the caller’s transaction (till.tx)');
  const w = writers(db);
  w.sale(sale);
  for (const l of lines) w.line(l);
  for (const p of paid) w.payment(p);
}

/** Marks a sale cancelled (its cancel's return is written with it). */
export function markCancelled(db: TillDb, saleId: string): void {
  writers(db).cancel.run({ id: saleId });
}

// ---------------------------------------------------------------------------------------------
// Reading

const original = alias(sales, 'original');
const returned = alias(saleLines, 'returned');
const refunds = alias(payments, 'refund');

const readers = prepared((db) => ({
  header: db
    .select({
      id: sales.id,
      receiptNo: sales.receiptNo,
      kind: sales.kind,
      status: sales.status,
      createdAt: sales.createdAt,
      businessDay: sales.businessDay,
      cashierName: users.name,
      totalFen: sales.totalFen,
      paidFen: sales.paidFen,
      changeFen: sales.changeFen,
      originalReceiptNo: original.receiptNo,
      memberId: sales.memberId,
    })
    .from(sales)
    .innerJoin(users, eq(users.id, sales.userId))
    .leftJoin(original, eq(original.id, sales.originalSaleId))
    .where(eq(sales.id, arg('id')))
    .prepare(),
  lines: db
    .select({
      id: saleLines.id,
      lineNo: saleLines.lineNo,
      skuId: saleLines.skuId,
      name: saleLines.name,
      qty: saleLines.qty,
      unit: units.name,
      weighed: units.weighed,
      unitPriceFen: saleLines.unitPriceFen,
      netFen: saleLines.netFen,
      payableFen: saleLines.payableFen,
      returnedQty: sql<number>`COALESCE(${db.select({ q: sql`-sum(${returned.qty})` }).from(returned).where(eq(returned.originalLineId, saleLines.id))}, 0)`,
      refundedFen: sql<number>`COALESCE(${db.select({ f: sql`-sum(${returned.payableFen})` }).from(returned).where(eq(returned.originalLineId, saleLines.id))}, 0)`,
    })
    .from(saleLines)
    .innerJoin(skus, eq(skus.id, saleLines.skuId))
    .innerJoin(units, eq(units.id, skus.unitId))
    .where(eq(saleLines.saleId, arg('id')))
    .orderBy(asc(saleLines.lineNo))
    .prepare(),
  payments: db
    .select({
      id: payments.id,
      method: payments.method,
      amountFen: payments.amountFen,
      reference: payments.reference,
      refundedFen: sql<number>`COALESCE(${db.select({ f: sql`-sum(${refunds.amountFen})` }).from(refunds).where(eq(refunds.originalPaymentId, payments.id))}, 0)`,
    })
    .from(payments)
    .where(eq(payments.saleId, arg('id')))
    .orderBy(sql`${payments}.rowid`)
    .prepare(),
  returnedQty: db
    .select({ q: sql<number>`COALESCE(-sum(${saleLines.qty}), 0)` })
    .from(saleLines)
    .where(eq(saleLines.originalLineId, arg('lineId')))
    .prepare(),
  firstReceipt: db
    .select({ id: printJobs.id, payload: printJobs.payload })
    .from(printJobs)
    .where(and(eq(printJobs.refId, arg('saleId')), eq(printJobs.isCopy, false), sql`${printJobs.kind} IN ('sale', 'return')`))
    .limit(LIMIT_1)
    .prepare(),
}));

/** The stored sale or return as the UI shows its head (with the original's number for a return). */
export type SaleHeader = NonNullable<ReturnType<ReturnType<typeof readers>['header']['get']>>;

export function saleHeader(till: Till, saleId: string): SaleHeader {
  const row = readers(till.db).header.get({ id: saleId });
  if (!row) throw new TillError('UNKNOWN_SALE', '交易不存在');
  return row;
}

/** A sale's lines with what has been returned of each so far. */
export function saleLineViews(till: Till, saleId: string): SaleLineView[] {
  return readers(till.db)
    .lines.all({ id: saleId })
    .map((r) => ({ ...r, returnableQty: Math.max(0, r.qty - r.returnedQty) }));
}

/** How much of a sale line has been returned (all its returns committed so far). */
export function returnedQty(till: Till, lineId: string): number {
  return readers(till.db).returnedQty.get({ lineId })!.q;
}

/** A sale's payment as stored, with what has been refunded from it so far. */
export type SalePayment = ReturnType<ReturnType<typeof readers>['payments']['all']>[number];

/** A sale's payments in the order they were taken. */
export function salePayments(till: Till, saleId: string): SalePayment[] {
  return readers(till.db).payments.all({ id: saleId });
}

/** The sale's (or return's) own receipt job, not a reprint: its id and the payload as printed. */
export function firstReceipt(till: Till, saleId: string): { id: string; payload: unknown } | undefined {
  return readers(till.db).firstReceipt.get({ saleId });
}

export function getSale(till: Till, saleId: string): SaleView {
  const { memberId: _m, ...row } = saleHeader(till, saleId);
  const paid = salePayments(till, saleId).map(({ method, amountFen, reference }) => ({ method, amountFen, reference }));
  return { ...row, lines: saleLineViews(till, saleId), payments: paid };
}

const SUMMARY = {
  id: sales.id,
  receiptNo: sales.receiptNo,
  kind: sales.kind,
  status: sales.status,
  createdAt: sales.createdAt,
  totalFen: sales.totalFen,
  itemCount: sales.itemCount,
};

const summaries = prepared((db) => ({
  byReceiptNo: db.select(SUMMARY).from(sales).where(eq(sales.receiptNo, arg('receiptNo'))).prepare(),
  byDay: db.select(SUMMARY).from(sales).where(eq(sales.businessDay, arg('day'))).orderBy(desc(sales.createdAt)).limit(arg('limit')).prepare(),
  byDayAndAmount: db
    .select(SUMMARY)
    .from(sales)
    .where(and(eq(sales.businessDay, arg('day')), sql`abs(${sales.totalFen}) = ${arg('amountFen')}`))
    .orderBy(desc(sales.createdAt))
    .limit(arg('limit'))
    .prepare(),
}));

/** By receipt number (the receipt's barcode), else by business day (default today) and amount. */
export function findSales(
  till: Till,
  q: { receiptNo?: string; businessDay?: string; amountFen?: number; limit: number },
): SaleSummary[] {
  const s = summaries(till.db);
  if (q.receiptNo) return s.byReceiptNo.all({ receiptNo: normalizeReceiptNo(q.receiptNo) });
  const day = q.businessDay ?? till.businessDay();
  if (q.amountFen !== undefined) return s.byDayAndAmount.all({ day, amountFen: q.amountFen, limit: q.limit });
  return s.byDay.all({ day, limit: q.limit });
}
