// Receipt templates: plain data in, one ReceiptDocument out. No database types here: the till
// maps its rows to these inputs (and stores them in the print job's payload, so that a reprint
// re-renders the very same receipt).
import {
  DOUBLE,
  NORMAL,
  PAPER,
  columns,
  cut,
  feed,
  rule,
  text,
  type Block,
  type Bitmap,
  type Cell,
  type PaperWidth,
  type ReceiptDocument,
  type TextSize,
} from './document';
import { cachedLogoBitmap } from './logo';
import { dayReportDoc, shiftReportDoc, type DayReportPrint, type ShiftReportPrint } from './report-templates';
import { displayWidth } from './width';

// ---------------------------------------------------------------------------------------------
// Inputs

export interface ReceiptTemplateSettings {
  paper: PaperWidth;
  shopName: string;
  address?: string;
  phone?: string;
  /** Printed under the shop's details (e.g. 欢迎光临). */
  header?: string;
  /** Printed at the end (e.g. 谢谢惠顾，欢迎再来). */
  footer?: string;
  /** A PNG; printed as a 1-bit raster at the top. A missing, broken or oversized file is skipped. */
  logoPath?: string;
  /** An already-decoded logo (the preview of an unsaved upload, never written to disk); wins over logoPath. */
  logoImage?: Bitmap;
  show: { member: boolean; points: boolean; cashier: boolean; qr: boolean; barcode: boolean };
  /** IANA zone for printed times; default the till's own zone (as the business day and receipt numbers use). */
  timeZone?: string;
}

export const DEFAULT_TEMPLATE_SETTINGS: ReceiptTemplateSettings = {
  paper: 80,
  shopName: '小店',
  show: { member: true, points: true, cashier: true, qr: true, barcode: true },
};

export interface LineDiscount {
  /** e.g. 会员价, 满减, 第二件半价 */
  label: string;
  /** Positive fen taken off. */
  amountFen: number;
}

export interface ReceiptLine {
  name: string;
  /** Pieces, or kilograms for a weighed item. */
  qty: number;
  /** Weighed item: qty is kg and printed as 1.234kg. */
  weighed?: boolean;
  /** Overrides the printed quantity (e.g. "2盒"). */
  qtyText?: string;
  /** Price per `priceUnit` (per piece when absent), fen. */
  unitPriceFen: number;
  /** e.g. 斤, kg, 盒: the price prints as ￥6.98/斤. */
  priceUnit?: string;
  /** What the line costs before its discounts, fen (computed by the till, not here). */
  amountFen: number;
  discounts?: LineDiscount[];
}

export interface Payment {
  /** Shown as is: 现金, 微信, 支付宝, 银行卡, 会员储值 … */
  method: string;
  amountFen: number;
}

export interface MemberInfo {
  name?: string;
  /** Masked by the caller, e.g. 138****5678. */
  cardNo?: string;
  pointsEarned?: number;
  pointsBalance?: number;
  balanceFen?: number;
}

export interface SaleReceiptData {
  receiptNo: string;
  /** Epoch ms. */
  at: number;
  cashier?: string;
  till?: string;
  lines: ReceiptLine[];
  totals: {
    /** 件数: pieces, a weighed line counts 1. */
    itemCount: number;
    /** 原价: sum of line amounts before discounts. */
    originalFen: number;
    /** 优惠: all discounts, positive. */
    discountFen: number;
    /** 抹零: rounding taken off, positive. */
    roundingFen: number;
    /** 应收 */
    dueFen: number;
  };
  payments: Payment[];
  changeFen?: number;
  member?: MemberInfo;
  /** Join / e-receipt URL (ASCII). */
  qrUrl?: string;
  qrCaption?: string;
  /** Kick the drawer (pin) when printing; absent = no kick. */
  openDrawer?: 2 | 5;
}

export interface ReturnReceiptData {
  returnNo: string;
  originalReceiptNo: string;
  at: number;
  cashier?: string;
  till?: string;
  reason?: string;
  /** Positive quantities and amounts: the template prints them as negative. */
  lines: ReceiptLine[];
  totals: { itemCount: number; refundFen: number };
  refunds: Payment[];
  member?: MemberInfo & { pointsDeducted?: number };
  openDrawer?: 2 | 5;
}

