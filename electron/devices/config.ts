// Device configuration, stored as a JSON row in the settings table (key 'devices.list'), validated
// with the zod schemas of shared/api/devices on every read and write. A corrupt row falls back to the
// default (and is logged) so the till still starts and prints to the virtual printer. The receipt
// template's row lives in receipt-settings.ts.
//
// Tests and kiosks may pass the device list in the environment: TILL_DEVICES_JSON (a JSON array of
// device configs) replaces the stored list at start-up (see applyEnvOverride).
import { eq, sql } from 'drizzle-orm';
import { join } from 'node:path';
import { deviceListSchema, type DeviceConfig } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import type { TillDb } from '../till/db';
import { arg, prepared } from '../till/prepared';
import { settings } from '../till/schema';
import type { Till } from '../till/till';

export const DEVICES_KEY = 'devices.list';
export const DEVICES_ENV = 'TILL_DEVICES_JSON';

/** A fresh shop: one virtual receipt printer, so the demo prints (to files and pictures). */
export const DEFAULT_DEVICES: DeviceConfig[] = [
  {
    id: 'virtual-receipt',
    name: '虚拟小票打印机',
    kind: 'printer',
    enabled: true,
    driver: { type: 'virtual' },
    roles: ['receipt'],
    paper: 80,
    // The demo's drawer "opens" on the virtual printer (nothing is saved for a bare kick).
    drawerPin: 2,
  },
];

const rows = prepared((db) => ({
  read: db.select({ value: settings.value }).from(settings).where(eq(settings.key, arg('key'))).prepare(),
  write: db
    .insert(settings)
    .values({ key: arg('key'), value: arg('value'), updatedAt: arg('at') })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } })
    .prepare(),
}));

/**
 * A JSON row of the settings table (undefined when absent) for the device list and the receipt
 * template, which are not among the till's settings (Settings, which keeps its keys in memory).
 */
export function readRow(db: TillDb, key: string): unknown {
  return rows(db).read.get({ key })?.value; // JSON: parsed by drizzle
}

export function writeRow(db: TillDb, key: string, value: unknown, now: number): void {
  rows(db).write.run({ key, value, at: now });
}

/** Throws a Chinese TillError naming the first problem. */
export function parseDeviceList(raw: unknown): DeviceConfig[] {
  const r = deviceListSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? `（${issue.path.join('.')}）` : '';
    throw new TillError('BAD_DEVICES', `设备配置无效${where}：${issue.message}`);
  }
  return r.data;
}

export function readDevices(db: TillDb): DeviceConfig[] {
  let raw: unknown;
  try {
    raw = readRow(db, DEVICES_KEY);
  } catch {
    log.warn('corrupt device list, using the virtual printer');
    return structuredClone(DEFAULT_DEVICES);
  }
  if (raw === undefined) return structuredClone(DEFAULT_DEVICES);
  try {
    return parseDeviceList(raw);
  } catch (e) {
    log.warn('invalid device list, using the virtual printer', { error: (e as Error).message });
    return structuredClone(DEFAULT_DEVICES);
  }
}

export function writeDevices(db: TillDb, list: DeviceConfig[], now: number): DeviceConfig[] {
  const parsed = parseDeviceList(list);
  writeRow(db, DEVICES_KEY, parsed, now);
  return parsed;
}

/**
 * TILL_DEVICES_JSON replaces the stored list (and is stored, so the settings screen shows what
 * runs). A bad value stops the start with a clear message rather than running with other devices.
 */
export function applyEnvOverride(till: Till, env: NodeJS.ProcessEnv = process.env): boolean {
  const text = env[DEVICES_ENV];
  if (!text) return false;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TillError('BAD_DEVICES', `${DEVICES_ENV} 不是有效的 JSON`);
  }
  writeDevices(till.db, parseDeviceList(raw), till.now());
  return true;
}

/** The virtual printers' folder; the demo printer writes at its root, any other in a sub-folder. */
export const virtualRoot = (till: Till): string => join(till.options.dataDir, 'virtual-printer');
export const virtualDirOf = (till: Till, id: string): string => (id === 'virtual-receipt' ? virtualRoot(till) : join(virtualRoot(till), id));
