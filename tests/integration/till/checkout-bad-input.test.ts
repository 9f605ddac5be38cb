// Bad input at the till: each refused with a clear Chinese message, and NOTHING changed (every table's
// row count, the stock and the cart itself are exactly as before).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView } from '../../support/till-asserts';

let t: TempTill;
let lineId: string;
let weighedSkuId: string;

const TABLES = ['sales', 'sale_lines', 'payments', 'stock_moves', 'print_jobs', 'outbox', 'audit_log', 'carts', 'skus', 'barcodes', 'counters'];
function snapshot() {
  const counts = Object.fromEntries(
    TABLES.map((tb) => [tb, (t.till.sqlite.prepare(`SELECT count(*) AS n FROM ${tb}`).get() as { n: number }).n]),
  );
  const stock = (t.till.sqlite.prepare('SELECT sum(stock_qty) AS s FROM skus').get() as { s: number }).s;
  const cart = (t.till.sqlite.prepare(`SELECT data FROM carts WHERE status = 'active'`).get() as { data: string }).data;
  return { counts, stock, cart };
}

beforeAll(async () => {
  t = tempTill();
  await t.loginAs('cashier');
  await t.call('shift.open', { openingCashFen: 0 });
  const cart = cartView(await t.call('cart.scan', { code: demoBarcode(2) }));
  lineId = cart.lines[0].id;
  weighedSkuId = (await t.call('catalog.search', { q: 'hfspg' })).items[0].skuId;
  await t.call('cart.subtotal');
});
afterAll(() => t?.cleanup());

const cases: [what: string, name: string, input: () => unknown, code: string, message: RegExp][] = [
  ['an unknown barcode', 'cart.scan', () => ({ code: '6901234567892' }), 'UNKNOWN_BARCODE', /^商品条码不存在：6901234567892$/],
  ['a bad check digit', 'cart.scan', () => ({ code: '6920000000001' }), 'BAD_CHECK_DIGIT', /条码校验位错误/],
  ['a code with spaces inside', 'cart.scan', () => ({ code: '69 2000' }), 'BAD_INPUT', /条码只能包含/],
  ['quantity 0', 'cart.setQty', () => ({ lineId, qty: 0 }), 'BAD_INPUT', /数量须大于 0/],
  ['100000 pieces', 'cart.setQty', () => ({ lineId, qty: 100_000_000 }), 'BAD_INPUT', /数量过大/],
  ['half a bottle', 'cart.setQty', () => ({ lineId, qty: 1500 }), 'QTY_NOT_WHOLE', /按件销售，数量须为整数/],
  ['quantity 0 when adding', 'cart.addSku', () => ({ skuId: weighedSkuId, qty: 0 }), 'BAD_INPUT', /数量须大于 0/],
  ['a negative price', 'cart.overridePrice', () => ({ lineId, unitPriceFen: -100 }), 'BAD_INPUT', /价格不能为负/],
  ['a price override by a cashier without a manager', 'cart.overridePrice', () => ({ lineId, unitPriceFen: 100 }), 'APPROVAL_REQUIRED', /改价需要店长授权/],
  ['removing a line after the subtotal without a manager', 'cart.removeLine', () => ({ lineId }), 'APPROVAL_REQUIRED', /店长授权/],
  ['a forged approval token', 'cart.overridePrice', () => ({ lineId, unitPriceFen: 100, approval: 'ab'.repeat(16) }), 'APPROVAL_REQUIRED', /店长授权/],
  ['a discount of 50% by a cashier', 'cart.setOrderDiscount', () => ({ discount: { kind: 'percent', bp: 5000 } }), 'APPROVAL_REQUIRED', /折扣超过收银员权限/],
  ['a negative payment', 'sales.pay', () => ({ requestId: randomUUID(), payments: [{ method: 'cash', amountFen: -500 }] }), 'BAD_INPUT', /^金额须大于 0$/],
  ['a card payment without a reference', 'sales.pay', () => ({ requestId: randomUUID(), payments: [{ method: 'card_terminal', amountFen: 350, reference: '' }] }), 'BAD_INPUT', /终端参考号/],
  ['an unknown tender', 'sales.pay', () => ({ requestId: randomUUID(), payments: [{ method: 'bitcoin', amountFen: 350 }] }), 'BAD_INPUT', /^付款方式有误，请检查后重试$/],
  ['a line that does not exist', 'cart.setQty', () => ({ lineId: 'nope', qty: 2000 }), 'UNKNOWN_LINE', /商品行不存在/],
];

describe('bad input changes nothing', () => {
  for (const [what, name, input, code, message] of cases) {
    it(`refuses ${what}`, async () => {
      const before = snapshot();
      const r = await t.registry.call(name, input());
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(message);
        expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(snapshot()).toEqual(before);
    });
  }

  it('refuses a merge past 9999 pieces on one line', async () => {
    // 999 × 10 scans would pass 9999: the 11th is refused whole.
    for (let i = 0; i < 10; i++) await t.call('cart.scan', { code: demoBarcode(2), multiplier: 999 });
    const before = snapshot();
    const r = await t.registry.call('cart.scan', { code: demoBarcode(2), multiplier: 999 });
    expect(r.ok ? null : r.error.code).toBe('QTY_TOO_LARGE');
    expect(snapshot()).toEqual(before);
  });
});