export type ReprintOriginal = { template: 'sale'; data: SaleReceiptData } | { template: 'return'; data: ReturnReceiptData };

export interface ReprintData {
  original: ReprintOriginal;
  reprintAt: number;
  by?: string;
}

export interface TopupReceiptData {
  receiptNo: string;
  at: number;
  cashier?: string;
  member: { name?: string; cardNo: string };
  amountFen: number;
  bonusFen?: number;
  method: string;
  balanceBeforeFen: number;
  balanceAfterFen: number;
  openDrawer?: 2 | 5;
}

export interface PickupSlipData {
  orderNo: string;
  /** 美团, 饿了么, 小程序 … */
  platform: string;
  pickupCode: string;
  at: number;
  pickupAt?: number;
  customer?: string;
  phoneTail?: string;
  lines: { name: string; qty: number; qtyText?: string }[];
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** 1230 → ￥12.30, -5 → -￥0.05 (U+FFE5, never U+00A5: see TESTING.md). */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount must be integer fen: ${fen}`);
  const abs = Math.abs(fen);
  const s = `￥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return fen < 0 ? `-${s}` : s;
}

/** The till PC's own time zone: printed times agree with the business day and the receipt number. */
export const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatTime(ms: number, timeZone = LOCAL_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')}`;
}

export function formatQty(line: { qty: number; weighed?: boolean; qtyText?: string }, negative = false): string {
  if (line.qtyText) return (negative ? '-' : '') + line.qtyText;
  const q = line.weighed ? `${line.qty.toFixed(3)}kg` : `${Number(line.qty.toFixed(3))}`;
  return (negative ? '-' : '') + (line.weighed ? q : `x${q}`);
}

const unitPrice = (l: ReceiptLine) => yuan(l.unitPriceFen) + (l.priceUnit ? `/${l.priceUnit}` : '');

// ---------------------------------------------------------------------------------------------
// Building blocks

/** The logo's size on paper: at most 60 % of the width, 160 dots high. */
export const logoMaxDots = (paper: PaperWidth) => ({ width: Math.floor(PAPER[paper].dots * 0.6), height: 160 });

function logo(s: ReceiptTemplateSettings): Block[] {
  const max = logoMaxDots(s.paper);
  const bm = s.logoImage ?? (s.logoPath ? cachedLogoBitmap(s.logoPath, max.width, max.height) : null);
  return bm ? [{ type: 'image', bitmap: bm, align: 'center' }] : [];
}

/** Label on the left, value right-aligned ending at the last column. */
export function lr(left: string, right: string, o: { size?: TextSize; bold?: boolean } = {}): Block {
  // The value keeps its full width when it fits; a long value gives way to the label and wraps.
  return columns([{ text: left }, { text: right, width: Math.max(1, displayWidth(right)), align: 'right', shrink: true }], {
    size: o.size ?? NORMAL,
    bold: o.bold,
  });
}

/**
 * A double-size total (应收, 退款合计 …). Double width halves the columns (16 on 58 mm): use the
 * short label when the long one would push the amount onto two lines, and fall back to normal
 * size (bold) when even that does not fit — an amount is never split.
 */
export function bigLr(s: ReceiptTemplateSettings, label: string, shortLabel: string, value: string): Block {
  const avail = Math.floor(PAPER[s.paper].columns / 2);
  const fits = (l: string) => displayWidth(l) + 1 + displayWidth(value) <= avail;
  if (fits(label)) return lr(label, value, { size: DOUBLE, bold: true });
  if (fits(shortLabel)) return lr(shortLabel, value, { size: DOUBLE, bold: true });
  return lr(label, value, { bold: true });
}

