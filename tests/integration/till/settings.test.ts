// Settings (electron/till/settings.ts) are kept in memory once read; what is remembered is always
// what is committed.
import { afterEach, expect, it } from 'vitest';
import { tempTill, type TempTill } from '../../support/temp-till';

let tt: TempTill;
afterEach(() => tt.cleanup());

it('a write is read back at once, and survives a restart', () => {
  tt = tempTill();
  expect(tt.till.settings.get('checkout.maxHeldCarts')).toBe(20);
  tt.till.settings.set('checkout.maxHeldCarts', 7);
  expect(tt.till.settings.get('checkout.maxHeldCarts')).toBe(7);
  tt = tt.reopen();
  expect(tt.till.settings.get('checkout.maxHeldCarts')).toBe(7);
});

it('a write in a transaction that rolls back is not remembered, even when read inside it', () => {
  tt = tempTill();
  expect(tt.till.settings.get('shop.name')).toBe('小店便利');
  expect(() =>
    tt.till.tx(() => {
      tt.till.settings.set('shop.name', '试试看');
      expect(tt.till.settings.get('shop.name')).toBe('试试看');
      throw new Error('roll back');
    }),
  ).toThrow('roll back');
  expect(tt.till.settings.get('shop.name')).toBe('小店便利');
  tt.till.tx(() => tt.till.settings.set('shop.name', '街角小店'));
  expect(tt.till.settings.get('shop.name')).toBe('街角小店');
});

it('a value read is shared, so it cannot be changed in place', () => {
  tt = tempTill();
  const layouts = tt.till.settings.get('checkout.scaleLayouts');
  expect(() => (layouts as unknown[]).push({})).toThrow(TypeError);
  expect(tt.till.settings.get('checkout.scaleLayouts')).toHaveLength(layouts.length);
});
