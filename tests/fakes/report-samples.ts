// Sample X (shift) and Z (end of day) reports — the data the tests use — and a script that renders
// them to PNG in resources/receipts/ on 58 and 80 mm so a person can look at them:
//   node --import tsx tests/fakes/report-samples.ts [--txt]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DayReport } from '../../shared/api/day';
import type { ShiftReport } from '../../shared/api/shift';
import { renderEscpos } from '../../electron/devices/receipt/escpos';
import { renderPng } from '../../electron/devices/receipt/picture';
import { dayReportDoc, shiftReportDoc } from '../../electron/devices/receipt/report-templates';
import { decodeEscpos, decodedToText } from './escpos-decoder';
import { SAMPLE_AT, SAMPLES_DIR, sampleSettings } from './render-samples';

const cashier = { id: 'u-wang', name: '小王' };

export const SAMPLE_SHIFT: ShiftReport = {
  shiftId: '019a0000-0000-7000-8000-000000000001',
  shiftNo: 'T01-20261125-1',
  tillId: 'T01',
  cashierId: cashier.id,
  cashier: cashier.name,
  businessDay: '2026-11-25',
  openedAt: SAMPLE_AT - 6 * 3_600_000,
  closedAt: SAMPLE_AT,
  closedBy: '小王',
  sales: { count: 123, itemCount: 310, grossFen: 462_389, discountFen: 5_600, roundingFen: -87, totalFen: 456_702 },
  returns: { count: 2, totalFen: -1_430 },
  cancels: { count: 1, totalFen: -1_080 },
  voids: { count: 1, totalFen: 2_550 },
  noSaleCount: 2,
  tenders: [
    { method: 'cash', label: '现金', count: 41, receivedFen: 120_000, refundedFen: -1_430, netFen: 118_570 },
    { method: 'wechat', label: '微信', count: 60, receivedFen: 250_002, refundedFen: 0, netFen: 250_002 },
    { method: 'card_terminal', label: '银行卡', count: 24, receivedFen: 86_700, refundedFen: 0, netFen: 86_700 },
  ],
  cash: {
    openingFen: 50_000,
    salesFen: 120_000,
    refundsFen: -1_430,
    inFen: 10_000,
    outFen: -30_000,
    expectedFen: 148_570,
    countedFen: 148_500,
    differenceFen: -70,
    floatLeftFen: 50_000,
    handoverFen: 98_500,
  },
  count: [
    { denomFen: 10_000, count: 12 },
    { denomFen: 5_000, count: 3 },
    { denomFen: 2_000, count: 4 },
    { denomFen: 1_000, count: 3 },
    { denomFen: 500, count: 4 },
    { denomFen: 100, count: 21 },
    { denomFen: 50, count: 6 },
    { denomFen: 10, count: 20 },
  ],
  moves: [
    { id: 'm1', kind: 'cash_in', amountFen: 10_000, reason: '补零钱', userName: '李店长', approverName: '李店长', at: SAMPLE_AT - 5 * 3_600_000 },
    { id: 'm2', kind: 'cash_out', amountFen: -30_000, reason: '付供货商货款', userName: '小王', approverName: '李店长', at: SAMPLE_AT - 2 * 3_600_000 },
  ],
  note: '短款 0.70 元，已说明',
};

export const SAMPLE_DAY: DayReport = {
  businessDay: '2026-11-25',
  tillId: 'T01',
  closedAt: SAMPLE_AT + 7 * 3_600_000,
  closedBy: '李店长',
  sales: { count: 301, itemCount: 802, grossFen: 1_002_345, discountFen: 21_300, roundingFen: -213, totalFen: 980_832 },
  discounts: [
    { kind: 'price_override', amountFen: 1_500 },
    { kind: 'line', amountFen: 8_800 },
    { kind: 'promo', amountFen: 6_000 },
    { kind: 'order', amountFen: 6_500 },
    { kind: 'other', amountFen: 0 },
  ],
  returns: { count: 3, totalFen: -5_010 },
  cancels: { count: 1, totalFen: -1_080 },
  voids: { count: 2, totalFen: 4_120 },
  netFen: 975_822,
  tenders: [
    { method: 'cash', label: '现金', count: 102, receivedFen: 300_120, refundedFen: -3_580, netFen: 296_540 },
    { method: 'wechat', label: '微信', count: 150, receivedFen: 480_512, refundedFen: -1_430, netFen: 479_082 },
    { method: 'alipay', label: '支付宝', count: 30, receivedFen: 120_200, refundedFen: 0, netFen: 120_200 },
    { method: 'card_terminal', label: '银行卡', count: 22, receivedFen: 80_000, refundedFen: 0, netFen: 80_000 },
  ],
  categories: [
    { name: '饮料酒水', lines: 402, amountFen: 350_100 },
    { name: '零食饼干', lines: 290, amountFen: 280_012 },
    { name: '水果生鲜', lines: 120, amountFen: 200_300 },
    { name: '日用百货', lines: 60, amountFen: 145_410 },
  ],
  cashiers: [
    { userId: 'u-wang', name: '小王', saleCount: 180, salesFen: 600_100, returnCount: 2, returnsFen: -3_930 },
    { userId: 'u-li', name: '李店长', saleCount: 121, salesFen: 380_732, returnCount: 1, returnsFen: -1_080 },
  ],
  noSaleCount: 3,
  shifts: { count: 2, expectedFen: 346_540, countedFen: 346_470, differenceFen: -70 },
  cash: { inFen: 10_000, outFen: -60_000 },
  onlineBalances: [{ method: 'wechat', label: '微信支付', count: 2, amountFen: 5_160 }],
  vouchers: [
    { platform: 'douyin', label: '抖音团购', count: 12, uses: 15, valueFen: 132_000, undoneCount: 1, undoneFen: 8_800 },
    { platform: 'meituan', label: '美团/点评', count: 3, uses: 3, valueFen: 11_700, undoneCount: 0, undoneFen: 0 },
  ],
  pickups: [{ platform: 'youzan', label: '有赞', orders: 6, handovers: 7, pieces: 19 }],
};

async function main(): Promise<void> {
  for (const paper of [58, 80] as const) {
    const s = sampleSettings(paper, false);
    const docs = { 'x-report': shiftReportDoc(SAMPLE_SHIFT, s), 'z-report': dayReportDoc(SAMPLE_DAY, s) };
    for (const [name, doc] of Object.entries(docs)) {
      const base = join(SAMPLES_DIR, `${name}-${paper}mm`);
      writeFileSync(`${base}.png`, await renderPng(doc));
      if (process.argv.includes('--txt')) writeFileSync(`${base}.txt`, decodedToText(decodeEscpos(renderEscpos(doc)), paper === 58 ? 32 : 48));
      console.log(`${base}.png`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
