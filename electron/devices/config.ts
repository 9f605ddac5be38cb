// Device configuration and receipt template settings, stored as JSON rows in the settings table
// (keys 'devices.list' and 'receipt.template'), validated with the zod schemas of shared/api/devices
// on every read and write. A corrupt row falls back to the default (and is logged) so the till
// still starts and prints to the virtual printer.
//
// Tests and kiosks may pass the device list in the environment: TILL_DEVICES_JSON (a JSON array of
// device configs) replaces the stored list at start-up (see applyEnvOverride).
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  deviceListSchema,
  receiptSettingsSchema,
  type DeviceConfig,
  type ReceiptSettingsView,
} from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import type { Till } from '../till/till';
import { DEFAULT_TEMPLATE_SETTINGS, type ReceiptTemplateSettings } from './receipt/templates';

export const DEVICES_KEY = 'devices.list';
export const RECEIPT_KEY = 'receipt.template';
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

function readRow(sqlite: Database.Database, key: string): unknown {
  const row = sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? JSON.parse(row.value) : undefined;
}

function writeRow(sqlite: Database.Database, key: string, value: unknown, now: number): void {
  sqlite
    .prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, JSON.stringify(value), now);
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

export function readDevices(sqlite: Database.Database): DeviceConfig[] {
  let raw: unknown;
  try {
    raw = readRow(sqlite, DEVICES_KEY);
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

export function writeDevices(sqlite: Database.Database, list: DeviceConfig[], now: number): DeviceConfig[] {
  const parsed = parseDeviceList(list);
  writeRow(sqlite, DEVICES_KEY, parsed, now);
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
  writeDevices(till.sqlite, parseDeviceList(raw), till.now());
  return true;
}

// ------------------------------------------------------------------------------------------------
// Receipt template settings

export interface StoredReceiptSettings {
  shopName?: string;
  address: string;
  phone: string;
  header: string;
  footer: string;
  /** File name of the logo under <dataDir>/receipt-logo/, or null. */
  logoFile: string | null;
  show: ReceiptTemplateSettings['show'];
}

const storedSchema = receiptSettingsSchema
  .partial({ shopName: true })
  .extend({ logoFile: z.string().regex(/^[0-9a-f]{24}\.png$/).nullable().default(null) });

export const DEFAULT_RECEIPT: StoredReceiptSettings = {
  address: '',
  phone: '',
  header: '欢迎光临',
  footer: '谢谢惠顾，欢迎再来',
  logoFile: null,
  show: { ...DEFAULT_TEMPLATE_SETTINGS.show },
};

export function readReceiptSettings(till: Till): StoredReceiptSettings {
  try {
    const raw = readRow(till.sqlite, RECEIPT_KEY);
    if (raw === undefined) return structuredClone(DEFAULT_RECEIPT);
    return storedSchema.parse(raw) as StoredReceiptSettings;
  } catch {
    log.warn('corrupt receipt template settings, using defaults');
    return structuredClone(DEFAULT_RECEIPT);
  }
}

export function writeReceiptSettings(till: Till, s: StoredReceiptSettings): void {
  writeRow(till.sqlite, RECEIPT_KEY, storedSchema.parse(s), till.now());
}

export const logoDir = (till: Till) => join(till.options.dataDir, 'receipt-logo');

/** Stores a PNG data URL content-addressed (the template caches bitmaps by path). Returns the file name. */
export function storeLogo(till: Till, dataUrl: string): string {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    throw new TillError('BAD_INPUT', '标志须为 PNG 图片');
  }
  const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}.png`;
  mkdirSync(logoDir(till), { recursive: true });
  const file = join(logoDir(till), name);
  if (!existsSync(file)) writeFileSync(file, bytes);
  return name;
}

export function logoDataUrl(till: Till, file: string | null): string | null {
  if (!file) return null;
  try {
    return `data:image/png;base64,${readFileSync(join(logoDir(till), file)).toString('base64')}`;
  } catch {
    return null;
  }
}

/** What the templates get: stored settings + the shop name + the paper of the printer that prints. */
export function templateSettings(till: Till, s: StoredReceiptSettings, paper: 58 | 80): ReceiptTemplateSettings {
  return {
    paper,
    shopName: s.shopName || till.settings.get('shop.name'),
    address: s.address || undefined,
    phone: s.phone || undefined,
    header: s.header || undefined,
    footer: s.footer || undefined,
    logoPath: s.logoFile ? join(logoDir(till), s.logoFile) : undefined,
    show: { ...s.show },
  };
}

export function receiptSettingsView(till: Till, paper: 58 | 80): ReceiptSettingsView {
  const s = readReceiptSettings(till);
  return {
    shopName: s.shopName || till.settings.get('shop.name'),
    address: s.address,
    phone: s.phone,
    header: s.header,
    footer: s.footer,
    show: { ...s.show },
    logo: logoDataUrl(till, s.logoFile),
    paper,
  };
}
