// A machine where npm skipped the optional card-reader driver (no PC/SC headers at install): the real
// browser host starts, sells, and says 读卡器驱动未安装 with the fix in app.status and on the device
// list, with a card reader configured. TILL_PCSC_MODULE names a module that is not installed, which is
// what such a machine looks like to the till.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBarcode } from '../../../electron/till/seed';
import { startHost, type RunningHost } from '../../support/till-host';

let host: RunningHost;
const reader = { id: 'cr1', name: '会员读卡器', kind: 'card_reader', enabled: true, driver: { type: 'pcsc' } };

beforeAll(async () => {
  host = await startHost({
    fromSource: true,
    env: { TILL_PCSC_MODULE: '@not-installed/pcsclite', TILL_DEVICES_JSON: JSON.stringify([reader]) },
  });
  const users = await host.api<{ id: string; name: string }[]>('auth.users');
  const cashier = users.body.result!.find((u) => u.name === '小王')!;
  expect((await host.api('auth.login', { userId: cashier.id, pin: '1111' })).body.ok).toBe(true);
});
afterAll(async () => {
  await host?.stop();
});

describe('card-reader driver not installed', () => {
  it('app.status says 读卡器驱动未安装 with the exact fix', async () => {
    const status = await host.api<{ drivers: { cardReader: { installed: boolean; message: string } } }>('app.status');
    expect(status.body.result!.drivers.cardReader.installed).toBe(false);
    expect(status.body.result!.drivers.cardReader.message).toMatch(/^读卡器驱动未安装.*apt-get install -y libpcsclite-dev pcscd.*npm install/);
  });

  it('the device list shows the configured reader as missing with the same words, and the driver as not installed', async () => {
    const list = await host.api<{ devices: { config: { id: string }; status: { code: string; message: string } }[]; drivers: { cardReader: { installed: boolean } } }>(
      'devices.list',
    );
    expect(list.body.result!.drivers.cardReader.installed).toBe(false);
    const row = list.body.result!.devices.find((d) => d.config.id === 'cr1')!;
    expect(row.status.message).toMatch(/^读卡器驱动未安装/);
  });

  it('everything else works: a scan is priced', async () => {
    const r = await host.api<{ lines: { name: string }[] }>('cart.scan', { code: demoBarcode(1) });
    expect(r.body.ok).toBe(true);
    expect(r.body.result!.lines).toHaveLength(1);
  });
});
