import { afterEach, describe, expect, it } from 'vitest';
import { tempTill, type TempTill } from '../support/temp-till';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

describe('handler registry', () => {
  it('registering a handler twice throws', () => {
    t = tempTill();
    expect(() => t!.registry.implement({ 'app.info': () => ({}) as never })).toThrow(/registered twice: app.info/);
  });

  it('refuses a handler for a name nobody declared', () => {
    t = tempTill();
    expect(() => t!.registry.implement({ ['nope.nothing' as 'app.info']: () => ({}) as never })).toThrow(/undeclared endpoint/);
  });

  it('turns an unexpected exception into a plain Chinese INTERNAL error, never a stack trace', async () => {
    t = tempTill();
    await t.loginAs('cashier');
    t.till.sqlite.exec('DROP INDEX skus_initials'); // harmless
    t.till.sqlite.exec('ALTER TABLE barcodes RENAME TO barcodes_gone'); // breaks catalog.lookup
    const r = await t.registry.call('catalog.lookup', { code: '6920000010001' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL');
      expect(r.error.message).toMatch(/系统错误/);
      expect(JSON.stringify(r.error)).not.toMatch(/at |\.ts/);
    }
  });
});
