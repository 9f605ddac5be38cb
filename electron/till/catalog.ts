// Catalog reads for the checkout: barcode lookup and search-as-you-type. Both are index lookups
// (no scans), so a catalog of a million SKUs answers as fast as one of a thousand.
import type { LookupResult, Page, SkuView, CategoryView } from '../../shared/api/catalog';
import { validateBarcode } from '../../shared/barcode';
import { TillError } from '../../shared/errors';
import type { Till } from './till';

const SKU_COLUMNS = `s.id AS skuId, s.code, s.name, s.spec, u.name AS unit, u.weighed, u.grams_per_unit AS gramsPerUnit,
  s.price_fen AS priceFen, s.stock_qty AS stockQty, p.category_id AS categoryId,
  (SELECT b.code FROM barcodes b WHERE b.sku_id = s.id LIMIT 1) AS barcode`;
const SKU_FROM = `FROM skus s JOIN units u ON u.id = s.unit_id JOIN products p ON p.id = s.product_id`;

type SkuRow = Omit<SkuView, 'weighed'> & { weighed: number };
const toView = (r: SkuRow): SkuView => ({ ...r, weighed: r.weighed === 1 });

export function skuById(till: Till, skuId: string): SkuView | null {
  const row = till.sqlite.prepare(`SELECT ${SKU_COLUMNS} ${SKU_FROM} WHERE s.id = ?`).get(skuId) as SkuRow | undefined;
  return row ? toView(row) : null;
}

export function lookupCode(till: Till, code: string): LookupResult {
  const byBarcode = till.sqlite
    .prepare(`SELECT ${SKU_COLUMNS} ${SKU_FROM} JOIN barcodes bc ON bc.sku_id = s.id WHERE bc.code = ? AND s.active = 1`)
    .get(code) as SkuRow | undefined;
  if (byBarcode) return { sku: toView(byBarcode), qty: null, amountFen: null, scannedCode: code };
  const byCode = till.sqlite
    .prepare(`SELECT ${SKU_COLUMNS} ${SKU_FROM} WHERE s.code = ? AND s.active = 1`)
    .get(code) as SkuRow | undefined;
  if (byCode) return { sku: toView(byCode), qty: null, amountFen: null, scannedCode: code };
  const checked = validateBarcode(code);
  if (!checked.ok) throw new TillError(checked.code, checked.message);
  throw new TillError('UNKNOWN_BARCODE', `商品条码不存在：${code}`);
}

/** Escapes a user string for LIKE with ESCAPE '\\'. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** [lo, hi) range that matches every string starting with prefix: uses the index, unlike LIKE. */
const prefixRange = (p: string): [string, string] => [p, p + '\uffff'];

export function searchSkus(till: Till, q: string, offset: number, limit: number, categoryId?: string): Page<SkuView> {
  const text = q.trim().toLowerCase();
  const where: string[] = ['s.active = 1'];
  const params: unknown[] = [];
  if (categoryId) {
    where.push('p.category_id = ?');
    params.push(categoryId);
  }
  if (text) {
    const [lo, hi] = prefixRange(text);
    // pinyin initials / full pinyin / item code prefixes are index range scans; a name substring
    // and a barcode prefix cover the rest.
    where.push(`(s.initials >= ? AND s.initials < ?) OR (s.pinyin >= ? AND s.pinyin < ?) OR (s.code >= ? AND s.code < ?)
      OR s.name LIKE ? ESCAPE '\\' OR s.id IN (SELECT sku_id FROM barcodes WHERE code >= ? AND code < ?)`);
    params.push(lo, hi, lo, hi, lo, hi, `%${likeEscape(q.trim())}%`, lo, hi);
  }
  const whereSql = where.map((w) => `(${w})`).join(' AND ');
  const total = (till.sqlite.prepare(`SELECT count(*) AS n ${SKU_FROM} WHERE ${whereSql}`).get(...params) as { n: number }).n;
  const rows = till.sqlite
    .prepare(`SELECT ${SKU_COLUMNS} ${SKU_FROM} WHERE ${whereSql} ORDER BY length(s.initials), s.name LIMIT ? OFFSET ?`)
    .all(...params, limit, offset) as SkuRow[];
  return { items: rows.map(toView), total, offset };
}

export function listCategories(till: Till): CategoryView[] {
  return till.sqlite
    .prepare(
      `SELECT c.id, c.name, c.quick_sale AS quickSale,
         (SELECT count(*) FROM skus s JOIN products p ON p.id = s.product_id WHERE p.category_id = c.id AND s.active = 1) AS skuCount
       FROM categories c ORDER BY c.sort, c.name`,
    )
    .all()
    .map((r) => ({ ...(r as CategoryView), quickSale: (r as { quickSale: number }).quickSale === 1 }));
}
