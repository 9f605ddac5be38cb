// Seeds a new database with the demo shop: roles always; users, catalog and stock only when the
// database has no users yet (so a real shop's data is never touched).
import type Database from 'better-sqlite3';
import { makeEan13 } from '../../shared/barcode';
import { newId } from '../../shared/ids';
import { searchKeys } from '../../shared/search-key';
import { hashPin } from './auth';
import { businessDay } from './business-day';
import { demoItems, demoMembers, demoUsers } from './demo-catalog';

export function seedRoles(sqlite: Database.Database): void {
  const put = sqlite.prepare('INSERT OR IGNORE INTO roles (id, name_zh, name_en, rank) VALUES (?, ?, ?, ?)');
  put.run('cashier', '收银员', 'Cashier', 1);
  put.run('manager', '店长', 'Manager', 2);
  put.run('owner', '店主', 'Owner', 3);
}

/** The demo barcode of the i-th demo item (1-based), valid EAN-13 under 6920. */
export function demoBarcode(i: number): string {
  return makeEan13(`6920${String(i * 7 + 1000).padStart(8, '0')}`);
}

const UNIT_GRAMS: Record<string, number> = { 斤: 500, kg: 1000 };

export function seedDemoShop(sqlite: Database.Database, now: number): void {
  seedRoles(sqlite);
  const hasUsers = sqlite.prepare('SELECT 1 FROM users LIMIT 1').get();
  if (hasUsers) return;
  const day = businessDay(now);
  sqlite.transaction(() => {
    for (const u of demoUsers) {
      sqlite
        .prepare('INSERT INTO users (id, name, role_id, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(newId(), u.name, u.role, hashPin(u.pin), now);
    }
    const categoryIds = new Map<string, string>();
    const unitIds = new Map<string, string>();
    const insCategory = sqlite.prepare('INSERT INTO categories (id, name, sort, quick_sale) VALUES (?, ?, ?, ?)');
    const insUnit = sqlite.prepare('INSERT INTO units (id, name, weighed, grams_per_unit) VALUES (?, ?, ?, ?)');
    const insProduct = sqlite.prepare(
      'INSERT INTO products (id, name, category_id, unit_id, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insSku = sqlite.prepare(
      `INSERT INTO skus (id, product_id, code, name, spec, unit_id, price_fen, cost_fen, plu, initials, pinyin,
         stock_qty, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insBarcode = sqlite.prepare('INSERT INTO barcodes (code, sku_id) VALUES (?, ?)');
    const insMove = sqlite.prepare(
      `INSERT INTO stock_moves (id, sku_id, qty_delta, reason, business_day, created_at)
       VALUES (?, ?, ?, 'init', ?, ?)`,
    );
    const insMember = sqlite.prepare(
      'INSERT INTO members (id, phone, name, level, points, balance_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const m of demoMembers) insMember.run(newId(), m.phone, m.name, m.level, m.points, m.balanceFen, now);
    const products = new Map<string, string>();
    demoItems().forEach((item, idx) => {
      const i = idx + 1;
      if (!categoryIds.has(item.category)) {
        const id = newId();
        const quick = ['水果', '蔬菜', '散装称重', '生鲜', '面包糕点'].includes(item.category);
        insCategory.run(id, item.category, categoryIds.size, quick ? 1 : 0);
        categoryIds.set(item.category, id);
      }
      if (!unitIds.has(item.unit)) {
        const id = newId();
        const grams = UNIT_GRAMS[item.unit] ?? null;
        insUnit.run(id, item.unit, grams ? 1 : 0, grams);
        unitIds.set(item.unit, id);
      }
      const unitId = unitIds.get(item.unit)!;
      let productId = products.get(item.name);
      if (!productId) {
        productId = newId();
        insProduct.run(productId, item.name, categoryIds.get(item.category)!, unitId, now);
        products.set(item.name, productId);
      }
      const skuId = newId();
      const fullName = item.spec ? `${item.name} ${item.spec}` : item.name;
      const keys = searchKeys(item.name);
      const qty = item.stock * 1000;
      insSku.run(
        skuId,
        productId,
        String(10000 + i),
        fullName,
        item.spec,
        unitId,
        item.priceFen,
        Math.round(item.priceFen * 0.7),
        item.plu ?? null,
        keys.initials,
        keys.full,
        qty,
        now,
      );
      // Weighed items are sold by scale label or keyed weight, not a fixed barcode.
      if (!item.plu) insBarcode.run(demoBarcode(i), skuId);
      insMove.run(newId(), skuId, qty, day, now);
    });
  })();
}
