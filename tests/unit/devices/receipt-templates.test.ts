import { describe, expect, it } from 'vitest';
import { renderEscpos } from '../../../electron/devices/receipt/escpos';
import { PAPER, type PaperWidth } from '../../../electron/devices/receipt/document';
import {
  pickupSlip,
  returnReceipt,
  reprintReceipt,
  saleReceipt,
  topupReceipt,
  yuan,
} from '../../../electron/devices/receipt/templates';
import { displayWidth } from '../../../electron/devices/receipt/width';
import { decodeEscpos, type DecodedJob } from '../../fakes/escpos-decoder';
import { APPLE_FEN, SAMPLE_AT, SAMPLE_RETURN, SAMPLE_SALE, sampleSettings } from '../../fakes/render-samples';

const AMOUNT = /-?￥\d+\.\d\d$/;
const decode = (d: ReturnType<typeof saleReceipt>) => decodeEscpos(renderEscpos(d));

function checkWidths(job: DecodedJob, paper: PaperWidth): void {
  expect(job.errors).toEqual([]);
  for (const l of job.lines) {
    expect(displayWidth(l.text) * l.size.w, l.text).toBeLessThanOrEqual(PAPER[paper].columns);
  }
}

function checkAmountsAtRightEdge(job: DecodedJob, paper: PaperWidth): number {
  let n = 0;
  for (const l of job.lines) {
    if (l.align === 'left' && AMOUNT.test(l.text)) {
      expect(l.columns, l.text).toBe(PAPER[paper].columns);
      n++;
    }
  }
  return n;
}

