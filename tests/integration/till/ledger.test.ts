// The ledger (electron/till/ledger.ts): every stock change is a ledger row and moves the stock cache by
// the same amount; outbox rows and print jobs are written in the caller's transaction, so a throw
// after them leaves none; outside a transaction it refuses and writes nothing.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueOutbox, enqueuePrint, moveStock, type StockMove } from '../../../electron/till/ledger';
import { outbox, printJobs, skus, stockMoves } from '../../../electron/till/schema';
import { count, stockDrift, stockOf } from '../../support/till-asserts';
import { tempTill, type TempTill } from '../../support/temp-till';

let tt: TempTill;
let skuId: string;
beforeEach(() => {
  tt = tempTill();
  skuId = tt.till.db.select({ id: skus.id }).from(skus).limit(1).get()!.id;
});
afterEach(() => tt.cleanup());

const move = (qtyDelta: number, extra: Partial<StockMove> = {}): StockMove => ({
  skuId, qtyDelta, reason: 'adjust', refId: 'ref-1', userId: null, businessDay: '2026-11-30', at: 1_700_000_000_000, ...extra,
});
const rows = () => ({
  moves: count(tt, 'stock_moves'),
  outbox: count(tt, 'outbox'),
  jobs: count(tt, 'print_jobs'),
});

describe('moveStock', () => {
  it('writes one ledger row, moves the cache by the same amount and tells the platform under the move’s id', () => {
    const before = stockOf(tt, skuId);
    const id = tt.till.tx(() => moveStock(tt.till.db, move(-2500, { reason: 'sale', refId: 'sale-1', userId: 'u1' })))!;
    expect(stockOf(tt, skuId)).toBe(before - 2500);
    const row = tt.till.db.select().from(stockMoves).where(eq(stockMoves.id, id)).get();
    expect(row).toEqual({
      id, skuId, qtyDelta: -2500, reason: 'sale', refId: 'sale-1', userId: 'u1', businessDay: '2026-11-30', createdAt: 1_700_000_000_000,
    });
    const sent = tt.till.db.select().from(outbox).where(eq(outbox.id, id)).get();
    expect(sent?.topic).toBe('stock.changed');
    expect(sent?.payload).toEqual({ skuId, qtyDelta: -2500, reason: 'sale', refId: 'sale-1' });
  });

  it('keeps the cache equal to the sum of the ledger over many moves', () => {
    const deltas = [5000, -1000, -333, 12_000, -7, -4000];
    tt.till.tx(() => {
      for (const d of deltas) moveStock(tt.till.db, move(d));
    });
    tt.till.tx(() => moveStock(tt.till.db, move(-1)));
    const sum = tt.till.sqlite.prepare('SELECT sum(qty_delta) AS s FROM stock_moves WHERE sku_id = ?').get(skuId) as { s: number };
    expect(stockOf(tt, skuId)).toBe(sum.s);
    expect(stockDrift(tt)).toBe(0);
  });

  it('onlyOnSale: a discontinued SKU gives null and nothing is written; an active one moves', () => {
    const before = rows();
    const stock = stockOf(tt, skuId);
    tt.till.db.update(skus).set({ active: false }).where(eq(skus.id, skuId)).run();
    expect(tt.till.tx(() => moveStock(tt.till.db, { ...move(-1000), onlyOnSale: true }))).toBeNull();
    expect(rows()).toEqual(before);
    expect(stockOf(tt, skuId)).toBe(stock);
    tt.till.db.update(skus).set({ active: true }).where(eq(skus.id, skuId)).run();
    expect(tt.till.tx(() => moveStock(tt.till.db, { ...move(-1000), onlyOnSale: true }))).toEqual(expect.any(String));
    expect(stockOf(tt, skuId)).toBe(stock - 1000);
  });

  it('refuses an unknown SKU, and the transaction leaves nothing', () => {
    const before = rows();
    expect(() => tt.till.tx(() => moveStock(tt.till.db, move(1000, { skuId: 'no-such-sku' })))).toThrow();
    expect(rows()).toEqual(before);
  });
});

describe('in the caller’s transaction', () => {
  it('a throw after a move, an outbox row and a print job leaves none of them, and the cache as it was', () => {
    const before = rows();
    const stock = stockOf(tt, skuId);
    expect(() =>
      tt.till.tx(() => {
        moveStock(tt.till.db, move(-1000));
        enqueueOutbox(tt.till.db, 'order.created', {
          saleId: 's1', receiptNo: 'T01-1', businessDay: '2026-11-30', memberId: null, totalFen: 350, lines: [], payments: [],
        }, 1);
        enqueuePrint(tt.till.db, { kind: 'sale', refId: 's1', payload: { v: 1, template: 'sale', data: {} } as never, at: 1 });
        throw new Error('after the ledger');
      }),
    ).toThrow('after the ledger');
    expect(rows()).toEqual(before);
    expect(stockOf(tt, skuId)).toBe(stock);
  });

  it('commits them together when the transaction commits', () => {
    const before = rows();
    const { jobId, msgId } = tt.till.tx(() => {
      moveStock(tt.till.db, move(-1000));
      const msgId = enqueueOutbox(tt.till.db, 'order.refunded', {
        saleId: 'r1', receiptNo: 'T01-2', originalSaleId: 's1', businessDay: '2026-11-30', refundFen: 350, lines: [], refunds: [],
      }, 2);
      const jobId = enqueuePrint(tt.till.db, { kind: 'reprint', refId: 's1', payload: { v: 1, template: 'sale', data: { a: 1 } } as never, isCopy: true, at: 3 });
      return { jobId, msgId };
    });
    expect(rows()).toEqual({ moves: before.moves + 1, outbox: before.outbox + 2, jobs: before.jobs + 1 });
    const job = tt.till.db.select().from(printJobs).where(eq(printJobs.id, jobId)).get();
    expect(job).toMatchObject({ kind: 'reprint', printerRole: 'receipt', refId: 's1', status: 'pending', isCopy: true, attempts: 0, createdAt: 3 });
    expect(job?.payload).toEqual({ v: 1, template: 'sale', data: { a: 1 } });
    expect(tt.till.db.select().from(outbox).where(eq(outbox.id, msgId)).get()).toMatchObject({ topic: 'order.refunded', createdAt: 2, sentAt: null });
  });

  it('refuses to write outside a transaction, and writes nothing', () => {
    const before = rows();
    const stock = stockOf(tt, skuId);
    expect(() => moveStock(tt.till.db, move(-1000))).toThrow(/transaction/);
    expect(() => enqueueOutbox(tt.till.db, 'stock.changed', { skuId, qtyDelta: 1, reason: 'adjust', refId: null }, 1)).toThrow(/transaction/);
    expect(() => enqueuePrint(tt.till.db, { kind: 'test', payload: {} as never, at: 1 })).toThrow(/transaction/);
    expect(rows()).toEqual(before);
    expect(stockOf(tt, skuId)).toBe(stock);
  });
});
