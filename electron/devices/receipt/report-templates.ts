// The shift report (X, 交班报表) and the end-of-day report (Z, 日结报表) as receipt documents, for 58 and
// 80 mm paper. Their data is the reports as the till computed and stored them (shared/api/shift.ts
// ShiftReport, shared/api/day.ts DayReport), so a reprint prints the same figures.
import type { DayReport, DiscountKind } from '../../../shared/api/day';
import type { ShiftReport, TenderTotal } from '../../../shared/api/shift';
import { DOUBLE, columns, cut, feed, rule, text, type Block, type ReceiptDocument } from './document';
import { bigLr, formatTime, LOCAL_TIME_ZONE, lr, yuan, type ReceiptTemplateSettings } from './templates';

/** A reprint says so at the top and says when and by whom. */
export interface ReportReprint {
  reprint?: { at: number; by: string };
}
export type ShiftReportPrint = ShiftReport & ReportReprint & { printedAt?: number };
export type DayReportPrint = DayReport & ReportReprint & { printedAt?: number };

const DISCOUNT_LABEL: Record<DiscountKind, string> = {
  price_override: '改价让利',
  line: '单品折扣',
  promo: '促销',
  order: '整单折扣',
  other: '其他优惠',
};

const tz = (s: ReceiptTemplateSettings) => s.timeZone ?? LOCAL_TIME_ZONE;
/** 14:02 of an epoch ms, in the receipt's zone. */
const hhmm = (ms: number, s: ReceiptTemplateSettings) => formatTime(ms, tz(s)).slice(11, 16);
const count = (n: number, unit: string) => `${n}${unit}`;

function head(s: ReceiptTemplateSettings, title: string, reprint: ReportReprint['reprint']): Block[] {
  const out: Block[] = [];
  if (reprint) out.push(text('** 重印 **', { align: 'center', size: DOUBLE, bold: true }));
  out.push(text(s.shopName, { align: 'center', bold: true }), text(title, { align: 'center', size: DOUBLE, bold: true }), rule('double'));
  return out;
}

function reprintLines(s: ReceiptTemplateSettings, reprint: ReportReprint['reprint']): Block[] {
  return reprint ? [lr('重印时间', formatTime(reprint.at, tz(s))), lr('重印人', reprint.by)] : [];
}

/**
 * Money per tender: one row each (name, count, net), the refunds indented under it. On 80 mm the
 * received and refunded amounts get their own columns.
 */
function tenderTable(rows: readonly TenderTotal[], s: ReceiptTemplateSettings): Block[] {
  if (!rows.length) return [text('（无收款）')];
  if (s.paper === 80) {
    const out: Block[] = [
      columns([
        { text: '方式' },
        { text: '笔数', width: 5, align: 'right' },
        { text: '收款', width: 10, align: 'right' },
        { text: '退款', width: 10, align: 'right' },
        { text: '净额', width: 10, align: 'right' },
      ]),
    ];
    for (const t of rows) {
      out.push(
        columns([
          { text: t.label },
          { text: String(t.count), width: 5, align: 'right' },
          { text: yuan(t.receivedFen), width: 10, align: 'right', shrink: true },
          { text: yuan(t.refundedFen), width: 10, align: 'right', shrink: true },
          { text: yuan(t.netFen), width: 10, align: 'right', shrink: true },
        ]),
      );
    }
    return out;
  }
  const out: Block[] = [];
  for (const t of rows) {
    out.push(columns([{ text: t.label }, { text: count(t.count, '笔'), width: 6, align: 'right' }, { text: yuan(t.netFen), width: 12, align: 'right' }]));
    if (t.refundedFen) out.push(lr('  其中退款', yuan(t.refundedFen)));
  }
  return out;
}

/** ￥100 … ￥1, 5角, 1角: as a cashier names the notes and coins. */
export function denomination(fen: number): string {
  return fen >= 100 ? `￥${fen / 100}` : `${fen / 10}角`;
}

function signed(fen: number): string {
  return (fen > 0 ? '+' : '') + yuan(fen);
}

/** 长款 / 短款 / 无差额, the words a cashier uses. */
export function differenceWord(fen: number): string {
  return fen > 0 ? '长款' : fen < 0 ? '短款' : '无差额';
}

