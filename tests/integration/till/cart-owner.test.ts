// A cart belongs to its cashier (issue 12 items 5 and 6), as sequences through the API on a real
// SQLite file: a logout with items holds the cart under its owner and the next user starts empty;
// a session that ended without a logout (restart) does the same for anyone but the owner; a
// manager's price change never lands in a cashier's cart; 取单 over items holds them in the same step.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartView, HeldCartView } from '../../../shared/api/cart';
import { hashPin } from '../../../electron/till/auth';
import { demoBarcode } from '../../../electron/till/seed';
import { newId } from '../../../shared/ids';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView, refusal, withManager } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

const COKE_330 = demoBarcode(1); // 可口可乐 330ml ¥3.00
const COKE_500 = demoBarcode(2); // 可口可乐 500ml ¥3.50

async function open(): Promise<TempTill> {
  t = tempTill();
  await t.loginAs('cashier');
  await t.call('shift.open', { openingCashFen: 50000 });
  return t;
}

/** The cart rows as stored: status and owner by cart id. */
const rows = (tt: TempTill) =>
  tt.till.sqlite.prepare(`SELECT id, status, user_id AS userId FROM carts ORDER BY updated_at, id`).all() as {
    id: string;
    status: string;
    userId: string;
  }[];
const holds = (tt: TempTill) =>
  (tt.till.sqlite.prepare(`SELECT user_id AS userId, target, details FROM audit_log WHERE action = 'cart.hold' ORDER BY seq`).all() as {
    userId: string;
    target: string;
    details: string;
  }[]).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));

/** A second cashier (小李, PIN 3333), for the rule that a cashier recalls only their own carts. */
function addCashier(tt: TempTill): string {
  const id = newId();
  tt.till.sqlite
    .prepare(`INSERT INTO users (id, name, role_id, pin_hash, created_at) VALUES (?, '小李', 'cashier', ?, ?)`)
    .run(id, hashPin('3333'), Date.now());
  return id;
}

