// Checkout on the main side with a big catalog: scan_lookup_p95_ms (barcode -> priced line through
// cart.scan), search_pinyin_p95_ms (search-as-you-type by pinyin initials, 1–4 letters), at 200,000
// SKUs and again at 1,000,000 (size should not matter), and sale_commit_p95_ms / sale_commit_ratio:
// sales.pay of a 10-line cash sale against a bare better-sqlite3 transaction doing the same inserts
// on the same file (same pragmas, same tables and indexes).
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRegistry } from '../../electron/api/handlers';
import type { Registry } from '../../electron/api/registry';
import { searchChars } from '../../electron/till/catalog';
import { Till } from '../../electron/till/till';
import { makeEan13 } from '../../shared/barcode';
import { newId } from '../../shared/ids';
import { searchKeys } from '../../shared/search-key';
import { percentile, round, sample, type BenchResult } from './lib';

const BRANDS = ['康师傅', '统一', '农夫', '娃哈哈', '伊利', '蒙牛', '光明', '旺旺', '达利园', '好丽友', '乐事', '三只松鼠', '良品铺子', '百草味', '洽洽', '海天', '李锦记', '老干妈', '金龙鱼', '福临门', '五粮液', '青岛', '雪花', '燕京', '可口', '百事', '元气', '东鹏', '红牛', '加多宝', '王老吉', '六个核桃', '银鹭', '维他', '美汁源', '汇源', '德芙', '徐福记', '大白兔', '立白'];
const GOODS = ['方便面', '矿泉水', '纯牛奶', '酸奶', '饼干', '薯片', '瓜子', '花生', '酱油', '香醋', '辣椒酱', '食用油', '大米', '面粉', '挂面', '火腿肠', '午餐肉', '罐头', '啤酒', '白酒', '可乐', '雪碧', '绿茶', '红茶', '奶茶', '咖啡', '果汁', '凉茶', '巧克力', '奶糖', '口香糖', '洗衣液', '洗洁精', '牙膏', '牙刷', '毛巾', '纸巾', '湿巾', '电池', '打火机', '雨伞', '拖鞋', '袜子', '面包', '蛋糕', '月饼', '粽子', '汤圆', '水饺', '馄饨'];
const SPECS = Array.from({ length: 100 }, (_, i) => `${(i % 20) * 25 + 50}${['g', 'ml', '袋', '盒', '瓶'][Math.floor(i / 20)]}`);

const piece = (w: string) => searchKeys(w);
const brandKeys = BRANDS.map(piece);
const goodsKeys = GOODS.map(piece);
const specKeys = SPECS.map(piece);

/** The i-th bench barcode: EAN-13 under 68, distinct from the demo shop's 6920… codes. */
const benchBarcode = (i: number) => makeEan13(`68${String(i).padStart(10, '0')}`);

function nameOf(i: number): { name: string; initials: string; pinyin: string } {
  const b = i % BRANDS.length;
  const g = Math.floor(i / BRANDS.length) % GOODS.length;
  const s = Math.floor(i / (BRANDS.length * GOODS.length)) % SPECS.length;
  const v = Math.floor(i / (BRANDS.length * GOODS.length * SPECS.length)); // 0 below 200,000
  const suffix = v ? ` ${v}号` : '';
  return {
    name: `${BRANDS[b]}${GOODS[g]} ${SPECS[s]}${suffix}`,
    initials: brandKeys[b].initials + goodsKeys[g].initials + specKeys[s].initials + (v ? `${v}h` : ''),
    pinyin: brandKeys[b].full + goodsKeys[g].full + specKeys[s].full + (v ? `${v}hao` : ''),
  };
}

/** Adds SKUs [from, to) in one transaction with prepared statements, as a catalog import would. */
function addSkus(sqlite: Database.Database, from: number, to: number): void {
  const unit = (sqlite.prepare(`SELECT id FROM units WHERE weighed = 0 LIMIT 1`).get() as { id: string }).id;
  const cats = (sqlite.prepare('SELECT id FROM categories').all() as { id: string }[]).map((c) => c.id);
  const now = Date.now();
  const insProduct = sqlite.prepare('INSERT INTO products (id, name, category_id, unit_id, created_at) VALUES (?, ?, ?, ?, ?)');
  const insSku = sqlite.prepare(
    `INSERT INTO skus (id, product_id, code, name, spec, unit_id, price_fen, cost_fen, initials, pinyin, stock_qty, updated_at)
     VALUES (?, ?, ?, ?, '', ?, ?, 0, ?, ?, 0, ?)`,
  );
  const insBarcode = sqlite.prepare('INSERT INTO barcodes (code, sku_id) VALUES (?, ?)');
  const insSearch = sqlite.prepare('INSERT INTO sku_search (sku_id, chars) VALUES (?, ?)');
  sqlite.transaction(() => {
    for (let i = from; i < to; i++) {
      const n = nameOf(i);
      const productId = newId();
      const skuId = newId();
      insProduct.run(productId, n.name, cats[i % cats.length], unit, now);
      insSku.run(skuId, productId, `B${i}`, n.name, unit, 100 + (i % 5000), n.initials, n.pinyin, now);
      insBarcode.run(benchBarcode(i), skuId);
      insSearch.run(skuId, searchChars(n.name));
    }
  })();
}