export function shiftReportDoc(d: ShiftReportPrint, s: ReceiptTemplateSettings): ReceiptDocument {
  const z = tz(s);
  const closed = d.closedAt !== null;
  const c = d.cash;
  const blocks: Block[] = [
    ...head(s, closed ? '交班报表' : '交班报表(未交班)', d.reprint),
    lr('班次', d.shiftNo),
    lr('营业日', d.businessDay),
    lr('收银员', d.cashier),
    lr('收银台', d.tillId),
    lr('开班', formatTime(d.openedAt, z)),
    ...(closed ? [lr('交班', formatTime(d.closedAt!, z))] : []),
    ...(d.closedBy && d.closedBy !== d.cashier ? [lr('交班操作', d.closedBy)] : []),
    ...reprintLines(s, d.reprint),
    rule(),
    lr(`销售 ${count(d.sales.count, '笔')}`, yuan(d.sales.totalFen), { bold: true }),
  ];
  if (d.sales.discountFen) blocks.push(lr('  优惠', yuan(-d.sales.discountFen)));
  if (d.sales.roundingFen) blocks.push(lr('  抹零', yuan(d.sales.roundingFen)));
  blocks.push(lr(`退货 ${count(d.returns.count, '笔')}`, yuan(d.returns.totalFen)));
  if (d.cancels.count) blocks.push(lr(`  其中撤销 ${count(d.cancels.count, '笔')}`, yuan(d.cancels.totalFen)));
  blocks.push(lr(`作废 ${count(d.voids.count, '单')}`, yuan(d.voids.totalFen)), lr('不销售开钱箱', count(d.noSaleCount, '次')));
  blocks.push(rule(), text('按支付方式', { bold: true }), ...tenderTable(d.tenders, s));
  blocks.push(
    rule(),
    text('现金核对', { bold: true }),
    lr('  备用金', yuan(c.openingFen)),
    lr('  现金销售', yuan(c.salesFen)),
    lr('  现金退款', yuan(c.refundsFen)),
    lr('  存入', yuan(c.inFen)),
    lr('  取出', yuan(c.outFen)),
    lr('  应有现金', yuan(c.expectedFen), { bold: true }),
  );
  if (c.countedFen !== null && c.differenceFen !== null) {
    blocks.push(lr('  实点现金', yuan(c.countedFen), { bold: true }));
    const word = differenceWord(c.differenceFen);
    blocks.push(bigLr(s, `差额(${word})`, c.differenceFen ? word : '差额', signed(c.differenceFen)));
    if (c.floatLeftFen !== null) blocks.push(lr('  留存备用金', yuan(c.floatLeftFen)));
    if (c.handoverFen !== null) blocks.push(lr('  上缴现金', yuan(c.handoverFen)));
  }
  const counted = (d.count ?? []).filter((l) => l.count > 0);
  if (counted.length) {
    blocks.push(rule(), text('点钞明细', { bold: true }));
    for (const l of counted) {
      blocks.push(columns([{ text: `  ${denomination(l.denomFen)}` }, { text: `×${l.count}`, width: 7, align: 'right' }, { text: yuan(l.denomFen * l.count), width: 12, align: 'right' }]));
    }
  }
  if (d.moves.length) {
    blocks.push(rule(), text('存取款记录', { bold: true }));
    for (const m of d.moves) {
      const who = m.approverName && m.approverName !== m.userName ? `，${m.approverName}批准` : '';
      blocks.push(lr(`  ${hhmm(m.at, s)} ${m.kind === 'cash_in' ? '存入' : '取出'} ${m.userName}`, yuan(m.amountFen)));
      blocks.push(text(`    ${m.reason ?? ''}${who}`));
    }
  }
  if (d.note) blocks.push(rule(), text(`备注：${d.note}`));
  if (closed) blocks.push(rule(), text('交班人签字：'), feed(2), text('接班人签字：'), feed(1));
  else blocks.push(rule(), lr('打印时间', formatTime(d.reprint?.at ?? d.printedAt ?? d.openedAt, z)));
  blocks.push(cut(true));
  return { paper: s.paper, blocks };
}

/**
 * 网店尾款 (by tender), 团购核销 and 自提 of the day; nothing for a report kept before they were counted.
 * 80 mm puts a voucher platform's figures on one line; 58 mm gives the undone their own line.
 */
function onlineLines(d: DayReportPrint, s: ReceiptTemplateSettings): Block[] {
  const out: Block[] = [];
  const wide = s.paper === 80;
  if (d.onlineBalances?.length) {
    out.push(rule(), text('网店订单尾款（按支付方式）', { bold: true }));
    for (const b of d.onlineBalances) out.push(lr(`  ${b.label} ${count(b.count, '笔')}`, yuan(b.amountFen)));
  }
  if (d.vouchers) {
    out.push(rule(), text('团购券核销', { bold: true }));
    if (!d.vouchers.length) out.push(text('（无核销）'));
    for (const v of d.vouchers) {
      if (wide) {
        out.push(
          columns([
            { text: v.label },
            { text: `${v.count}笔/${v.uses}张`, width: 10, align: 'right' },
            { text: yuan(v.valueFen), width: 10, align: 'right' },
            { text: `撤销${v.undoneCount}笔 ${yuan(v.undoneFen)}`, width: 18, align: 'right', shrink: true },
          ]),
        );
      } else {
        out.push(lr(`${v.label} ${v.count}笔 ${v.uses}张`, yuan(v.valueFen)));
        if (v.undoneCount) out.push(lr(`  撤销 ${count(v.undoneCount, '笔')}`, yuan(v.undoneFen)));
      }
    }
  }
  if (d.pickups) {
    out.push(rule(), text('自提核销', { bold: true }));
    if (!d.pickups.length) out.push(text('（无自提）'));
    for (const p of d.pickups) out.push(lr(`${p.label} ${count(p.orders, '单')}${p.handovers !== p.orders ? `（${p.handovers}次交付）` : ''}`, count(p.pieces, '件')));
  }
  return out;
}

