// Checkout slice: the cart lives on the main side (limits, approvals, survives a restart); this
// store keeps the last CartView a cart.* call returned, plus what only the screen needs (the
// selected line, the message next to the scan field, which dialog is open). The hot changes (scan,
// add, quantity, remove) send the version shown and get back only what changed (shared/cart-patch.ts);
// a patch that does not fit (a change this screen missed) fetches the whole cart.
import { create } from 'zustand';
import type { ApiInput, ApiName, CartView, SkuView } from '../../../shared/api';
import { isCartPatch, type CartReply } from '../../../shared/api/cart';
import { applyPatch } from '../../../shared/cart-patch';
import { ApiCallError, call } from '../api/client';
import { withApproval } from './approval';
import { useSession } from './session';

/** The calls that answer a patch when told the cart shown (`known`). */
const PATCHED = new Set<string>(['cart.scan', 'cart.addSku', 'cart.setQty', 'cart.removeLine']);

export type CartCall = {
  [N in ApiName]: N extends `cart.${string}` ? (N extends 'cart.held' ? never : N) : never;
}[ApiName];

export type Dialog =
  | { kind: 'search'; q?: string; tab?: 'search' | 'quick' }
  | { kind: 'member' }
  | { kind: 'qty' }
  | { kind: 'discount' }
  | { kind: 'price' }
  | { kind: 'held' }
  | { kind: 'payment' }
  | { kind: 'return' }
  | { kind: 'void' }
  | { kind: 'logout' }
  | { kind: 'shift' }
  | { kind: 'weight'; sku: SkuView }
  | { kind: 'create'; code: string };

export interface ScanMessage {
  kind: 'ok' | 'error' | 'info';
  text: string;
  /** The unknown code, when the error offers search / create. */
  unknownCode?: string;
}

interface CartState {
  view: CartView | null;
  selectedId: string | null;
  message: ScanMessage | null;
  dialog: Dialog | null;
  load(): Promise<void>;
  /** Shows `v` (and `message` with it: one render, one frame for both). */
  apply(v: CartView, message?: ScanMessage): void;
  /**
   * Calls a cart endpoint, asking a manager on the spot when it answers APPROVAL_REQUIRED. `say`
   * gives the message for the new view, shown in the same update as the view.
   */
  run<N extends CartCall>(name: N, input: ApiInput<N>, action?: string, say?: (v: CartView) => ScanMessage): Promise<CartView | null>;
  select(id: string | null): void;
  move(delta: number): void;
  say(m: ScanMessage | null): void;
  open(d: Dialog): void;
  close(): void;
}

export const useCart = create<CartState>((set, get) => ({
  view: null,
  selectedId: null,
  message: null,
  dialog: null,
  async load() {
    get().apply(await call('cart.get', {}));
  },
  apply(view, message) {
    const shown = get().view;
    // Replies can overtake each other: an older version of the same cart never replaces a newer one.
    if (shown && shown.id === view.id && shown.version > view.version) return;
    const prev = get().selectedId;
    const ids = view.lines.map((l) => l.id);
    const selectedId =
      view.focusLineId && ids.includes(view.focusLineId)
        ? view.focusLineId
        : prev && ids.includes(prev)
          ? prev
          : (ids[ids.length - 1] ?? null);
    set(message ? { view, selectedId, message } : { view, selectedId });
  },
  async run(name, input, action, say) {
    const attempt = async (approval?: string): Promise<CartView> => {
      const shown = get().view;
      const known = PATCHED.has(name) && shown ? { known: { id: shown.id, version: shown.version } } : {};
      const r = (await call(name, { ...(input as object), ...(approval ? { approval } : {}), ...known } as ApiInput<typeof name>)) as CartReply;
      if (!isCartPatch(r)) return r;
      const now = get().view;
      if (now && now.id === r.id && now.version >= r.version) return now; // a newer reply was shown already
      return (now && applyPatch(now, r)) ?? (await call('cart.get', {}));
    };
    const view = action ? await withApproval(action, attempt) : await attempt();
    if (view) get().apply(view, say?.(view));
    return view;
  },
  select(id) {
    set({ selectedId: id });
  },
  move(delta) {
    const { view, selectedId } = get();
    if (!view || !view.lines.length) return;
    const i = view.lines.findIndex((l) => l.id === selectedId);
    const next = Math.min(view.lines.length - 1, Math.max(0, (i < 0 ? view.lines.length : i) + delta));
    set({ selectedId: view.lines[next].id });
  },
  say(message) {
    set({ message });
  },
  open(dialog) {
    set({ dialog });
  },
  close() {
    set({ dialog: null });
  },
}));

/** A readable message for any error (API errors carry plain Chinese from the main side). */
export function errorText(e: unknown): string {
  if (e instanceof ApiCallError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

// A cart belongs to its user: whoever logs in next never sees the last user's lines, not even for
// the moment before their own cart loads.
useSession.subscribe((s, prev) => {
  if (s.session?.userId !== prev.session?.userId) useCart.setState({ view: null, selectedId: null, message: null, dialog: null });
});
