// The device list as the settings screen edits it: save or remove a device (one transaction with its
// audit row, then the devices restart with the new list) and test one (a drawer test is audited:
// it opens the till's cash drawer).
import type { DeviceConfig, DevicesList } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import { audit } from '../till/audit';
import type { Till } from '../till/till';
import { readDevices, writeDevices } from './config';
import type { TestAction } from './device-tests';
import type { DeviceManager } from './manager';

export async function saveDevice(till: Till, devices: DeviceManager, device: DeviceConfig): Promise<DevicesList> {
  const session = till.auth.requireSession();
  const list = readDevices(till.db);
  const i = list.findIndex((d) => d.id === device.id);
  const before = i >= 0 ? list[i] : null;
  const next = i >= 0 ? list.map((d) => (d.id === device.id ? device : d)) : [...list, device];
  till.tx(() => {
    writeDevices(till.db, next, till.now());
    audit(till.db, { userId: session.userId, action: 'devices.save', target: device.id, details: { before, after: device } }, till.now());
  });
  await devices.reconfigure();
  return devices.list();
}

export async function removeDevice(till: Till, devices: DeviceManager, id: string): Promise<DevicesList> {
  const session = till.auth.requireSession();
  const list = readDevices(till.db);
  const gone = list.find((d) => d.id === id);
  if (!gone) throw new TillError('NOT_FOUND', '没有这个设备');
  till.tx(() => {
    writeDevices(till.db, list.filter((d) => d.id !== id), till.now());
    audit(till.db, { userId: session.userId, action: 'devices.remove', target: id, details: { before: gone } }, till.now());
  });
  await devices.reconfigure();
  return devices.list();
}

export async function testDeviceAudited(till: Till, devices: DeviceManager, id: string, action?: TestAction): Promise<{ ok: true; message: string }> {
  const session = till.auth.requireSession();
  const message = await devices.test(id, action);
  if (action === 'drawer' || readDevices(till.db).find((d) => d.id === id)?.kind === 'drawer_box') {
    audit(till.db, { userId: session.userId, action: 'drawer.test', target: id }, till.now());
  }
  return { ok: true, message };
}
