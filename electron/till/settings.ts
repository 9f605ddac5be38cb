// Settings are rows of JSON in the settings table, each validated by its schema on read and write;
// a missing or corrupt value falls back to the default (and is logged) so the till still starts.
import type Database from 'better-sqlite3';
import { settingSchemas, type SettingKey, type SettingValue } from '../../shared/api/settings';
import { log } from '../api/log';

// The rules (schemas, defaults, Chinese messages) live in shared/api/settings.ts, so the API
// boundary and the settings screen check a value by the very same schema; re-exported here.
export { DEFAULT_SCALE_LAYOUTS, settingSchemas, type SettingKey, type SettingValue } from '../../shared/api/settings';

export class Settings {
  // Prepared once: the checkout reads several settings per call.
  private readonly selectStmt: Database.Statement;
  private readonly upsertStmt: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.selectStmt = sqlite.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsertStmt = sqlite.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const row = this.selectStmt.get(key) as
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
    this.upsertStmt.run(key, JSON.stringify(parsed), now);
  }
}
