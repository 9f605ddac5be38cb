// A fast-check model test of reservations: random sequences of orders arriving, status copies
// (newer, older, duplicated), and hand-overs with repeated keys, applied to the till and to a small
// model of the rules; after every step the till's held stock, on-hand stock, moves and order states
// equal the model's.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnlineOrder, OnlineOrderStatus } from '../../../electron/sync/connector';
import { linkSku } from '../../../electron/sync/mapping';
import { storeOrders } from '../../../electron/sync/orders';
import { handOver } from '../../../electron/sync/reservations';
import { tempTill, type TempTill } from '../../support/temp-till';

const STATUSES: OnlineOrderStatus[] = ['unpaid', 'paid', 'shipped', 'done', 'cancelled', 'refunding'];
const ended = (s: OnlineOrderStatus) => s === 'cancelled' || s === 'refunding';

type Cmd =
  | { k: 'copy'; order: number; status: OnlineOrderStatus; dt: number; lines: { sku: number; qty: number }[] }
  | { k: 'hand'; order: number; line: number; qty: number; key: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({
    k: fc.constant('copy' as const),
    order: fc.integer({ min: 0, max: 4 }),
    status: fc.constantFrom(...STATUSES),
    dt: fc.integer({ min: -3, max: 3 }),
    lines: fc.array(fc.record({ sku: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ k: fc.constant('hand' as const), order: fc.integer({ min: 0, max: 4 }), line: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 3 }), key: fc.integer({ min: 0, max: 5 }) }),
);

interface MLine {
  sku: number;
  qty: number;
  reserved: boolean;
  handed: number;
  released: number;
}
interface MOrder {
  status: OnlineOrderStatus;
  updatedAt: number;
  lines: MLine[];
  review: boolean;
}

const tills: TempTill[] = [];
afterAll(() => tills.forEach((t) => t.cleanup()));

describe('reservations against a model', () => {
  it('random copies, replays and hand-overs keep the till equal to the model', () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 40 }), (cmds) => {
        const t = tempTill();
        tills.push(t);
        const db = t.till.db;
        const now = t.till.now();
        const skus = (t.till.sqlite.prepare(`SELECT s.id, s.stock_qty AS q FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 0 ORDER BY s.code LIMIT 3`).all() as { id: string; q: number }[]);
        skus.forEach((s, i) => linkSku(db, { skuId: s.id, platform: 'youzan', itemId: `item${i}`, platformSkuId: null, matchedBy: 'manual' }, now));
        const model = new Map<number, MOrder>();
        const keys = new Map<number, number>(); // key → order it was used for
        let clock = 1_000_000;

        for (const c of cmds) {
          clock += 10;
          if (c.k === 'copy') {
            const m = model.get(c.order);
            const updatedAt = (m?.updatedAt ?? clock) + c.dt;
            const lines = m ? m.lines.map((l) => ({ sku: l.sku, qty: l.qty })) : c.lines; // an order's lines stay
            const o: OnlineOrder = {
              platformOrderId: `T${c.order}`, status: c.status, platformStatus: c.status, deliveryType: 'self_pickup', payAmountFen: 0, createdAt: 0, updatedAt,
              lines: lines.map((l) => ({ itemId: `item${l.sku}`, platformSkuId: null, outSkuId: null, qty: l.qty })),
            };
            storeOrders(db, 'youzan', [o], clock, clock);
            // The model: a copy not newer than the stored one changes nothing.
            if (m && updatedAt <= m.updatedAt) continue;
            const mo: MOrder = m ?? { status: c.status, updatedAt, review: false, lines: lines.map((l) => ({ ...l, reserved: false, handed: 0, released: 0 })) };
            mo.status = c.status;
            mo.updatedAt = updatedAt;
            if (!ended(c.status)) for (const l of mo.lines) if (!l.reserved) l.reserved = true;
            for (const l of mo.lines) {
              if (!l.reserved) continue;
              const open = l.qty - l.handed - l.released;
              if ((c.status === 'shipped' || c.status === 'done') && open > 0) l.handed += open;
              if (ended(c.status) && open > 0) l.released += open;
            }
            if (ended(c.status) && mo.lines.some((l) => l.handed > 0)) mo.review = true;
            model.set(c.order, mo);
          } else {
            const m = model.get(c.order);
            const id = t.till.sqlite.prepare(`SELECT id FROM online_orders WHERE platform_order_id = ?`).pluck().get(`T${c.order}`) as string | undefined;
            expect(id === undefined).toBe(m === undefined);
            if (!m || !id) continue;
            const key = `key-${c.key}-xxxxx`;
            let refusal: string | null = null;
            try {
              handOver(db, { id, lines: [{ lineNo: c.line, qty: c.qty }], key, userId: null, now: clock, businessDay: '2026-11-30' });
            } catch (e) {
              refusal = (e as { code: string }).code;
            }
            const used = keys.get(c.key);
            const l = m.lines[c.line];
            const expected =
              used !== undefined ? (used === c.order ? null : 'HANDOVER_KEY_REUSED')
              : ended(m.status) ? 'ORDER_CANCELLED'
              : !l ? 'HANDOVER_BAD_LINE'
              : !l.reserved ? 'HANDOVER_UNMAPPED'
              : c.qty > l.qty - l.handed - l.released ? 'HANDOVER_TOO_MANY'
              : null;
            expect(refusal).toBe(expected);
            if (used === undefined && expected === null) {
              l.handed += c.qty;
              keys.set(c.key, c.order);
            }
          }
          // The till equals the model.
          skus.forEach((s, i) => {
            const row = t.till.sqlite.prepare(`SELECT stock_qty AS q, reserved_qty AS r FROM skus WHERE id = ?`).get(s.id) as { q: number; r: number };
            let open = 0;
            let handed = 0;
            for (const o of model.values()) for (const l of o.lines) if (l.sku === i && l.reserved) (open += l.qty - l.handed - l.released), (handed += l.handed);
            expect(row).toEqual({ q: s.q - handed * 1000, r: open * 1000 });
          });
          const review = t.till.sqlite.prepare(`SELECT platform_order_id AS id FROM online_orders WHERE review = 'pending' ORDER BY id`).pluck().all();
          expect(review).toEqual([...model.entries()].filter(([, o]) => o.review).map(([n]) => `T${n}`).sort());
          expect(t.till.sqlite.prepare(`SELECT count(*) FROM online_orders`).pluck().get()).toBe(model.size);
        }
        // Each move is written once: the moves' sum equals what left, per SKU.
        const moved = t.till.sqlite.prepare(`SELECT coalesce(-sum(qty_delta), 0) FROM stock_moves WHERE reason = 'online_order'`).pluck().get() as number;
        let handedAll = 0;
        for (const o of model.values()) for (const l of o.lines) handedAll += l.handed;
        expect(moved).toBe(handedAll * 1000);
        t.cleanup();
        tills.pop();
      }),
      { numRuns: Number(process.env.RESERVATION_RUNS ?? 40), seed: Number(process.env.RESERVATION_SEED ?? 20261130) },
    );
  });
});