function shopHeader(s: ReceiptTemplateSettings): Block[] {
  const out: Block[] = [...logo(s)];
  out.push(text(s.shopName, { align: 'center', size: DOUBLE, bold: true }));
  if (s.address) out.push(text(s.address, { align: 'center' }));
  if (s.phone) out.push(text(`电话：${s.phone}`, { align: 'center' }));
  if (s.header) out.push(text(s.header, { align: 'center' }));
  return out;
}

function itemTable(lines: ReceiptLine[], paper: PaperWidth, negative: boolean): Block[] {
  const sign = negative ? -1 : 1;
  const out: Block[] = [];
  const wide = paper === 80;
  if (wide) {
    out.push(
      columns([
        { text: '品名' },
        { text: '数量', width: 8, align: 'right' },
        { text: '单价', width: 10, align: 'right' },
        { text: '金额', width: 10, align: 'right' },
      ]),
    );
  } else {
    out.push(
      columns([
        { text: '品名/数量' },
        { text: '单价', width: 10, align: 'right' },
        { text: '金额', width: 10, align: 'right' },
      ]),
    );
  }
  out.push(rule());
  for (const l of lines) {
    const qty = formatQty(l, negative);
    const amount = yuan(sign * l.amountFen);
    if (wide) {
      out.push(
        columns([
          { text: l.name },
          { text: qty, width: 8, align: 'right' },
          { text: unitPrice(l), width: 10, align: 'right' },
          { text: amount, width: 10, align: 'right' },
        ]),
      );
    } else {
      out.push(text(l.name));
      out.push(
        columns([
          { text: `  ${qty}`, wrap: false },
          { text: unitPrice(l), width: 10, align: 'right' },
          { text: amount, width: 10, align: 'right' },
        ]),
      );
    }
    for (const d of l.discounts ?? []) out.push(lr(`  ${d.label}`, yuan(-sign * d.amountFen)));
  }
  return out;
}

function memberBlock(s: ReceiptTemplateSettings, m: MemberInfo | undefined, extra: Block[] = []): Block[] {
  if (!m || !s.show.member) return [];
  const out: Block[] = [rule()];
  const who = [m.name, m.cardNo].filter(Boolean).join(' ');
  if (who) out.push(lr('会员', who));
  if (s.show.points && m.pointsEarned !== undefined) out.push(lr('本次积分', `${m.pointsEarned >= 0 ? '+' : ''}${m.pointsEarned}`));
  out.push(...extra);
  if (s.show.points && m.pointsBalance !== undefined) out.push(lr('积分余额', String(m.pointsBalance)));
  if (m.balanceFen !== undefined) out.push(lr('储值余额', yuan(m.balanceFen)));
  return out;
}

function ending(s: ReceiptTemplateSettings, code: string | undefined, qr?: { url?: string; caption?: string }): Block[] {
  const out: Block[] = [];
  if (s.footer) out.push(rule(), text(s.footer, { align: 'center' }));
  if (qr?.url && s.show.qr) {
    out.push(feed(1), { type: 'qr', data: qr.url, align: 'center', ec: 'M' });
    if (qr.caption) out.push(text(qr.caption, { align: 'center' }));
  }
  if (code && s.show.barcode) out.push(feed(1), { type: 'barcode', data: code, align: 'center', height: 64 });
  out.push(cut(true));
  return out;
}

const tz = (s: ReceiptTemplateSettings) => s.timeZone ?? LOCAL_TIME_ZONE;

// ---------------------------------------------------------------------------------------------
// Templates

