// Catalog reads for the checkout: what a scanned code means, and search-as-you-type. Every query here
// is an index lookup or a bounded index range scan (LIMIT), never a scan of the catalog, so a catalog
// of a million SKUs answers as fast as one of a thousand (tests/bench/checkout.bench.ts measures it).
import type Database from 'better-sqlite3';
import { and, asc, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { CategoryView, LookupResult, Page, SkuView } from '../../shared/api/catalog';
import { ApprovalAction } from '../../shared/approvals';
import { parseScaleBarcode, validateBarcode } from '../../shared/barcode';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import { qtyFromWeight } from '../../shared/pricing';
import { searchKeys } from '../../shared/search-key';
import type { ApprovalSpec } from './approvals';
import { audit } from './audit';
import type { TillDb } from './db';
import { arg, prepared } from './prepared';
import { barcodes, categories, products, skus, units } from './schema';
import type { Till } from './till';

/** A SKU as the checkout shows it (SkuView), read with its unit, product and first barcode. */
const SKU_VIEW = {
  skuId: skus.id,
  code: skus.code,
  name: skus.name,
  spec: skus.spec,
  unit: units.name,
  weighed: units.weighed,
  gramsPerUnit: units.gramsPerUnit,
  priceFen: skus.priceFen,
  stockQty: skus.stockQty,
  reservedQty: skus.reservedQty,
  categoryId: products.categoryId,
  barcode: sql<string | null>`(SELECT ${barcodes.code} FROM ${barcodes} WHERE ${barcodes.skuId} = ${skus.id} LIMIT 1)`,
};
const skuViews = (db: TillDb) =>
  db.select(SKU_VIEW).from(skus).innerJoin(units, eq(units.id, skus.unitId)).innerJoin(products, eq(products.id, skus.productId));

// The scan's lookups (a hot path) stay drizzle: prepared, a lookup costs 12 µs against 11 µs for the
// raw statement (fastest of 60 interleaved rounds of 2,000 demo-shop barcodes), nothing a scan can show.
const lookups = prepared((db) => ({
  byId: skuViews(db).where(eq(skus.id, arg('id'))).prepare(),
  byBarcode: skuViews(db)
    .innerJoin(barcodes, eq(barcodes.skuId, skus.id))
    .where(and(eq(barcodes.code, arg('code')), eq(skus.active, true)))
    .prepare(),
  byItemCode: skuViews(db).where(and(eq(skus.code, arg('code')), eq(skus.active, true))).prepare(),
  byPlu: skuViews(db).where(and(eq(skus.plu, arg('plu')), eq(skus.active, true))).prepare(),
  /** The page of a search: its ids as one JSON array (one statement for any page size). */
  byIds: skuViews(db)
    .where(sql`${skus.id} IN (SELECT value FROM json_each(${arg('ids')}))`)
    .prepare(),
}));

export function skuById(till: Till, skuId: string): SkuView | null {
  return lookups(till.db).byId.get({ id: skuId }) ?? null;
}

const byBarcode = (till: Till, code: string) => lookups(till.db).byBarcode.get({ code });
const byItemCode = (till: Till, code: string) => lookups(till.db).byItemCode.get({ code });
const byPlu = (till: Till, plu: string) => lookups(till.db).byPlu.get({ plu });

/** What a label-scale code carried, besides the item. */
export type ScaleLabel = { kind: 'weight'; grams: number; qty: number } | { kind: 'price'; priceFen: number };

export interface ScanHit {
  sku: SkuView;
  scale: ScaleLabel | null;
  code: string;
}

/**
 * Resolves a scanned or typed code, in this order: the exact barcode; the item code (货号); the
 * barcode's normalized forms (UPC-A/UPC-E to EAN-13, EAN-8/UPC-E alternates); a label-scale code
 * (layouts from `checkout.scaleLayouts`, PLU matched as printed, then without leading zeros).
 * Refuses with BAD_CHECK_DIGIT / BAD_FORMAT / UNKNOWN_BARCODE / UNKNOWN_PLU and a Chinese message.
 */
export function resolveScan(till: Till, raw: string): ScanHit {
  const code = raw.trim();
  const exact = byBarcode(till, code) ?? byItemCode(till, code);
  if (exact) return { sku: exact, scale: null, code };
  const checked = validateBarcode(code);
  if (checked.ok) {
    for (const key of [checked.normalized, ...(checked.alternates ?? [])]) {
      const hit = key !== code ? byBarcode(till, key) : undefined;
      if (hit) return { sku: hit, scale: null, code };
    }
  }
  const label = parseScaleBarcode(code, till.settings.get('checkout.scaleLayouts'));
  if (label) {
    const sku = byPlu(till, label.plu) ?? byPlu(till, String(Number(label.plu)));
    if (!sku) throw new TillError('UNKNOWN_PLU', `条码秤商品不存在（PLU ${label.plu}）：${code}`, { plu: label.plu, code });
    if (label.priceFen !== undefined) {
      if (label.priceFen <= 0) throw new TillError('BAD_SCALE_LABEL', `条码秤标签金额为 0：${code}`, { code });
      return { sku, scale: { kind: 'price', priceFen: label.priceFen }, code };
    }
    const grams = label.weightGrams ?? 0;
    if (!sku.weighed || !sku.gramsPerUnit) {
      throw new TillError('NOT_WEIGHED', `${sku.name} 不是称重商品，不能用重量条码：${code}`, { name: sku.name, code });
    }
    if (grams <= 0) throw new TillError('BAD_SCALE_LABEL', `条码秤标签重量为 0：${code}`, { code });
    return { sku, scale: { kind: 'weight', grams, qty: qtyFromWeight(grams, sku.gramsPerUnit) }, code };
  }
  // details: the values of the message, for the screen's English sentence (the message stays Chinese).
  if (!checked.ok) throw new TillError(checked.code, checked.message, { code });
  throw new TillError('UNKNOWN_BARCODE', `商品条码不存在：${code}`, { code });
}

export function lookupCode(till: Till, code: string): LookupResult {
  const hit = resolveScan(till, code);
  return {
    sku: hit.sku,
    qty: hit.scale?.kind === 'weight' ? hit.scale.qty : null,
    amountFen: hit.scale?.kind === 'price' ? hit.scale.priceFen : null,
    scannedCode: hit.code,
  };
}

// ---------------------------------------------------------------------------------------------
// Name search index (migrations/0002_sku_search.sql)

/** The name as one token per character, lower-cased: '可口可乐 500ml' -> '可 口 可 乐 5 0 0 m l'. */
export function searchChars(name: string): string {
  return [...name.normalize('NFKC').toLowerCase()].filter((c) => /[\p{L}\p{N}]/u.test(c)).join(' ');
}

/**
 * Keeps sku_search in step with skus.name. Every writer of skus (seed, quick create, the catalog
 * import) calls this in the same transaction as its write.
 */
export function indexSkuName(sqlite: Database.Database, skuId: string, name: string): void {
  sqlite.prepare('DELETE FROM sku_search WHERE sku_id = ?').run(skuId);
  sqlite.prepare('INSERT INTO sku_search (sku_id, chars) VALUES (?, ?)').run(skuId, searchChars(name));
}

/** Fills the index when it is empty and skus are not (a database from before it, or a fresh seed). */
export function ensureSkuSearch(sqlite: Database.Database): void {
  if (sqlite.prepare('SELECT 1 FROM sku_search LIMIT 1').get()) return;
  if (!sqlite.prepare('SELECT 1 FROM skus LIMIT 1').get()) return;
  const ins = sqlite.prepare('INSERT INTO sku_search (sku_id, chars) VALUES (?, ?)');
  const batch = sqlite.prepare('SELECT rowid AS r, id, name FROM skus WHERE rowid > ? ORDER BY rowid LIMIT 5000');
  sqlite.transaction(() => {
    // In batches: better-sqlite3 cannot write while a read is still iterating.
    for (let last = 0; ; ) {
      const rows = batch.all(last) as { r: number; id: string; name: string }[];
      if (!rows.length) break;
      for (const row of rows) ins.run(row.id, searchChars(row.name));
      last = rows[rows.length - 1].r;
    }
  })();
}

// ---------------------------------------------------------------------------------------------
// Search-as-you-type

/** Counting stops here: the UI shows "100+" (an exact count would scan every match). */
export const SEARCH_COUNT_CAP = 100;

/** [lo, hi) range that matches every string starting with prefix: an index range scan, unlike LIKE. */
const prefixRange = (p: string): [string, string] => [p, p + '\uffff'];

/** An FTS5 phrase of the typed characters: a substring match over the name. */
function ftsPhrase(q: string): string | null {
  const chars = searchChars(q);
  return chars ? `"${chars.replace(/"/g, '""')}"` : null;
}

/**
 * The id sources of a search, with and without a category filter: prefix ranges over an index, read
 * in index order up to a limit. Prepared once (search runs on every key the cashier types).
 */
const sources = prepared((db) => {
  const variant = (withCategory: boolean) => {
    const inCategory = withCategory ? eq(products.categoryId, arg('categoryId')) : undefined;
    const ids = () => {
      const from = db.select({ id: skus.id }).from(skus).$dynamic();
      return withCategory ? from.innerJoin(products, eq(products.id, skus.productId)) : from;
    };
    const range = (column: typeof skus.code | typeof skus.initials | typeof skus.pinyin) =>
      ids()
        .where(and(gte(column, arg('lo')), lt(column, arg('hi')), eq(skus.active, true), inCategory))
        .orderBy(asc(column))
        .limit(arg('limit'))
        .prepare();
    const byBarcode = db.select({ id: skus.id }).from(barcodes).innerJoin(skus, eq(skus.id, barcodes.skuId)).$dynamic();
    return {
      all: ids().where(and(eq(skus.active, true), inCategory)).orderBy(asc(skus.code)).limit(arg('limit')).prepare(),
      barcode: (withCategory ? byBarcode.innerJoin(products, eq(products.id, skus.productId)) : byBarcode)
        .where(and(gte(barcodes.code, arg('lo')), lt(barcodes.code, arg('hi')), eq(skus.active, true), inCategory))
        .orderBy(asc(barcodes.code))
        .limit(arg('limit'))
        .prepare(),
      code: range(skus.code),
      initials: range(skus.initials),
      pinyin: range(skus.pinyin),
    };
  };
  return { plain: variant(false), inCategory: variant(true) };
});

/** The FTS5 source (sku_search is a virtual table drizzle cannot describe), so a raw statement. */
const FTS_SQL = (withCategory: boolean) =>
  `SELECT s.id FROM sku_search f JOIN skus s ON s.id = f.sku_id${withCategory ? ' JOIN products p ON p.id = s.product_id' : ''}
   WHERE f.chars MATCH ? AND s.active = 1${withCategory ? ' AND p.category_id = ?' : ''} LIMIT ?`;

/**
 * Sources, most relevant first, each an index range scan in index order with a LIMIT: barcode and
 * item-code prefixes (digits), pinyin initials and full pinyin prefixes (kkkl -> 可口可乐), then a
 * name substring through the FTS index. Results are merged without duplicates; only the page's rows
 * are then read in full.
 */
export function searchSkus(
  till: Till,
  q: string,
  offset: number,
  limit: number,
  categoryId?: string,
): Page<SkuView> & { totalCapped: boolean } {
  const text = q.trim();
  const need = Math.max(offset + limit, SEARCH_COUNT_CAP) + 1;
  const src = categoryId ? sources(till.db).inCategory : sources(till.db).plain;
  const base = { limit: need, categoryId };
  const ids = new Set<string>();
  const take = (rows: () => { id: string }[]) => {
    if (ids.size >= need) return;
    for (const r of rows()) {
      ids.add(r.id);
      if (ids.size >= need) return;
    }
  };
  const range = (source: 'barcode' | 'code' | 'initials' | 'pinyin', key: string) => {
    const [lo, hi] = prefixRange(key);
    take(() => src[source].all({ ...base, lo, hi }));
  };
  if (!text) {
    take(() => src.all.all(base));
  } else {
    const key = text.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]/g, '');
    const digits = /^\d+$/.test(text);
    if (digits) {
      range('barcode', text);
      range('code', text);
    }
    if (key && !digits) {
      range('initials', key);
      range('pinyin', key);
      range('code', text);
    }
    const phrase = ftsPhrase(text);
    if (phrase) {
      const args = categoryId ? [phrase, categoryId, need] : [phrase, need];
      take(() => till.stmt(FTS_SQL(!!categoryId)).all(...args) as { id: string }[]);
    }
  }
  const all = [...ids];
  const pageIds = all.slice(offset, offset + limit);
  const rows = pageIds.length ? lookups(till.db).byIds.all({ ids: JSON.stringify(pageIds) }) : [];
  const byId = new Map(rows.map((r) => [r.skuId, r]));
  const totalCapped = all.length >= need;
  return {
    items: pageIds.map((id) => byId.get(id)).filter((r): r is SkuView => !!r),
    total: totalCapped ? need - 1 : all.length,
    totalCapped,
    offset,
  };
}

