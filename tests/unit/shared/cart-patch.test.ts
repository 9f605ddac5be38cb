// A patch made from one cart view to the next, applied to the first, gives exactly the second; a
// patch for another version or cart does not apply (the renderer then fetches the whole cart).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CartLineView, CartView } from '../../../shared/api/cart';
import { applyPatch, cartPatch } from '../../../shared/cart-patch';
import { priceCart, type CartLine, type Discount } from '../../../shared/pricing';

interface Line extends CartLine {
  note: string | null;
}

function view(id: string, version: number, lines: Line[], orderDiscount?: Discount): CartView {
  const priced = priceCart({ lines, orderDiscount, rounding: 'jiao' });
  const views: CartLineView[] = lines.map((l) => ({
    id: l.id, skuId: l.skuId, name: l.name, unit: '瓶', weighed: false, scannedCode: null, note: l.note, priceOverriddenBy: null, scaleLabel: false,
  }));
  return { id, version, lines: views, priced, member: null, subtotaled: false, focusLineId: lines.at(-1)?.id ?? null, heldCount: 0 };
}

type Op =
  | { op: 'add'; price: number; qty: number }
  | { op: 'qty'; at: number; qty: number }
  | { op: 'remove'; at: number }
  | { op: 'discount'; at: number; bp: number }
  | { op: 'note'; at: number }
  | { op: 'order'; fen: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), price: fc.integer({ min: 1, max: 9999 }), qty: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ op: fc.constant('qty' as const), at: fc.nat(), qty: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('discount' as const), at: fc.nat(), bp: fc.integer({ min: 0, max: 5000 }) }),
  fc.record({ op: fc.constant('note' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('order' as const), fen: fc.integer({ min: 0, max: 500 }) }),
);

describe('cart patches', () => {
  it('applying the patch from one version to the next gives the next view exactly', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        let lines: Line[] = [];
        let order: Discount | undefined;
        let n = 0;
        let shown = view('c1', 0, lines);
        for (const [v, o] of ops.entries()) {
          lines = lines.map((l) => ({ ...l }));
          const at = lines.length ? ('at' in o ? o.at % lines.length : 0) : -1;
          if (o.op === 'add') lines.push({ id: `l${++n}`, skuId: `s${n}`, name: `商品${n}`, unitPriceFen: o.price, originalUnitPriceFen: o.price, qty: o.qty * 1000, note: null });
          else if (o.op === 'order') order = o.fen ? { kind: 'amount', fen: o.fen } : undefined;
          else if (at < 0) continue;
          else if (o.op === 'qty') lines[at].qty = o.qty * 1000;
          else if (o.op === 'remove') lines.splice(at, 1);
          else if (o.op === 'discount') lines[at].lineDiscount = o.bp ? { kind: 'percent', bp: o.bp } : undefined;
          else if (o.op === 'note') lines[at].note = `备注${v}`;
          const next = view('c1', v + 1, lines, order);
          const patch = cartPatch(shown, next, shown.version);
          const applied = applyPatch(shown, patch);
          expect(applied).toEqual(next);
          // Unchanged lines keep their objects (memoised rows do not redraw).
          for (const [i, l] of applied!.lines.entries()) {
            if (patch.changed.some((c) => c.line.id === l.id)) continue;
            expect(shown.lines).toContain(l);
            expect(shown.priced.lines).toContain(applied!.priced.lines[i]);
          }
          shown = applied!;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sends only the changed line and the totals for a scan into a long cart', () => {
    const lines: Line[] = Array.from({ length: 150 }, (_, i) => ({
      id: `l${i}`, skuId: `s${i}`, name: `香辣牛肉干 ${i}号`, unitPriceFen: 100 + i, originalUnitPriceFen: 100 + i, qty: 1000, note: null,
    }));
    const before = view('c1', 7, lines);
    const after = view('c1', 8, [...lines, { id: 'new', skuId: 'x', name: '可口可乐 330ml', unitPriceFen: 300, originalUnitPriceFen: 300, qty: 1000, note: null }]);
    const patch = cartPatch(before, after, 7);
    expect(patch.changed.map((c) => c.line.id)).toContain('new');
    expect(patch.changed.length).toBeLessThanOrEqual(3); // the new line, and lines whose 抹零 share moved
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(after).length / 20);
  });

  it('a patch for another version or another cart does not apply', () => {
    const a = view('c1', 3, [{ id: 'l1', skuId: 's1', name: 'x', unitPriceFen: 100, originalUnitPriceFen: 100, qty: 1000, note: null }]);
    const b = view('c1', 4, []);
    const patch = cartPatch(a, b, 3);
    expect(applyPatch({ ...a, version: 2 }, patch)).toBeNull();
    expect(applyPatch({ ...a, id: 'c2' }, patch)).toBeNull();
    expect(applyPatch(a, patch)).toEqual(b);
  });
});
