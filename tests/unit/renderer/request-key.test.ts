// The renderer's idempotency keys: one key per user action with one body (issue 7, 2.4). The old
// screens kept one requestId across a failed return and the cancel after it; these rules make that
// impossible, and a retry of the same body still keeps its key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Loaded by path: the renderer's files belong to the web TS project, not this one.
const path = '../../../renderer/src/api/request-key.ts';
const { canonicalJson, RequestKeys } = (await import(/* @vite-ignore */ path)) as {
  canonicalJson(value: unknown): string;
  RequestKeys: new () => { for(endpoint: string, body: object): string; done(): void };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ret = (lines: { lineId: string; qty: number }[], refs?: { card_terminal: string }) => ({ saleId: 's1', lines, ...(refs ? { refundReferences: refs } : {}) });

describe('RequestKeys', () => {
  it('a retry of the same body keeps its key, whatever the key order of the object', () => {
    const keys = new RequestKeys();
    const a = keys.for('sales.return', { saleId: 's1', lines: [{ lineId: 'l1', qty: 1000 }] });
    expect(a).toMatch(UUID);
    expect(keys.for('sales.return', { lines: [{ qty: 1000, lineId: 'l1' }], saleId: 's1' })).toBe(a);
  });

  it('a cancel after a failed return of the same sale gets its own key', () => {
    const keys = new RequestKeys();
    const r = keys.for('sales.return', ret([{ lineId: 'l1', qty: 1000 }]));
    const c = keys.for('sales.cancel', { saleId: 's1', reason: '顾客不要了' });
    expect(c).not.toBe(r);
  });

  it('other lines, quantities, amounts or a terminal reference are another action', () => {
    const keys = new RequestKeys();
    const seen = new Set([
      keys.for('sales.return', ret([{ lineId: 'l1', qty: 1000 }])),
      keys.for('sales.return', ret([{ lineId: 'l1', qty: 2000 }])),
      keys.for('sales.return', ret([{ lineId: 'l2', qty: 1000 }])),
      keys.for('sales.return', ret([{ lineId: 'l1', qty: 1000 }], { card_terminal: 'R-1234' })),
      keys.for('sales.return', ret([{ lineId: 'l1', qty: 1000 }], { card_terminal: 'R-1235' })),
      keys.for('sales.pay', { payments: [{ method: 'cash', amountFen: 1000 }] }),
      keys.for('sales.pay', { payments: [{ method: 'cash', amountFen: 2000 }] }),
    ]);
    expect(seen.size).toBe(7);
  });

  it('going back to a body tried before (its outcome maybe unknown) is a retry of it', () => {
    const keys = new RequestKeys();
    const one = keys.for('sales.pay', { payments: [{ method: 'cash', amountFen: 1000 }] });
    keys.for('sales.pay', { payments: [{ method: 'cash', amountFen: 500 }, { method: 'cash', amountFen: 500 }] });
    expect(keys.for('sales.pay', { payments: [{ method: 'cash', amountFen: 1000 }] })).toBe(one);
  });

  it('once an action went through, the same body again is a new action (a second identical return)', () => {
    const keys = new RequestKeys();
    const first = keys.for('sales.returnWithoutReceipt', { items: [{ skuId: 'k', qty: 1000, unitPriceFen: 200 }], reason: '质量问题' });
    keys.done();
    expect(keys.for('sales.returnWithoutReceipt', { items: [{ skuId: 'k', qty: 1000, unitPriceFen: 200 }], reason: '质量问题' })).not.toBe(first);
  });

  it('refuses a body carrying requestId or the approval token (the approval retry must keep its key)', () => {
    const keys = new RequestKeys();
    expect(() => keys.for('sales.return', { ...ret([{ lineId: 'l1', qty: 1000 }]), approval: 'tok' })).toThrow(/approval/);
    expect(() => keys.for('sales.pay', { requestId: 'x', payments: [] })).toThrow(/requestId/);
  });

  it('two bodies share a key exactly when their canonical JSON is equal', () => {
    const body = fc.record({ saleId: fc.constantFrom('s1', 's2'), lines: fc.array(fc.record({ lineId: fc.constantFrom('a', 'b'), qty: fc.constantFrom(1000, 2000) }), { maxLength: 2 }) });
    fc.assert(
      fc.property(fc.constantFrom('sales.return', 'sales.cancel'), body, fc.constantFrom('sales.return', 'sales.cancel'), body, (e1, b1, e2, b2) => {
        const keys = new RequestKeys();
        const same = e1 === e2 && canonicalJson(b1) === canonicalJson(b2);
        expect(keys.for(e1, b1) === keys.for(e2, b2)).toBe(same);
      }),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson([{ y: 1, x: 2 }])).toBe('[{"x":2,"y":1}]');
  });
  it('drops undefined members, as the wire does', () => {
    expect(canonicalJson({ a: 1, refundReferences: undefined })).toBe(canonicalJson({ a: 1 }));
  });
});