describe('a cart belongs to its cashier', () => {
  it('logout with a subtotaled cart: held under the cashier, audited; the manager starts with an empty cart', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_330 });
    await tt.call('cart.scan', { code: COKE_500, multiplier: 2 });
    const cashiers = await tt.call('cart.subtotal');
    expect(cashiers.subtotaled).toBe(true);

    const events: { lines: unknown[] }[] = [];
    tt.till.events.onAny((name, payload) => name === 'cart' && events.push(payload as CartView));
    await tt.call('auth.logout'); // straight through the API: nobody asked 挂单 or 作废
    expect(rows(tt)).toEqual([{ id: cashiers.id, status: 'held', userId: tt.userId('cashier') }]);
    expect(events.map((e) => e.lines.length)).toEqual([0]); // the customer display stops showing it
    expect(holds(tt)).toEqual([{ userId: tt.userId('cashier'), target: cashiers.id, details: { reason: 'logout', lines: 2 } }]);

    await tt.loginAs('manager');
    const mine = await tt.call('cart.get');
    expect(mine.id).not.toBe(cashiers.id);
    expect(mine.lines).toEqual([]);
    expect(mine.subtotaled).toBe(false);
    expect(mine.heldCount).toBe(1); // a manager sees every held cart
    const held = await tt.call('cart.held');
    expect(held.map((h) => [h.id, h.userName, h.totalFen])).toEqual([[cashiers.id, '小王', 1000]]);
    // Paying through the API pays the manager's own (empty) cart, never the cashier's.
    expect((await refusal(tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] }))).code).toBe('CART_EMPTY');
  });

  it("an owner's price change cannot land in the cashier's cart; the cashier recalls it as it was", async () => {
    const tt = await open();
    const cashiers = cartView(await tt.call('cart.scan', { code: COKE_500 }));
    const lineId = cashiers.lines[0].id;
    await tt.call('cart.subtotal');
    await tt.call('auth.logout');

    await tt.loginAs('owner');
    expect((await refusal(tt.call('cart.overridePrice', { lineId, unitPriceFen: 100 }))).code).toBe('UNKNOWN_LINE');
    expect((await refusal(tt.call('cart.removeLine', { lineId }))).code).toBe('UNKNOWN_LINE');
    const own = cartView(await tt.call('cart.scan', { code: COKE_330 }));
    const repriced = await tt.call('cart.overridePrice', { lineId: own.lines[0].id, unitPriceFen: 100 }); // the owner approves themself
    expect(repriced.priced.totalFen).toBe(100);
    await tt.call('auth.logout');

    await tt.loginAs('cashier');
    const fresh = await tt.call('cart.get');
    expect(fresh.lines).toEqual([]);
    const held = await tt.call('cart.held');
    expect(held.map((h) => [h.id, h.userName])).toEqual([[cashiers.id, '小王']]); // not the owner's
    expect(fresh.heldCount).toBe(1);
    const back = await tt.call('cart.recall', { heldId: cashiers.id });
    expect(back.id).toBe(cashiers.id);
    expect(back.priced.lines.map((l) => [l.id, l.unitPriceFen, l.qty])).toEqual([[lineId, 350, 1000]]);
    expect(back.subtotaled).toBe(true); // still after 结算: removing a line still needs a manager
    expect(back.lines[0].priceOverriddenBy).toBeNull();
    expect((await refusal(tt.call('cart.removeLine', { lineId }))).code).toBe('APPROVAL_REQUIRED');
  });

  it('a restart without logout keeps the cart with its owner: the owner carries on, anyone else finds it held', async () => {
    let tt = await open();
    const cashiers = cartView(await tt.call('cart.scan', { code: COKE_500, multiplier: 3 }));
    tt = t = tt.reopen(); // the process was killed: no logout ran
    expect(rows(tt)).toEqual([{ id: cashiers.id, status: 'active', userId: tt.userId('cashier') }]);

    await tt.loginAs('cashier'); // the same cashier comes back to the same cart
    expect((await tt.call('cart.get')).id).toBe(cashiers.id);
    tt = t = tt.reopen();

    await tt.loginAs('manager');
    expect(rows(tt)).toEqual([{ id: cashiers.id, status: 'held', userId: tt.userId('cashier') }]);
    expect(holds(tt).at(-1)).toEqual({
      userId: tt.userId('cashier'),
      target: cashiers.id,
      details: { reason: 'session_ended', lines: 1, foundBy: tt.userId('manager') },
    });
    expect((await tt.call('cart.get')).lines).toEqual([]);
    await tt.call('auth.logout');
    tt = t = tt.reopen();

    await tt.loginAs('cashier'); // still held, still theirs, after another restart
    const held = await tt.call('cart.held');
    expect(held.map((h) => [h.id, h.userName, h.itemCount])).toEqual([[cashiers.id, '小王', 3]]);
  });

  it('whatever path changed the session, the cart functions set another user’s cart aside before touching it', async () => {
    const tt = await open();
    const cashiers = cartView(await tt.call('cart.scan', { code: COKE_330 }));
    // A session switched without the login handler's settling (any future path): activeCart still checks the owner.
    tt.till.auth.login(tt.userId('manager'), '2222');
    const v = cartView(await tt.call('cart.scan', { code: COKE_500 }));
    expect(v.lines.map((l) => l.name)).toEqual([expect.stringContaining('500ml')]);
    expect(rows(tt).find((r) => r.id === cashiers.id)).toMatchObject({ status: 'held', userId: tt.userId('cashier') });
  });

  it('an empty cart is simply dropped at logout; the hold limit never blocks a logout', async () => {
    const tt = await open();
    await tt.call('auth.logout');
    expect(rows(tt)).toEqual([]);
    await tt.loginAs('cashier');
    tt.till.settings.set('checkout.maxHeldCarts', 1);
    await tt.call('cart.scan', { code: COKE_330 });
    await tt.call('cart.hold', {});
    await tt.call('cart.scan', { code: COKE_500 });
    expect((await refusal(tt.call('cart.hold', {}))).code).toBe('TOO_MANY_HELD');
    await tt.call('auth.logout');
    expect(rows(tt).map((r) => r.status)).toEqual(['held', 'held']);
  });

  it('a cashier recalls only their own held carts; a manager may take over anyone’s, audited', async () => {
    const tt = await open();
    addCashier(tt);
    const wangs = cartView(await tt.call('cart.scan', { code: COKE_330 }));
    await tt.call('cart.hold', {});
    await tt.call('auth.logout');

    const li = (tt.till.sqlite.prepare(`SELECT id FROM users WHERE name = '小李'`).get() as { id: string }).id;
    await tt.call('auth.login', { userId: li, pin: '3333' });
    expect(await tt.call('cart.held')).toEqual([]);
    expect((await tt.call('cart.get')).heldCount).toBe(0);
    const refused = await refusal(tt.call('cart.recall', { heldId: wangs.id }));
    expect(refused.code).toBe('NOT_YOUR_CART');
    expect(refused.message).toContain('小王');
    expect(rows(tt).find((r) => r.id === wangs.id)).toMatchObject({ status: 'held', userId: tt.userId('cashier') });
    await tt.call('auth.logout');

    await tt.loginAs('manager');
    const taken = await tt.call('cart.recall', { heldId: wangs.id });
    expect(taken.id).toBe(wangs.id);
    expect(rows(tt).find((r) => r.id === wangs.id)).toMatchObject({ status: 'active', userId: tt.userId('manager') });
    const audit = tt.till.sqlite.prepare(`SELECT user_id AS userId, details FROM audit_log WHERE action = 'cart.recall'`).get() as {
      userId: string;
      details: string;
    };
    expect(audit.userId).toBe(tt.userId('manager'));
    expect(JSON.parse(audit.details)).toEqual({ owner: tt.userId('cashier'), ownerName: '小王' });
  });
});

