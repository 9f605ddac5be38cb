// A code typed with a Chinese input method in full-width digits reaches the till as the ASCII code
// (issue 7, item 9): the scan adds the item, search finds it, the member is found by phone.
import { afterEach, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { Page, SkuView } from '../../../shared/api/catalog';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

const fullWidth = (s: string) => s.replace(/[\x21-\x7e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

it('cart.scan, catalog.search and cart.attachMember take full-width input as ASCII', async () => {
  const tt = (t = tempTill());
  await tt.loginAs('cashier');
  const code = demoBarcode(1); // 可口可乐 330ml
  const cart = cartView(await tt.call('cart.scan', { code: `\u3000${fullWidth(code)}` }));
  expect(cart.lines).toHaveLength(1);
  expect(cart.lines[0]).toMatchObject({ name: expect.stringContaining('可口可乐'), scannedCode: code });
  const byInitials = await tt.call('catalog.search', { q: 'ｋｋｋｌ' });
  expect(byInitials.items[0].name).toContain('可口可乐');
  const byDigits = await tt.call('catalog.search', { q: fullWidth(code.slice(0, 10)) });
  expect(byDigits.items.map((s) => s.barcode)).toContain(code);
  const withMember = await tt.call('cart.attachMember', { phone: fullWidth('13800000004') });
  expect(withMember.member?.name).toBe('刘洋');
});