export function dayReportDoc(d: DayReportPrint, s: ReceiptTemplateSettings): ReceiptDocument {
  const z = tz(s);
  const closed = d.closedAt !== null;
  const wide = s.paper === 80;
  const override = d.discounts.find((x) => x.kind === 'price_override')?.amountFen ?? 0;
  const blocks: Block[] = [
    ...head(s, closed ? '日结报表' : '日结预览(未日结)', d.reprint),
    lr('营业日', d.businessDay, { bold: true }),
    lr('收银台', d.tillId),
    ...(closed ? [lr('日结时间', formatTime(d.closedAt!, z)), lr('日结人', d.closedBy ?? '')] : [lr('打印时间', formatTime(d.printedAt ?? 0, z))]),
    ...reprintLines(s, d.reprint),
    rule(),
    lr(`销售 ${count(d.sales.count, '笔')}`, `${d.sales.itemCount}件`),
    lr('  原价合计', yuan(d.sales.grossFen + override)),
  ];
  for (const x of d.discounts) if (x.amountFen) blocks.push(lr(`  ${DISCOUNT_LABEL[x.kind]}`, yuan(-x.amountFen)));
  if (d.sales.roundingFen) blocks.push(lr('  抹零', yuan(d.sales.roundingFen)));
  blocks.push(lr('  销售应收', yuan(d.sales.totalFen), { bold: true }));
  if (d.sales.count) blocks.push(lr('  客单价', yuan(Math.round(d.sales.totalFen / d.sales.count))));
  blocks.push(lr(`退货 ${count(d.returns.count, '笔')}`, yuan(d.returns.totalFen)));
  if (d.cancels.count) blocks.push(lr(`  其中撤销 ${count(d.cancels.count, '笔')}`, yuan(d.cancels.totalFen)));
  blocks.push(bigLr(s, '净收入', '净收入', yuan(d.netFen)));
  blocks.push(lr(`作废 ${count(d.voids.count, '单')}`, yuan(d.voids.totalFen)), lr('不销售开钱箱', count(d.noSaleCount, '次')));
  blocks.push(rule(), text('按支付方式', { bold: true }), ...tenderTable(d.tenders, s));
  blocks.push(...onlineLines(d, s));
  if (d.categories.length) {
    blocks.push(rule(), columns([{ text: '按品类', }, { text: '行数', width: 6, align: 'right' }, { text: '金额', width: 12, align: 'right' }], { bold: true }));
    for (const c of d.categories) {
      blocks.push(columns([{ text: c.name }, { text: String(c.lines), width: 6, align: 'right' }, { text: yuan(c.amountFen), width: 12, align: 'right' }]));
    }
  }
  if (d.cashiers.length) {
    blocks.push(rule(), text('按收银员', { bold: true }));
    for (const p of d.cashiers) {
      if (wide) {
        blocks.push(
          columns([
            { text: p.name },
            { text: `销售${p.saleCount}笔`, width: 10, align: 'right' },
            { text: yuan(p.salesFen), width: 12, align: 'right' },
            { text: `退${p.returnCount}笔 ${yuan(p.returnsFen)}`, width: 16, align: 'right', shrink: true },
          ]),
        );
      } else {
        blocks.push(lr(`${p.name} 销售${p.saleCount}笔`, yuan(p.salesFen)));
        if (p.returnCount) blocks.push(lr(`  退货${p.returnCount}笔`, yuan(p.returnsFen)));
      }
    }
  }
  const sh = d.shifts;
  blocks.push(
    rule(),
    text(`现金（${sh.count}个班次）`, { bold: true }),
    lr('  存入', yuan(d.cash.inFen)),
    lr('  取出', yuan(d.cash.outFen)),
    lr('  应有现金', yuan(sh.expectedFen)),
    lr('  实点现金', yuan(sh.countedFen)),
    lr(`  差额(${differenceWord(sh.differenceFen)})`, signed(sh.differenceFen), { bold: true }),
  );
  blocks.push(rule(), text('核对人签字：'), feed(1), cut(true));
  return { paper: s.paper, blocks };
}