export function saleReceipt(d: SaleReceiptData, s: ReceiptTemplateSettings, o: { reprint?: { at: number; by?: string } } = {}): ReceiptDocument {
  const blocks: Block[] = [];
  // The drawer opens at once, while the receipt prints; a reprint never opens it.
  if (d.openDrawer && !o.reprint) blocks.push({ type: 'drawer', pin: d.openDrawer });
  if (o.reprint) blocks.push(text('** 重印 **', { align: 'center', size: DOUBLE, bold: true }));
  blocks.push(...shopHeader(s), rule('double'));
  blocks.push(lr('单号', d.receiptNo), lr('时间', formatTime(d.at, tz(s))));
  if (s.show.cashier && (d.cashier || d.till)) {
    blocks.push(lr(d.cashier ? `收银员 ${d.cashier}` : '', d.till ? `收银台 ${d.till}` : ''));
  }
  if (o.reprint) blocks.push(lr('重印时间', formatTime(o.reprint.at, tz(s))), ...(o.reprint.by ? [lr('重印人', o.reprint.by)] : []));
  blocks.push(rule(), ...itemTable(d.lines, s.paper, false), rule());
  const t = d.totals;
  blocks.push(lr('件数', String(t.itemCount)), lr('原价', yuan(t.originalFen)));
  if (t.discountFen) blocks.push(lr('优惠', yuan(-t.discountFen)));
  if (t.roundingFen) blocks.push(lr('抹零', yuan(-t.roundingFen)));
  blocks.push(bigLr(s, '应收', '应收', yuan(t.dueFen)), rule());
  for (const p of d.payments) blocks.push(lr(p.method, yuan(p.amountFen)));
  if (d.changeFen) blocks.push(lr('找零', yuan(d.changeFen)));
  blocks.push(...memberBlock(s, d.member));
  if (o.reprint) blocks.push(rule(), text('重印小票，仅供核对', { align: 'center', bold: true }));
  blocks.push(...ending(s, d.receiptNo, { url: d.qrUrl, caption: d.qrCaption ?? '扫码开电子小票 / 加入会员' }));
  return { paper: s.paper, blocks };
}

export function returnReceipt(d: ReturnReceiptData, s: ReceiptTemplateSettings, o: { reprint?: { at: number; by?: string } } = {}): ReceiptDocument {
  const blocks: Block[] = [];
  if (d.openDrawer && !o.reprint) blocks.push({ type: 'drawer', pin: d.openDrawer });
  if (o.reprint) blocks.push(text('** 重印 **', { align: 'center', size: DOUBLE, bold: true }));
  blocks.push(...shopHeader(s), rule('double'));
  blocks.push(text('退货单', { align: 'center', size: DOUBLE, bold: true }));
  blocks.push(lr('退货单号', d.returnNo), lr('原单号', d.originalReceiptNo), lr('时间', formatTime(d.at, tz(s))));
  if (s.show.cashier && (d.cashier || d.till)) {
    blocks.push(lr(d.cashier ? `收银员 ${d.cashier}` : '', d.till ? `收银台 ${d.till}` : ''));
  }
  if (d.reason) blocks.push(lr('原因', d.reason));
  if (o.reprint) blocks.push(lr('重印时间', formatTime(o.reprint.at, tz(s))));
  blocks.push(rule(), ...itemTable(d.lines, s.paper, true), rule());
  blocks.push(lr('退货件数', `-${d.totals.itemCount}`));
  blocks.push(bigLr(s, '退款合计', '退款', yuan(-d.totals.refundFen)), rule());
  for (const r of d.refunds) blocks.push(lr(`退回${r.method}`, yuan(-r.amountFen)));
  const deducted =
    d.member?.pointsDeducted !== undefined && s.show.points ? [lr('扣减积分', `-${d.member.pointsDeducted}`)] : [];
  blocks.push(...memberBlock(s, d.member, deducted));
  blocks.push(rule(), text('顾客签字：', {}), feed(2));
  blocks.push(...ending(s, d.returnNo));
  return { paper: s.paper, blocks };
}

/** The original receipt with a big 重印 mark and the reprint time; never kicks the drawer. */
export function reprintReceipt(d: ReprintData, s: ReceiptTemplateSettings): ReceiptDocument {
  const reprint = { at: d.reprintAt, by: d.by };
  return d.original.template === 'sale'
    ? saleReceipt(d.original.data, s, { reprint })
    : returnReceipt(d.original.data, s, { reprint });
}

