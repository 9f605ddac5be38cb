// Seeds a new database with the demo shop: roles always; users, catalog and stock only when the
// database has no users yet (so a real shop's data is never touched). The opening stock goes in
// through the ledger like any other stock change.
import type { SQLiteInsertValue, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { makeEan13 } from '../../shared/barcode';
import { newId } from '../../shared/ids';
import { searchKeys } from '../../shared/search-key';
import { hashPin } from './auth';
import { businessDay } from './business-day';
import type { TillDb } from './db';
import { demoItems, demoMembers, demoUsers } from './demo-catalog';
import { moveStock } from './ledger';
import { barcodes, categories, members, products, roles, skus, units, users } from './schema';

export function seedRoles(db: TillDb): void {
  db.insert(roles)
    .values([
      { id: 'staff', nameZh: '店员', nameEn: 'Staff', rank: 0 },
      { id: 'cashier', nameZh: '收银员', nameEn: 'Cashier', rank: 1 },
      { id: 'manager', nameZh: '店长', nameEn: 'Manager', rank: 2 },
      { id: 'owner', nameZh: '店主', nameEn: 'Owner', rank: 3 },
    ])
    .onConflictDoNothing()
    .run();
}

/** The demo barcode of the i-th demo item (1-based), valid EAN-13 under 6920. */
export function demoBarcode(i: number): string {
  return makeEan13(`6920${String(i * 7 + 1000).padStart(8, '0')}`);
}

const UNIT_GRAMS: Record<string, number> = { 斤: 500, kg: 1000 };
const QUICK_SALE = ['水果', '蔬菜', '散装称重', '生鲜', '面包糕点'];

/** Inserts rows in chunks (SQLite caps the parameters of one statement). */
function insertAll<T extends SQLiteTable>(db: TillDb, table: T, rows: T['$inferInsert'][]): void {
  for (let i = 0; i < rows.length; i += 200) db.insert(table).values(rows.slice(i, i + 200) as SQLiteInsertValue<T>[]).run();
}

export function seedDemoShop(db: TillDb, now: number): void {
  seedRoles(db);
  if (db.select({ id: users.id }).from(users).limit(1).get()) return;
  const day = businessDay(now);
  const categoryIds = new Map<string, string>();
  const unitIds = new Map<string, string>();
  const productIds = new Map<string, string>();
  const rows = {
    categories: [] as (typeof categories.$inferInsert)[],
    units: [] as (typeof units.$inferInsert)[],
    products: [] as (typeof products.$inferInsert)[],
    skus: [] as (typeof skus.$inferInsert)[],
    barcodes: [] as (typeof barcodes.$inferInsert)[],
  };
  const stock: { skuId: string; qty: number }[] = [];
  demoItems().forEach((item, idx) => {
    const i = idx + 1;
    let categoryId = categoryIds.get(item.category);
    if (!categoryId) {
      categoryId = newId();
      rows.categories.push({ id: categoryId, name: item.category, sort: categoryIds.size, quickSale: QUICK_SALE.includes(item.category) });
      categoryIds.set(item.category, categoryId);
    }
    let unitId = unitIds.get(item.unit);
    if (!unitId) {
      unitId = newId();
      const grams = UNIT_GRAMS[item.unit] ?? null;
      rows.units.push({ id: unitId, name: item.unit, weighed: grams !== null, gramsPerUnit: grams });
      unitIds.set(item.unit, unitId);
    }
    let productId = productIds.get(item.name);
    if (!productId) {
      productId = newId();
      rows.products.push({ id: productId, name: item.name, categoryId, unitId, createdAt: now });
      productIds.set(item.name, productId);
    }
    const skuId = newId();
    const keys = searchKeys(item.name);
    rows.skus.push({
      id: skuId,
      productId,
      code: String(10000 + i),
      name: item.spec ? `${item.name} ${item.spec}` : item.name,
      spec: item.spec,
      unitId,
      priceFen: item.priceFen,
      costFen: Math.round(item.priceFen * 0.7),
      plu: item.plu ?? null,
      initials: keys.initials,
      pinyin: keys.full,
      stockQty: 0, // the ledger's init moves below set it
      updatedAt: now,
    });
    // Weighed items are sold by scale label or keyed weight, not a fixed barcode.
    if (!item.plu) rows.barcodes.push({ code: demoBarcode(i), skuId });
    stock.push({ skuId, qty: item.stock * 1000 });
  });
  db.$client.transaction(() => {
    insertAll(db, users, demoUsers.map((u) => ({ id: newId(), name: u.name, roleId: u.role, pinHash: hashPin(u.pin), createdAt: now })));
    insertAll(db, members, demoMembers.map((m) => ({ id: newId(), ...m, createdAt: now })));
    insertAll(db, categories, rows.categories);
    insertAll(db, units, rows.units);
    insertAll(db, products, rows.products);
    insertAll(db, skus, rows.skus);
    insertAll(db, barcodes, rows.barcodes);
    for (const s of stock) moveStock(db, { skuId: s.skuId, qtyDelta: s.qty, reason: 'init', refId: null, userId: null, businessDay: day, at: now });
  })();
}
