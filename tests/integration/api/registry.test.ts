import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../../shared/api';
import { authHandlers } from '../../../electron/api/handlers/auth';
import { Registry, type AllHandlers } from '../../../electron/api/registry';
import { tempTill, type TempTill } from '../../support/temp-till';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

describe('handler registry', () => {
  it('a handler map missing an endpoint does not compile; a name nobody declared is refused', () => {
    t = tempTill();
    // @ts-expect-error AllHandlers needs every declared endpoint, so a partial map is a type error.
    const partial: AllHandlers = { ...authHandlers };
    expect(Object.keys(partial).length).toBeLessThan(Object.keys(api).length);
    expect(t.registry.missing()).toEqual([]);
    const extra = { ['nope.nothing']: () => ({}) } as unknown as AllHandlers;
    expect(() => new Registry({ till: t!.till, devices: null }, extra)).toThrow(/undeclared endpoint: nope.nothing/);
  });

  it('without devices, a device endpoint says so in Chinese', async () => {
    t = tempTill();
    await t.loginAs('manager');
    await expect(t.call('devices.list')).rejects.toMatchObject({ code: 'NO_DEVICES', message: '设备管理未启动' });
    expect(await t.call('scale.weight')).toBeNull();
    expect((await t.call('app.status')).printer).toEqual({ state: 'none', message: '设备未启动', code: 'no_devices' });
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
