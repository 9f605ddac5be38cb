// What changed in a cart, instead of the whole cart. A scan into a 150-line cart used to send the
// whole CartView back (≈ 86 KB of JSON to write, send and parse on every change); a caller that
// says which version it shows gets a patch with the lines that changed and the totals. Pure and
// shared: the main side makes it (cartPatch), the renderer applies it (applyPatch) and asks for the
// whole view when it does not fit (a version it missed).
import type { CartLineView, CartPatch, CartView } from './api/cart';
import type { PricedLine } from './pricing';

/** The lines of a cart as the caller had them. */
export interface CartLines {
  lines: readonly CartLineView[];
  priced: { lines: readonly PricedLine[] };
}

/** Field by field; objects (a line discount) by their JSON. Both sides come from one shape. */
function same(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    const u = x[k];
    const v = y[k];
    if (u === v) continue;
    if (u && v && typeof u === 'object' && typeof v === 'object' && JSON.stringify(u) === JSON.stringify(v)) continue;
    return false;
  }
  return true;
}

/** The patch that turns `prev` (version `from` of cart `next.id`) into `next`. */
export function cartPatch(prev: CartLines, next: CartView, from: number): CartPatch {
  const before = new Map(prev.lines.map((l, i) => [l.id, i]));
  const changed: CartPatch['changed'] = [];
  next.lines.forEach((line, index) => {
    const i = before.get(line.id);
    const priced = next.priced.lines[index];
    if (i === undefined || !same(prev.lines[i], line) || !same(prev.priced.lines[i], priced)) changed.push({ index, line, priced });
  });
  const now = new Set(next.lines.map((l) => l.id));
  const { lines: _lines, ...totals } = next.priced;
  return {
    patch: true,
    id: next.id,
    from,
    version: next.version,
    changed,
    removed: prev.lines.filter((l) => !now.has(l.id)).map((l) => l.id),
    lineCount: next.lines.length,
    totals,
    member: next.member,
    subtotaled: next.subtotaled,
    focusLineId: next.focusLineId,
    heldCount: next.heldCount,
  };
}

/**
 * The view the patch makes from `view`, or null when it was not made from this view (another cart,
 * another version): then the caller fetches the whole cart. Unchanged lines keep their objects, so
 * memoised rows do not redraw.
 */
export function applyPatch(view: CartView, p: CartPatch): CartView | null {
  if (view.id !== p.id || view.version !== p.from) return null;
  const gone = new Set(p.removed);
  const lines: CartLineView[] = [];
  const priced: PricedLine[] = [];
  view.lines.forEach((l, i) => {
    if (gone.has(l.id)) return;
    lines.push(l);
    priced.push(view.priced.lines[i]);
  });
  // Lines keep their order: a changed line replaces itself, a new one goes in at its index.
  for (const c of p.changed) {
    const at = lines.findIndex((l) => l.id === c.line.id);
    if (at >= 0) {
      lines[at] = c.line;
      priced[at] = c.priced;
    } else {
      lines.splice(c.index, 0, c.line);
      priced.splice(c.index, 0, c.priced);
    }
  }
  if (lines.length !== p.lineCount || p.changed.some((c) => lines[c.index]?.id !== c.line.id)) return null;
  return {
    id: p.id,
    version: p.version,
    lines,
    priced: { ...p.totals, lines: priced },
    member: p.member,
    subtotaled: p.subtotaled,
    focusLineId: p.focusLineId,
    heldCount: p.heldCount,
  };
}
