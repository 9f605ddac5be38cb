// Device configuration: the zod schema refuses what would not work, with Chinese messages; a fresh
// shop gets one virtual receipt printer; the drawer pin a cash sale's job carries follows the config.
import { describe, expect, it } from 'vitest';
import { deviceConfigSchema, deviceListSchema, type DeviceConfigInput } from '../../../shared/api/devices';
import { DEFAULT_DEVICES, parseDeviceList } from '../../../electron/devices/config';
import { displayAscii } from '../../../electron/devices/customer-display-feed';

const net = (extra: Partial<DeviceConfigInput> = {}) =>
  ({ id: 'p1', name: '小票机', kind: 'printer', driver: { type: 'network', host: '192.168.1.50' }, roles: ['receipt'], ...extra }) as DeviceConfigInput;

describe('device configuration schema', () => {
  it('fills the defaults: enabled, port 9100, 80 mm, no drawer', () => {
    expect(deviceConfigSchema.parse(net())).toEqual({
      id: 'p1',
      name: '小票机',
      kind: 'printer',
      enabled: true,
      driver: { type: 'network', host: '192.168.1.50', port: 9100 },
      roles: ['receipt'],
      paper: 80,
      drawerPin: null,
    });
    const scale = deviceConfigSchema.parse({ id: 's', name: '秤', kind: 'scale', driver: { type: 'serial', path: 'COM3' } });
    expect(scale.driver).toEqual({ type: 'serial', path: 'COM3', baud: 9600, protocol: 'auto' });
  });

  it('refuses a printer without a role, a 76 mm paper, pin 3, an unknown baud or a bad host', () => {
    expect(deviceConfigSchema.safeParse(net({ roles: [] })).error?.issues[0].message).toBe('至少选择一种用途');
    expect(deviceConfigSchema.safeParse(net({ paper: 76 as 80 })).success).toBe(false);
    expect(deviceConfigSchema.safeParse(net({ drawerPin: 3 as 2 })).success).toBe(false);
    expect(deviceConfigSchema.safeParse({ id: 'd', name: '客显', kind: 'customer_display', driver: { type: 'serial', path: 'COM4', baud: 9601, protocol: 'cd5220' } }).error?.issues[0].message).toBe('波特率无效');
    expect(deviceConfigSchema.safeParse(net({ driver: { type: 'network', host: 'printer; rm -rf /' } })).error?.issues[0].message).toBe('打印机地址格式不对');
    expect(deviceConfigSchema.safeParse({ ...net(), extra: 1 }).success).toBe(false);
    // A display needs its model; a printer driver is not a serial device's driver.
    expect(deviceConfigSchema.safeParse({ id: 'd', name: '客显', kind: 'customer_display', driver: { type: 'serial', path: 'COM4' } }).success).toBe(false);
    expect(deviceConfigSchema.safeParse({ id: 's', name: '扫码', kind: 'scanner', driver: { type: 'virtual' } }).success).toBe(false);
  });

  it('refuses duplicate ids, two enabled card readers and two enabled displays in one list', () => {
    expect(() => parseDeviceList([net(), net()])).toThrow(/设备编号重复/);
    const reader = (id: string, enabled = true) => ({ id, name: '读卡器', kind: 'card_reader', enabled, driver: { type: 'pcsc' } });
    expect(deviceListSchema.safeParse([reader('a'), reader('b')]).error?.issues[0].message).toBe('只能启用一个读卡器');
    expect(deviceListSchema.safeParse([reader('a'), reader('b', false)]).success).toBe(true);
    expect(() => parseDeviceList('nope')).toThrow(/设备配置无效/);
  });

  it('a fresh shop has exactly one virtual receipt printer', () => {
    expect(parseDeviceList(DEFAULT_DEVICES)).toEqual(DEFAULT_DEVICES);
    expect(DEFAULT_DEVICES).toHaveLength(1);
    expect(DEFAULT_DEVICES[0]).toMatchObject({ kind: 'printer', driver: { type: 'virtual' }, roles: ['receipt'] });
  });
});

describe('customer display text', () => {
  it('shows Chinese names as upper-case pinyin on ASCII displays, keeping latin letters and digits', () => {
    expect(displayAscii('可口可乐 500ml')).toBe('KE KOU KE LE 500ML');
    expect(displayAscii('ＡＢＣ绿茶')).toBe('ABC LV CHA');
  });
});