describe.each([58, 80] as const)('templates on %i mm', (paper) => {
  const s = sampleSettings(paper, false);

  it('sale receipt: every line fits and every amount ends at the last column', () => {
    const job = decode(saleReceipt(SAMPLE_SALE, s));
    checkWidths(job, paper);
    expect(checkAmountsAtRightEdge(job, paper)).toBeGreaterThanOrEqual(12);
  });

  it('sale receipt: content (weighed apple, totals, payments, member, QR, barcode, one cut, drawer)', () => {
    const job = decode(saleReceipt(SAMPLE_SALE, s));
    const texts = job.lines.map((l) => l.text);
    expect(APPLE_FEN).toBe(1723);
    expect(texts.some((t) => t.includes('1.234kg') && t.includes('￥6.98/斤') && t.endsWith('￥17.23'))).toBe(true);
    const due = job.lines.find((l) => l.text.startsWith('应收'))!;
    expect(due.size).toEqual({ w: 2, h: 2 });
    expect(due.text.endsWith('￥41.00')).toBe(true);
    expect(due.columns).toBe(PAPER[paper].columns);
    for (const label of ['件数', '原价', '优惠', '抹零', '微信', '现金', '找零', '本次积分', '积分余额']) {
      expect(texts.some((t) => t.startsWith(label)), label).toBe(true);
    }
    expect(texts.some((t) => t.startsWith('抹零') && t.endsWith('-￥0.03'))).toBe(true);
    expect(texts.some((t) => t.includes('龘龘特制麻花'))).toBe(true);
    expect(texts.some((t) => t.includes('𠀀字测试'))).toBe(true);
    expect(texts.join('')).not.toContain('¥');
    expect(job.qrs.map((q) => q.data)).toEqual([SAMPLE_SALE.qrUrl]);
    expect(job.barcodes.map((b) => b.data)).toEqual(['T01-20261125-0042']);
    expect(job.cuts).toHaveLength(1);
    expect(job.drawerKicks.map((k) => k.raw)).toEqual([[0x1b, 0x70, 0x00, 0x19, 0xfa]]);
  });

  it('sale receipt: no drawer kick unless asked; hidden fields stay hidden', () => {
    const hidden = { ...s, show: { member: false, points: false, cashier: false, qr: false, barcode: false } };
    const job = decode(saleReceipt({ ...SAMPLE_SALE, openDrawer: undefined }, hidden));
    expect(job.drawerKicks).toEqual([]);
    expect(job.qrs).toEqual([]);
    expect(job.barcodes).toEqual([]);
    expect(job.lines.some((l) => l.text.startsWith('会员') || l.text.includes('收银员'))).toBe(false);
  });

  it('return receipt: negative amounts with a minus sign, refund per tender, original no', () => {
    const job = decode(returnReceipt(SAMPLE_RETURN, s));
    checkWidths(job, paper);
    checkAmountsAtRightEdge(job, paper);
    const texts = job.lines.map((l) => l.text);
    expect(texts.some((t) => t.includes('退货单'))).toBe(true);
    expect(texts.some((t) => t.startsWith('原单号') && t.endsWith('T01-20261125-0042'))).toBe(true);
    expect(texts.some((t) => t.endsWith('-￥10.80'))).toBe(true);
    expect(texts.some((t) => t.startsWith('退回现金') && t.endsWith('-￥14.30'))).toBe(true);
    const total = job.lines.find((l) => l.text.startsWith('退款'))!;
    expect(total.size.w).toBe(2);
    expect(total.text.endsWith('-￥14.30')).toBe(true);
    // every item amount is negative
    const itemAmounts = texts.filter((t) => /￥\d+\.\d\d$/.test(t) && /x1/.test(t));
    expect(itemAmounts.length).toBe(2);
    for (const t of itemAmounts) expect(t).toMatch(/-￥\d+\.\d\d$/);
    expect(job.barcodes[0].data).toBe(SAMPLE_RETURN.returnNo);
  });

  it('reprint: big 重印 mark, reprint time, no drawer kick, same barcode', () => {
    const job = decode(reprintReceipt({ original: { template: 'sale', data: SAMPLE_SALE }, reprintAt: SAMPLE_AT + 7_200_000 }, s));
    checkWidths(job, paper);
    const mark = job.lines.find((l) => l.text.includes('重印') && l.size.w === 2)!;
    expect(mark.bold).toBe(true);
    expect(job.lines.some((l) => l.text.startsWith('重印时间') && l.text.endsWith('2026-11-25 16:32:05'))).toBe(true);
    expect(job.drawerKicks).toEqual([]);
    expect(job.barcodes[0].data).toBe(SAMPLE_SALE.receiptNo);
  });

  it('top-up and pickup documents fit the paper (X and Z reports: report-templates.test.ts)', () => {
    const topup = topupReceipt(
      { receiptNo: 'C-0001', at: SAMPLE_AT, member: { name: '王小明', cardNo: '138****5678' }, amountFen: 50000, bonusFen: 5000, method: '微信', balanceBeforeFen: 8850, balanceAfterFen: 63850 },
      s,
    );
    const pickup = pickupSlip(
      { orderNo: 'MT20261125001', platform: '美团', pickupCode: '8848', at: SAMPLE_AT, lines: [{ name: '可口可乐 500ml', qty: 2 }], note: '不要袋子' },
      s,
    );
    for (const d of [topup, pickup]) checkWidths(decode(d), paper);
    expect(decode(pickup).lines.some((l) => l.text === '8848' && l.size.w === 2)).toBe(true);
    const balance = decode(topup).lines.find((l) => l.text.endsWith(yuan(63850)))!;
    expect(balance.text.startsWith(paper === 58 ? '余额' : '当前余额')).toBe(true);
    expect(balance.size.w).toBe(2);
  });
});

describe('yuan', () => {
  it('uses U+FFE5 and a leading minus', () => {
    expect(yuan(1230)).toBe('￥12.30');
    expect(yuan(-5)).toBe('-￥0.05');
    expect(yuan(0)).toBe('￥0.00');
  });
});

describe('printed times', () => {
  it('default to the till PC’s own zone, so they agree with the business day and the receipt number', async () => {
    const { formatTime } = await import('../../../electron/devices/receipt/templates');
    const at = Date.UTC(2026, 10, 25, 21, 31, 0);
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    expect(formatTime(at)).toBe(local);
    expect(formatTime(at, 'Asia/Shanghai')).toBe('2026-11-26 05:31:00');
  });
});