const categoryList = prepared((db) =>
  db
    .select({
      id: categories.id,
      name: categories.name,
      quickSale: categories.quickSale,
      skuCount: sql<number>`(${db
        .select({ n: count() })
        .from(skus)
        .innerJoin(products, eq(products.id, skus.productId))
        .where(and(eq(products.categoryId, categories.id), eq(skus.active, true)))})`,
    })
    .from(categories)
    .orderBy(asc(categories.sort), asc(categories.name))
    .prepare(),
);

export function listCategories(till: Till): CategoryView[] {
  return categoryList(till.db).all();
}

// ---------------------------------------------------------------------------------------------
// Create a product on the spot (an unknown barcode at the till)

export function createQuick(
  till: Till,
  input: { barcode: string; name: string; priceFen: number; categoryId?: string; approval?: string },
): SkuView {
  const session = till.auth.requireSession();
  const checked = validateBarcode(input.barcode);
  if (!checked.ok) throw new TillError(checked.code, checked.message);
  const barcode = checked.normalized;
  const name = input.name.trim();
  // The manager approves this barcode, name, price and category, nothing else.
  const spec: ApprovalSpec = {
    action: ApprovalAction.createProduct,
    subject: { kind: 'create_product', barcode, name, priceFen: input.priceFen, categoryId: input.categoryId ?? null },
    summary: `新建商品 ${barcode} ${name} ${formatYuan(input.priceFen)}`,
    message: '新建商品需要店长授权（输入店长 PIN）',
  };
  till.auth.approvals.check(input.approval, spec); // before the checks below: the manager is asked first
  const created = till.tx(() => {
    const grant = till.auth.approvals.check(input.approval, spec);
    if (till.sqlite.prepare('SELECT 1 FROM barcodes WHERE code = ?').get(barcode)) {
      throw new TillError('BARCODE_EXISTS', `条码已存在：${barcode}`, { code: barcode });
    }
    if (input.categoryId && !till.sqlite.prepare('SELECT 1 FROM categories WHERE id = ?').get(input.categoryId)) {
      throw new TillError('UNKNOWN_CATEGORY', '商品分类不存在');
    }
    const at = till.now();
    let unit = till.sqlite.prepare(`SELECT id FROM units WHERE name = '个'`).get() as { id: string } | undefined;
    if (!unit) {
      unit = { id: newId() };
      till.sqlite.prepare(`INSERT INTO units (id, name, weighed) VALUES (?, '个', 0)`).run(unit.id);
    }
    const codeTaken = till.sqlite.prepare('SELECT 1 FROM skus WHERE code = ?').get(barcode);
    const code = codeTaken ? `${barcode}-${newId().slice(-6)}` : barcode;
    const productId = newId();
    const skuId = newId();
    const keys = searchKeys(name);
    till.sqlite
      .prepare('INSERT INTO products (id, name, category_id, unit_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(productId, name, input.categoryId ?? null, unit.id, at);
    till.sqlite
      .prepare(
        `INSERT INTO skus (id, product_id, code, name, spec, unit_id, price_fen, initials, pinyin, stock_qty, updated_at)
         VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, 0, ?)`,
      )
      .run(skuId, productId, code, name, unit.id, input.priceFen, keys.initials, keys.full, at);
    till.sqlite.prepare('INSERT INTO barcodes (code, sku_id) VALUES (?, ?)').run(barcode, skuId);
    indexSkuName(till.sqlite, skuId, name);
    audit(
      till.sqlite,
      { userId: session.userId, approverId: grant.approverId, action: 'catalog.create_quick', target: skuId, details: { barcode, name, priceFen: input.priceFen } },
      at,
    );
    return { sku: skuById(till, skuId)!, grant };
  });
  till.auth.approvals.spend(created.grant);
  return created.sku;
}
