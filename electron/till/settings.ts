// Settings are rows of JSON in the settings table, each validated by its schema on read and write;
// a missing or corrupt value falls back to the default (and is logged) so the till still starts.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { checkScaleLayout } from '../../shared/barcode';
import { log } from '../api/log';

/**
 * Default label-scale layouts, one per flag digit (the second digit of a 2x code): 20–24 carry the
 * weight in grams, 25–29 the price in fen, both with a 5-digit PLU. A shop whose scales print
 * otherwise lists its own patterns (first match wins; see shared/barcode.ts for the letters).
 */
export const DEFAULT_SCALE_LAYOUTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((f) =>
  f < 5 ? `2${f}PPPPPWWWWWC` : `2${f}PPPPP$$$$$C`,
);
const scaleLayout = z.string().refine(
  (l) => {
    try {
      checkScaleLayout(l);
      return true;
    } catch {
      return false;
    }
  },
  { message: '条码秤格式无效' },
);

export const settingSchemas = {
  'shop.name': z.string().min(1).max(40).default('小店便利'),
  'shop.address': z.string().max(80).default(''),
  'shop.phone': z.string().max(30).default(''),
  'till.id': z.string().regex(/^[A-Z0-9]{2,6}$/).default('T01'),
  'day.cutoffHour': z.number().int().min(0).max(12).default(4),
  'checkout.rounding': z.enum(['none', 'jiao', 'yuan', 'jiao_half']).default('none'),
  /** A repeat scan of a piece item adds to its line instead of a new line. */
  'checkout.mergeRepeatScans': z.boolean().default(true),
  /** A cashier may discount up to this share (basis points, 1000 = 10% off) and ... */
  'checkout.cashierDiscountLimitBp': z.number().int().min(0).max(10_000).default(1000),
  /** ... up to this amount per line or order (fen); above either a manager approves. */
  'checkout.cashierDiscountLimitFen': z.number().int().min(0).max(100_000_000).default(5000),
  'checkout.scaleLayouts': z.array(scaleLayout).max(20).default(DEFAULT_SCALE_LAYOUTS),
  /** Sales and refunds need an open shift (the drawer's cash belongs to a shift). */
  'checkout.requireShift': z.boolean().default(true),
  'checkout.maxHeldCarts': z.number().int().min(1).max(99).default(20),
  'auth.maxPinFailures': z.number().int().min(3).max(10).default(5),
  'auth.lockoutMinutes': z.number().int().min(1).max(120).default(5),
};
export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;

export class Settings {
  constructor(private readonly sqlite: Database.Database) {}

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const row = this.sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    const schema = settingSchemas[key];
    if (!row) return schema.parse(undefined) as SettingValue<K>;
    try {
      return schema.parse(JSON.parse(row.value)) as SettingValue<K>;
    } catch {
      log.warn('corrupt setting, using default', { key });
      return schema.parse(undefined) as SettingValue<K>;
    }
  }

  set<K extends SettingKey>(key: K, value: SettingValue<K>, now = Date.now()): void {
    const parsed = settingSchemas[key].parse(value);
    this.sqlite
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(parsed), now);
  }
}
