// Checkout slice: the cart being rung up. Pricing is the shared pure pipeline, so what the screen
// shows is what the main side will charge (it re-prices on commit and never trusts these totals).
import { create } from 'zustand';
import type { LookupResult } from '../../../shared/api';
import { priceCart, type CartLine, type PricedCart } from '../../../shared/pricing';
import type { RoundingMode } from '../../../shared/money';

export interface UiLine extends CartLine {
  unit: string;
  code: string;
}

interface CartState {
  lines: UiLine[];
  rounding: RoundingMode;
  selectedId: string | null;
  priced: PricedCart;
  addLookup(r: LookupResult, multiplier?: number): UiLine;
  clear(): void;
}

const reprice = (lines: UiLine[], rounding: RoundingMode) => priceCart({ lines, rounding });
let seq = 0;

export const useCart = create<CartState>((set, get) => ({
  lines: [],
  rounding: 'none',
  selectedId: null,
  priced: reprice([], 'none'),
  addLookup(r, multiplier = 1) {
    const { lines, rounding } = get();
    const qty = (r.qty ?? 1000) * multiplier;
    // A repeat scan of a piece item adds to its line; weighed labels are always their own line.
    const same = !r.sku.weighed && r.qty === null ? lines.find((l) => l.skuId === r.sku.skuId && !l.lineDiscount) : undefined;
    let line: UiLine;
    let next: UiLine[];
    if (same) {
      line = { ...same, qty: same.qty + qty };
      next = lines.map((l) => (l.id === same.id ? line : l));
    } else {
      line = {
        id: `l${++seq}`,
        skuId: r.sku.skuId,
        name: r.sku.name,
        code: r.scannedCode,
        unit: r.sku.unit,
        unitPriceFen: r.sku.priceFen,
        originalUnitPriceFen: r.sku.priceFen,
        qty,
        weighed: r.sku.weighed,
      };
      next = [...lines, line];
    }
    set({ lines: next, selectedId: line.id, priced: reprice(next, rounding) });
    return line;
  },
  clear() {
    set({ lines: [], selectedId: null, priced: reprice([], get().rounding) });
  },
}));
