import { z } from 'zod';
import { normalizeCode } from '../barcode';
import { endpoint } from './endpoint';

export interface SkuView {
  skuId: string;
  code: string;
  name: string;
  spec: string;
  unit: string;
  weighed: boolean;
  /** For weighed units: grams per sell unit (500 for 斤, 1000 for kg). */
  gramsPerUnit: number | null;
  priceFen: number;
  stockQty: number;
  /** Held by online orders (thousandths): the counter's 可售 is stockQty − reservedQty (electron/sync/sellable.ts). */
  reservedQty: number;
  barcode: string | null;
  categoryId: string | null;
}
export interface LookupResult {
  sku: SkuView;
  /** Quantity in thousandths carried by the code itself (a label-scale barcode), else null. */
  qty: number | null;
  /** Price in fen carried by the code itself (price-embedded scale barcode), else null. */
  amountFen: number | null;
  scannedCode: string;
}
export interface Page<T> {
  items: T[];
  /** Matches found, counted up to a cap (search stops counting at 100: show "100+" when totalCapped). */
  total: number;
  offset: number;
  /** True when there are more matches than `total` (the count was capped so it never scans). */
  totalCapped?: boolean;
}
export interface CategoryView {
  id: string;
  name: string;
  quickSale: boolean;
  skuCount: number;
}

/**
 * Text the cashier types or scans that stands for ASCII (codes, numbers, phone digits): full-width
 * characters from a Chinese input method become ASCII (NFKC) and spaces are trimmed, before any check.
 */
export const codeText = () => z.string().overwrite(normalizeCode);

export const barcodeInput = codeText()
  .min(1, '请输入条码')
  .max(48, '条码过长')
  .regex(/^[\x21-\x7e]+$/, '条码只能包含字母、数字和符号');

export const catalogApi = {
  'catalog.lookup': endpoint<LookupResult>()({
    input: z.object({ code: barcodeInput }).strict(),
    role: 'cashier',
    summary: '按条码/货号查商品（扫码）',
  }),
  'catalog.search': endpoint<Page<SkuView>>()({
    input: z
      .object({
        q: codeText().max(40),
        offset: z.number().int().min(0).max(1_000_000).default(0),
        limit: z.number().int().min(1).max(100).default(20),
        categoryId: z.string().max(64).optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '按名称、货号、条码或拼音首字母搜索（分页）',
  }),
  'catalog.createQuick': endpoint<SkuView>()({
    input: z
      .object({
        barcode: barcodeInput,
        name: z.string().trim().min(1, '请输入商品名称').max(40, '商品名称过长'),
        priceFen: z.number({ message: '价格须为数字' }).int('价格须精确到分').min(0, '价格不能为负').max(100_000_000, '价格过高'),
        categoryId: z.string().max(64).optional(),
        /** A manager's approval for 'create_product' when a cashier is logged in. */
        approval: z.string().regex(/^[0-9a-f]{32}$/).optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '扫到未知条码时当场新建商品（收银员需店长授权，记审计）',
  }),
  'catalog.categories': endpoint<CategoryView[]>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '商品分类',
  }),
};
