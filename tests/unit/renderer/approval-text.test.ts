// English mode: what the manager reads on the PIN pad is English (issue 12): the main side's summary
// is Chinese ("可口可乐 330ml ×1 5折 −¥1.50", kept for logs), so the English sentence is built from the
// ask's subject, names coming from what the screen shows. Every subject kind the main side builds is
// read from the source and must have its own sentence (none falls back to a generic one or to Chinese).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApprovalAsk } from '../../../shared/approvals';

const root = join(import.meta.dirname, '..', '..', '..');
type Named = { name: string; unit?: string; weighed?: boolean };
const { approvalSummary, subjectEn } = (await import(/* @vite-ignore */ `${root}/renderer/src/i18n/approval-text.ts`)) as {
  approvalSummary(ask: ApprovalAsk, lang: string, names?: (id: string) => Named | undefined): string;
  subjectEn(action: string, subject: Record<string, unknown>, names: (id: string) => Named | undefined): string;
};

const CJK = /[\u4e00-\u9fff（），：；、]/;
const cola = { name: 'Cola 330ml', unit: 'bottle', weighed: false };
const apple = { name: '红富士苹果', unit: '斤', weighed: true };
const book = (id: string) => ({ L1: cola, L2: apple, S1: cola, SALE: { name: 'R20261130-0007' } })[id as 'L1'];
const ask = (action: string, subject: Record<string, unknown>, summary = '中文摘要'): ApprovalAsk =>
  ({ id: 'a', action, subject, summary, expiresAt: 0 }) as ApprovalAsk;

describe('approval summaries in English', () => {
  it('Chinese mode shows the main side’s summary as sent', () => {
    expect(approvalSummary(ask('discount', { kind: 'void', cartId: 'c', lines: 1, totalFen: 100 }, '整单作废：1 行 1 件，¥1.00'), 'zh-CN', book)).toBe('整单作废：1 行 1 件，¥1.00');
  });

  it('builds each sentence from the subject, product names as they are', () => {
    const en = (action: string, subject: Record<string, unknown>) => approvalSummary(ask(action, subject), 'en', book);
    expect(en('discount', { kind: 'line_discount', lineId: 'L1', skuId: 'S1', qty: 1000, unitPriceFen: 300, discount: { kind: 'percent', bp: 5000 }, discountFen: 150 }))
      .toBe('Cola 330ml ×1 50% off −¥1.50');
    expect(en('discount', { kind: 'line_discount', lineId: 'L2', skuId: 'S2', qty: 2500, unitPriceFen: 698, discount: { kind: 'percent', bp: 5000 }, discountFen: 873 }))
      .toBe('红富士苹果 2.5斤 50% off −¥8.73');
    expect(en('price_override', { kind: 'price_override', lineId: 'L1', skuId: 'S1', qty: 2000, catalogPriceFen: 300, unitPriceFen: 200 }))
      .toBe('Cola 330ml ×2 price ¥3.00 → ¥2.00');
    expect(en('discount', { kind: 'order_discount', cartId: 'c', discount: { kind: 'amount', fen: 500 }, discountFen: 500, baseFen: 5000 }))
      .toBe('Whole order −¥5.00 (¥50.00 before the discount)');
    expect(en('remove_line', { kind: 'reduce_qty', lineId: 'L1', skuId: 'S1', fromQty: 3000, toQty: 1000 })).toBe('Cola 330ml quantity ×3 → ×1');
    expect(en('remove_line', { kind: 'remove_line', lineId: 'L1', skuId: 'S1', qty: 1000 })).toBe('Remove Cola 330ml ×1');
    expect(en('void', { kind: 'void', cartId: 'c', lines: 3, totalFen: 1250 })).toBe('Void the whole cart: 3 lines, ¥12.50');
    expect(en('cash_move', { kind: 'cash_out', shiftId: 's', amountFen: 5000, reason: '付供货商货款' })).toBe('Take ¥50.00 out of the drawer (付供货商货款)');
    expect(en('create_product', { kind: 'create_product', barcode: '6901234567892', name: '新品', priceFen: 300, categoryId: null }))
      .toBe('New product 6901234567892 新品 ¥3.00');
    expect(en('refund', { kind: 'refund', saleId: 'SALE', lines: [{ lineId: 'L1', qty: 1000, refundFen: 300 }], refundFen: 300 }))
      .toBe('Return on receipt R20261130-0007: Cola 330ml ×1, refund ¥3.00');
    expect(en('refund_no_receipt', { kind: 'refund_no_receipt', items: [{ skuId: 'S1', qty: 2000, unitPriceFen: 300 }], refundFen: 600 }))
      .toBe('Return without receipt: Cola 330ml ×2, cash refund ¥6.00');
    expect(en('drawer_open', { kind: 'no_sale', reason: null })).toBe('Open the drawer without a sale');
    expect(
      en('discount', {
        kind: 'several',
        items: [
          { action: 'price_override', kind: 'price_override', lineId: 'L1', skuId: 'S1', qty: 1000, catalogPriceFen: 300, unitPriceFen: 200 },
          { action: 'remove_line', kind: 'remove_line', lineId: 'L1', skuId: 'S1', qty: 1000 },
        ],
      }),
    ).toBe('Cola 330ml ×1 price ¥3.00 → ¥2.00; Remove Cola 330ml ×1');
  });

  it('a name the screen does not know is worded, never Chinese', () => {
    const text = approvalSummary(ask('remove_line', { kind: 'remove_line', lineId: 'gone', skuId: 'gone', qty: 1000 }), 'en');
    expect(text).toBe('Remove an item ×1');
  });

  it('every subject kind the main side builds has its own English sentence', () => {
    const kinds = new Set<string>();
    const dir = join(root, 'electron');
    for (const d of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!d.isFile() || !d.name.endsWith('.ts')) continue;
      const src = readFileSync(join(d.parentPath, d.name), 'utf8');
      for (const m of src.matchAll(/subject: \{\s*kind: '(\w+)'/g)) kinds.add(m[1]);
      if (/subject: \{\s*kind: input\.kind/.test(src)) ['cash_in', 'cash_out'].forEach((k) => kinds.add(k));
      if (/kind: 'refund',\s*saleId/.test(src)) kinds.add('refund');
    }
    expect(kinds.size).toBeGreaterThan(10);
    for (const kind of kinds) {
      const text = subjectEn('unknown_action', { kind }, () => undefined);
      expect(text, kind).not.toBe('An action that needs a manager');
      expect(text, kind).not.toMatch(CJK);
    }
  });
});
