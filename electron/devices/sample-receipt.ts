// A sample sale for the receipt template preview: Chinese names, a weighed line, discounts, a
// member and two tenders, so every field a shop can switch on or off shows.
import type { SaleReceiptData } from './receipt/templates';

export function sampleSale(at: number, tillId: string): SaleReceiptData {
  return {
    receiptNo: `${tillId}-00000000-0001`,
    at,
    cashier: '张三',
    till: tillId,
    lines: [
      { name: '可口可乐 500ml', qty: 2, unitPriceFen: 350, amountFen: 700 },
      { name: '农夫山泉 550ml', qty: 3, unitPriceFen: 200, amountFen: 600, discounts: [{ label: '第二件半价', amountFen: 100 }] },
      { name: '散装红富士苹果', qty: 1.234, weighed: true, unitPriceFen: 698, priceUnit: '斤', amountFen: 1723 },
      { name: '康师傅红烧牛肉面', qty: 1, unitPriceFen: 450, amountFen: 450, discounts: [{ label: '会员价', amountFen: 50 }] },
    ],
    totals: { itemCount: 7, originalFen: 3473, discountFen: 150, roundingFen: 23, dueFen: 3300 },
    payments: [
      { method: '微信', amountFen: 1300 },
      { method: '现金', amountFen: 2000 },
    ],
    member: { name: '王小明', cardNo: '138****5678', pointsEarned: 33, pointsBalance: 1320 },
    qrUrl: 'https://xiaodian.example/r/sample',
  };
}
