// Settings are rows of JSON in the settings table, each validated by its schema on read and write;
// a missing or corrupt value falls back to the default (and is logged) so the till still starts.
// Values are kept in memory once read (a pay reads several): this class is the only writer of these
// keys, and a value read inside a transaction is not kept, so a rolled-back write is never remembered.
import { eq, sql } from 'drizzle-orm';
import { ZodError } from 'zod';
import { settingSchemas, type SettingKey, type SettingValue } from '../../shared/api/settings';
import { log } from '../api/log';
import type { TillDb } from './db';
import { arg } from './prepared';
import { settings } from './schema';

// The rules (schemas, defaults, Chinese messages) live in shared/api/settings.ts, so the API
// boundary and the settings screen check a value by the very same schema; re-exported here.
export { DEFAULT_SCALE_LAYOUTS, settingSchemas, type SettingKey, type SettingValue } from '../../shared/api/settings';

const prepare = (db: TillDb) => ({
  select: db.select({ value: settings.value }).from(settings).where(eq(settings.key, arg('key'))).prepare(),
  upsert: db
    .insert(settings)
    .values({ key: arg('key'), value: arg('value'), updatedAt: arg('at') })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } })
    .prepare(),
});

/** Kept values are shared by every caller: frozen, so none can change them for the others. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

export class Settings {
  private readonly q: ReturnType<typeof prepare>;
  private readonly kept = new Map<SettingKey, unknown>();

  constructor(private readonly db: TillDb) {
    this.q = prepare(db);
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    if (this.kept.has(key)) return this.kept.get(key) as SettingValue<K>;
    const value = deepFreeze(this.read(key));
    if (!this.db.$client.inTransaction) this.kept.set(key, value);
    return value;
  }

  set<K extends SettingKey>(key: K, value: SettingValue<K>, now = Date.now()): void {
    const parsed = settingSchemas[key].parse(value);
    this.kept.delete(key);
    this.q.upsert.run({ key, value: parsed, at: now });
  }

  private read<K extends SettingKey>(key: K): SettingValue<K> {
    const schema = settingSchemas[key];
    try {
      const row = this.q.select.get({ key }); // the value column is JSON: drizzle parses it
      if (row) return schema.parse(row.value) as SettingValue<K>;
    } catch (e) {
      if (!(e instanceof SyntaxError) && !(e instanceof ZodError)) throw e; // not JSON, or not valid: the default
      log.warn('corrupt setting, using default', { key });
    }
    return schema.parse(undefined) as SettingValue<K>;
  }
}