describe('取单 over a cart with items', () => {
  it('holds the current cart and recalls the other in one step; both intact, nothing lost', async () => {
    const tt = await open();
    const first = cartView(await tt.call('cart.scan', { code: COKE_330, multiplier: 2 }));
    await tt.call('cart.hold', { note: '先拿饮料' });
    const second = cartView(await tt.call('cart.scan', { code: COKE_500 }));
    await tt.call('cart.subtotal');

    const now = await tt.call('cart.recall', { heldId: first.id });
    expect(now.id).toBe(first.id);
    expect(now.priced.totalFen).toBe(600);
    expect(now.heldCount).toBe(1);
    const held = await tt.call('cart.held');
    expect(held.map((h) => [h.id, h.totalFen, h.userName])).toEqual([[second.id, 350, '小王']]);

    const again = await tt.call('cart.recall', { heldId: second.id }); // and back
    expect(again.id).toBe(second.id);
    expect(again.subtotaled).toBe(true);
    expect((await tt.call('cart.held')).map((h) => [h.id, h.totalFen, h.note])).toEqual([[first.id, 600, '先拿饮料']]);
  });

  it('a recall that fails changes nothing (one transaction)', async () => {
    const tt = await open();
    const cur = cartView(await tt.call('cart.scan', { code: COKE_330 }));
    expect((await refusal(tt.call('cart.recall', { heldId: 'nope' }))).code).toBe('UNKNOWN_HELD');
    expect(rows(tt)).toEqual([{ id: cur.id, status: 'active', userId: tt.userId('cashier') }]);
    // A voided cart after 结算 still needs the manager, whoever is asking to log out.
    await tt.call('cart.subtotal');
    expect((await refusal(tt.call('cart.void', {}))).code).toBe('APPROVAL_REQUIRED');
    expect((await withManager(tt, 'cart.void', {})).lines).toEqual([]);
  });
});