async function call(registry: Registry, name: string, input: unknown): Promise<any> {
  const r = await registry.call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.result;
}

async function measureLookups(registry: Registry, size: number, n: number): Promise<{ scan: number[]; search: number[]; name: number[] }> {
  const rnd = () => Math.floor(Math.random() * size);
  const scan: number[] = [];
  for (let i = -20; i < n; i++) {
    if (i % 40 === 0) await registry.call('cart.void', {}); // keep the cart at a realistic size, untimed
    const t = performance.now();
    await call(registry, 'cart.scan', { code: benchBarcode(rnd()) });
    if (i >= 0) scan.push(performance.now() - t);
  }
  await registry.call('cart.void', {});
  // Search as you type: 1, 2, 3 and 4 letters of a random name's initials.
  const search = await sample(n, (i) => call(registry, 'catalog.search', { q: nameOf(rnd()).initials.slice(0, 1 + (i % 4)), limit: 20 }));
  const name = await sample(n / 2, () => call(registry, 'catalog.search', { q: GOODS[rnd() % GOODS.length], limit: 20 }));
  return { scan, search, name };
}

export async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'till-bench-checkout-'));
  const till = new Till({ dataDir, seedDemo: true });
  const registry = createRegistry({ till, devices: null }, 'browser');
  const out: BenchResult[] = [];
  try {
    const cashier = till.sqlite.prepare(`SELECT id FROM users WHERE role_id = 'cashier'`).get() as { id: string };
    await call(registry, 'auth.login', { userId: cashier.id, pin: '1111' });
    await call(registry, 'shift.open', { openingCashFen: 0 });

    let t0 = performance.now();
    addSkus(till.sqlite, 0, 200_000);
    const build200k = (performance.now() - t0) / 1000;
    const at200k = await measureLookups(registry, 200_000, 600);
    out.push(
      { name: 'scan_lookup_p95_ms', value: round(percentile(at200k.scan, 95)), unit: 'ms', note: `cart.scan via the registry, 200,000 SKUs, p50 ${round(percentile(at200k.scan, 50))}` },
      { name: 'search_pinyin_p95_ms', value: round(percentile(at200k.search, 95)), unit: 'ms', note: `1–4 initials, 20 per page, 200,000 SKUs, p50 ${round(percentile(at200k.search, 50))}` },
      { name: 'search_name_p95_ms', value: round(percentile(at200k.name, 95)), unit: 'ms', note: 'two-character name substring (FTS), 200,000 SKUs' },
      { name: 'catalog_build_200k_s', value: round(build200k, 1), unit: 's', note: 'bench fixture: one transaction, prepared statements (not the xlsx import)' },
    );

    // The commit: time only sales.pay; build each 10-line cart untimed. Alternate with the bare
    // transaction so both see the same disk and cache state, and let the bare one update the very
    // SKUs the sale just sold (10 random rows of a 200,000-SKU table and its stock-move index, not
    // the same 10 hot rows every time: a different number of pages to write at each commit).
    const bare = bareCommit(till.sqlite, cashier.id);
    const soldSkus = till.sqlite.prepare('SELECT sku_id FROM sale_lines WHERE sale_id = ? ORDER BY line_no').pluck();
    const tillMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < 230; i++) {
      let due = 0;
      for (let k = 0; k < 10; k++) due = (await call(registry, 'cart.scan', { code: benchBarcode(Math.floor(Math.random() * 200_000)) })).priced.totalFen;
      const a = performance.now();
      const sale = await call(registry, 'sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: due + 500 }] });
      const b = performance.now();
      const skuIds = soldSkus.all(sale.saleId) as string[]; // untimed
      const c0 = performance.now();
      bare(skuIds);
      const c = performance.now();
      if (i >= 30) {
        tillMs.push(b - a);
        bareMs.push(c - c0);
      }
    }
    const tillP95 = percentile(tillMs, 95);
    const bareP95 = percentile(bareMs, 95);
    out.push(
      {
        name: 'sale_commit_p95_ms', value: round(tillP95), unit: 'ms', baseline: round(bareP95), ratio: round(tillP95 / bareP95, 2),
        note: `sales.pay, 10 lines, cash, WAL + synchronous=FULL; p50 ${round(percentile(tillMs, 50))} vs bare ${round(percentile(bareMs, 50))}`,
      },
      // The ratio is of medians: each p95 is one fsync stall or another (it swings 0.7–4 ms between
      // runs on either side), so a p95 ratio says more about the disk than about the till.
      {
        name: 'sale_commit_ratio', value: round(percentile(tillMs, 50) / percentile(bareMs, 50), 2), unit: 'x', baseline: 1,
        note: `p50 till / p50 bare; the p95 ratio this run: ${round(tillP95 / bareP95, 2)}`,
      },
    );

    // Size should not matter: grow to 1,000,000 SKUs and measure again.
    t0 = performance.now();
    addSkus(till.sqlite, 200_000, 1_000_000);
    const build800k = (performance.now() - t0) / 1000;
    const at1m = await measureLookups(registry, 1_000_000, 400);
    out.push(
      { name: 'scan_lookup_1m_p95_ms', value: round(percentile(at1m.scan, 95)), unit: 'ms', baseline: round(percentile(at200k.scan, 95)), note: '1,000,000 SKUs (baseline: 200,000)' },
      { name: 'search_pinyin_1m_p95_ms', value: round(percentile(at1m.search, 95)), unit: 'ms', baseline: round(percentile(at200k.search, 95)), note: '1,000,000 SKUs (baseline: 200,000)' },
      { name: 'search_name_1m_p95_ms', value: round(percentile(at1m.name, 95)), unit: 'ms', baseline: round(percentile(at200k.name, 95)), note: `1,000,000 SKUs; +800k built in ${round(build800k, 1)} s` },
    );
  } finally {
    till.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

/**
 * The floor: the same rows a 10-line cash sale writes (sale, 10 lines, payment, 10 stock moves and
 * 10 stock updates, print job, order + 10 stock outbox rows), prepared once, values precomputed,
 * in one IMMEDIATE transaction on the till's own file. `skuIds`: the SKUs of the sale it is
 * compared with, so both update the same rows.
 */
function bareCommit(sqlite: Database.Database, userId: string): (skuIds: string[]) => void {
  const payload = JSON.stringify({ v: 1, template: 'sale', data: { lines: Array.from({ length: 10 }, (_, i) => ({ name: nameOf(i).name, qty: 1, unitPriceFen: 350, amountFen: 350 })) } });
  const sale = sqlite.prepare(`INSERT INTO sales (id, receipt_no, till_id, kind, status, business_day, user_id, gross_fen, discount_fen, rounding_fen,
    total_fen, paid_fen, change_fen, item_count, created_at, request_id) VALUES (?, ?, 'T01', 'sale', 'completed', '2026-01-01', ?, 3500, 0, 0, 3500, 4000, 500, 10, ?, ?)`);
  const line = sqlite.prepare(`INSERT INTO sale_lines (id, sale_id, line_no, sku_id, name, qty, unit_price_fen, original_unit_price_fen, gross_fen,
    discount_fen, net_fen, payable_fen) VALUES (?, ?, ?, ?, 'x', 1000, 350, 350, 350, 0, 350, 350)`);
  const pay = sqlite.prepare(`INSERT INTO payments (id, sale_id, method, amount_fen, status, created_at) VALUES (?, ?, 'cash', 4000, 'approved', ?)`);
  const move = sqlite.prepare(`INSERT INTO stock_moves (id, sku_id, qty_delta, reason, ref_id, business_day, created_at) VALUES (?, ?, -1000, 'sale', ?, '2026-01-01', ?)`);
  const stock = sqlite.prepare('UPDATE skus SET stock_qty = stock_qty - 1000 WHERE id = ?');
  const job = sqlite.prepare(`INSERT INTO print_jobs (id, kind, ref_id, payload, created_at) VALUES (?, 'sale', ?, ?, ?)`);
  const outbox = sqlite.prepare('INSERT INTO outbox (id, topic, payload, created_at) VALUES (?, ?, ?, ?)');
  let n = 0;
  const tx = sqlite.transaction((skuIds: string[]) => {
    const id = newId();
    const at = Date.now();
    sale.run(id, `BARE-${++n}`, userId, at, randomUUID());
    skuIds.forEach((sku, i) => {
      const moveId = newId();
      line.run(newId(), id, i + 1, sku);
      move.run(moveId, sku, id, at);
      stock.run(sku);
      outbox.run(moveId, 'stock.changed', '{"qtyDelta":-1000}', at);
    });
    pay.run(newId(), id, at);
    job.run(newId(), id, payload, at);
    outbox.run(newId(), 'order.created', payload, at);
  });
  return (skuIds) => tx.immediate(skuIds);
}
