// Sample receipts (the data the tests use too) and a script that renders them to PNG in
// resources/receipts/ so a person can look at them:
//   node --import tsx tests/fakes/render-samples.ts
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PaperWidth } from '../../electron/devices/receipt/document';
import { renderPng, renderSvg, svgToPng } from '../../electron/devices/receipt/picture';
import {
  returnReceipt,
  reprintReceipt,
  saleReceipt,
  type ReceiptTemplateSettings,
  type ReturnReceiptData,
  type SaleReceiptData,
} from '../../electron/devices/receipt/templates';
import { decodeEscpos, decodedToText } from './escpos-decoder';
import { renderEscpos } from '../../electron/devices/receipt/escpos';

const here = dirname(fileURLToPath(import.meta.url));
export const SAMPLES_DIR = join(here, '..', '..', 'resources', 'receipts');

/** 2026-11-25 14:32:05 in Shanghai. */
export const SAMPLE_AT = Date.UTC(2026, 10, 25, 6, 32, 5);

// 散装红富士苹果: 1.234 kg at ￥6.98/斤 = 2.468 斤 × 698 fen = 1722.664 → ￥17.23
export const APPLE_FEN = Math.round(1.234 * 2 * 698);

export const SAMPLE_SALE: SaleReceiptData = {
  receiptNo: 'T01-20261125-0042',
  at: SAMPLE_AT,
  cashier: '张三',
  till: 'T01',
  lines: [
    { name: '可口可乐 500ml', qty: 2, unitPriceFen: 350, amountFen: 700 },
    { name: '农夫山泉 550ml', qty: 3, unitPriceFen: 200, amountFen: 600, discounts: [{ label: '第二件半价', amountFen: 100 }] },
    { name: '散装红富士苹果', qty: 1.234, weighed: true, unitPriceFen: 698, priceUnit: '斤', amountFen: APPLE_FEN },
    { name: '龘龘特制麻花', qty: 1, unitPriceFen: 1280, amountFen: 1280, discounts: [{ label: '会员价', amountFen: 200 }] },
    { name: '𠀀字测试', qty: 1, unitPriceFen: 100, amountFen: 100 },
  ],
  totals: { itemCount: 8, originalFen: 4403, discountFen: 300, roundingFen: 3, dueFen: 4100 },
  payments: [
    { method: '微信', amountFen: 2000 },
    { method: '现金', amountFen: 2500 },
  ],
  changeFen: 400,
  member: { name: '王小明', cardNo: '138****5678', pointsEarned: 41, pointsBalance: 1320, balanceFen: 8850 },
  qrUrl: 'https://xiaodian.example.com/r/T01-20261125-0042',
  openDrawer: 2,
};

export const SAMPLE_RETURN: ReturnReceiptData = {
  returnNo: 'T01-20261125-R0007',
  originalReceiptNo: 'T01-20261125-0042',
  at: SAMPLE_AT + 3_600_000,
  cashier: '张三',
  till: 'T01',
  reason: '包装破损',
  lines: [
    { name: '龘龘特制麻花', qty: 1, unitPriceFen: 1280, amountFen: 1080 },
    { name: '可口可乐 500ml', qty: 1, unitPriceFen: 350, amountFen: 350 },
  ],
  totals: { itemCount: 2, refundFen: 1430 },
  refunds: [{ method: '现金', amountFen: 1430 }],
  member: { name: '王小明', cardNo: '138****5678', pointsDeducted: 14, pointsBalance: 1306 },
  openDrawer: 2,
};

export function sampleSettings(paper: PaperWidth, logo = true): ReceiptTemplateSettings {
  return {
    paper,
    shopName: '邻里小店',
    address: '杭州市西湖区文三路 88 号',
    phone: '0571-8888 6666',
    header: '欢迎光临',
    footer: '谢谢惠顾，欢迎再来！凭小票七日内可退换',
    logoPath: logo ? join(SAMPLES_DIR, 'sample-logo.png') : undefined,
    show: { member: true, points: true, cashier: true, qr: true, barcode: true },
    timeZone: 'Asia/Shanghai', // the sample shop is in Hangzhou, whatever zone this machine is in
  };
}

/** Draws the sample logo PNG (once) with resvg and the shipped font. */
export async function ensureSampleLogo(): Promise<string> {
  const file = join(SAMPLES_DIR, 'sample-logo.png');
  if (existsSync(file)) return file;
  mkdirSync(SAMPLES_DIR, { recursive: true });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="96">
  <rect width="240" height="96" fill="#fff"/>
  <circle cx="48" cy="48" r="40" fill="none" stroke="#000" stroke-width="8"/>
  <text x="48" y="62" font-family="WenQuanYi Micro Hei" font-size="40" text-anchor="middle">邻</text>
  <text x="160" y="62" font-family="WenQuanYi Micro Hei" font-size="40" text-anchor="middle">里小店</text>
</svg>`;
  writeFileSync(file, await svgToPng(svg));
  return file;
}

async function main(): Promise<void> {
  await ensureSampleLogo();
  for (const paper of [58, 80] as const) {
    const s = sampleSettings(paper);
    const docs = {
      sale: saleReceipt(SAMPLE_SALE, s),
      return: returnReceipt(SAMPLE_RETURN, s),
      reprint: reprintReceipt({ original: { template: 'sale', data: SAMPLE_SALE }, reprintAt: SAMPLE_AT + 7_200_000, by: '李四' }, s),
    };
    for (const [name, doc] of Object.entries(docs)) {
      const base = join(SAMPLES_DIR, `${name}-${paper}mm`);
      writeFileSync(`${base}.png`, await renderPng(doc));
      if (process.argv.includes('--svg')) writeFileSync(`${base}.svg`, renderSvg(doc));
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