export function topupReceipt(d: TopupReceiptData, s: ReceiptTemplateSettings): ReceiptDocument {
  const blocks: Block[] = [];
  if (d.openDrawer) blocks.push({ type: 'drawer', pin: d.openDrawer });
  blocks.push(
    ...shopHeader(s),
    rule('double'),
    text('会员充值', { align: 'center', size: DOUBLE, bold: true }),
    lr('单号', d.receiptNo),
    lr('时间', formatTime(d.at, tz(s))),
    ...(s.show.cashier && d.cashier ? [lr('收银员', d.cashier)] : []),
    rule(),
    lr('会员', [d.member.name, d.member.cardNo].filter(Boolean).join(' ')),
    lr('充值金额', yuan(d.amountFen)),
    ...(d.bonusFen ? [lr('赠送金额', yuan(d.bonusFen))] : []),
    lr('支付方式', d.method),
    lr('充值前余额', yuan(d.balanceBeforeFen)),
    bigLr(s, '当前余额', '余额', yuan(d.balanceAfterFen)),
    rule(),
    text('顾客签字：'),
    feed(1),
    ...ending(s, d.receiptNo),
  );
  return { paper: s.paper, blocks };
}

export function pickupSlip(d: PickupSlipData, s: ReceiptTemplateSettings): ReceiptDocument {
  const blocks: Block[] = [
    text(`${d.platform} 自提单`, { align: 'center', size: DOUBLE, bold: true }),
    text(s.shopName, { align: 'center' }),
    rule('double'),
    text('取货码', { align: 'center' }),
    text(d.pickupCode, { align: 'center', size: DOUBLE, bold: true }),
    rule(),
    lr('订单号', d.orderNo),
    lr('下单时间', formatTime(d.at, tz(s))),
    ...(d.pickupAt ? [lr('预约自提', formatTime(d.pickupAt, tz(s)))] : []),
    ...(d.customer || d.phoneTail ? [lr('顾客', [d.customer, d.phoneTail ? `尾号${d.phoneTail}` : ''].filter(Boolean).join(' '))] : []),
    rule(),
    ...d.lines.map((l) => columns([{ text: l.name }, { text: formatQty(l), width: 8, align: 'right' } as Cell])),
    ...(d.note ? [rule(), text(`备注：${d.note}`, { bold: true })] : []),
    rule(),
    text('取货人签字：'),
    feed(1),
    ...(s.show.barcode && /^[\x20-\x7e]+$/.test(d.orderNo) ? [{ type: 'barcode', data: d.orderNo, align: 'center', height: 64 } as Block] : []),
    cut(true),
  ];
  return { paper: s.paper, blocks };
}

// ---------------------------------------------------------------------------------------------
// The print job payload

/**
 * What `print_jobs.payload` holds: the template kind and its plain data (so a reprint can
 * re-render it), optionally the settings as they were (else the queue's current settings
 * apply), or a ready document for free-form prints (tests, printer self-test).
 */
export type ReceiptJobPayload = (
  | { template: 'sale'; data: SaleReceiptData }
  | { template: 'return'; data: ReturnReceiptData }
  | { template: 'reprint'; data: ReprintData }
  | { template: 'shift_report'; data: ShiftReportPrint }
  | { template: 'day_report'; data: DayReportPrint }
  | { template: 'topup'; data: TopupReceiptData }
  | { template: 'pickup'; data: PickupSlipData }
  | { template: 'document'; doc: ReceiptDocument }
) & { v: 1; settings?: ReceiptTemplateSettings };

export function buildDocument(p: ReceiptJobPayload, fallback: ReceiptTemplateSettings): ReceiptDocument {
  const s = p.settings ?? fallback;
  switch (p.template) {
    case 'sale':
      return saleReceipt(p.data, s);
    case 'return':
      return returnReceipt(p.data, s);
    case 'reprint':
      return reprintReceipt(p.data, s);
    case 'shift_report':
      return shiftReportDoc(p.data, s);
    case 'day_report':
      return dayReportDoc(p.data, s);
    case 'topup':
      return topupReceipt(p.data, s);
    case 'pickup':
      return pickupSlip(p.data, s);
    case 'document':
      return p.doc;
    default:
      throw new Error(`unknown receipt template ${(p as { template: string }).template}`);
  }
}
