// The till's tables (drizzle-orm). Migrations in migrations/ are generated from this file by
// `npm run db:generate`; never edit a generated migration, add a new one.
//
// Conventions: ids are UUIDv7 text (sortable, unique across tills, safe to sync); money is integer
// fen; quantities are integer thousandths of the sell unit (1000 = 1 piece, 1234 = 1.234 kg);
// timestamps are integer epoch milliseconds; business_day is 'YYYY-MM-DD' of the 营业日.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const roles = sqliteTable('roles', {
  id: text('id').primaryKey(), // 'staff' | 'cashier' | 'manager' | 'owner'
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  rank: integer('rank').notNull(), // higher rank may do everything a lower one may
});

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  roleId: text('role_id').notNull().references(() => roles.id),
  pinHash: text('pin_hash').notNull(), // scrypt, 'salt:hash' hex
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: integer('locked_until'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
});

export const categories = sqliteTable('categories', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  parentId: text('parent_id'),
  sort: integer('sort').notNull().default(0),
  quickSale: integer('quick_sale', { mode: 'boolean' }).notNull().default(false),
});

export const units = sqliteTable('units', {
  id: text('id').primaryKey(),
  name: text('name').notNull(), // 个 瓶 包 斤 kg
  weighed: integer('weighed', { mode: 'boolean' }).notNull().default(false),
  gramsPerUnit: integer('grams_per_unit'), // 500 for 斤, 1000 for kg; null for piece units
});

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    categoryId: text('category_id').references(() => categories.id),
    unitId: text('unit_id').notNull().references(() => units.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('products_category').on(t.categoryId)], // category grid / filtered search
);

export const skus = sqliteTable(
  'skus',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull().references(() => products.id),
    code: text('code').notNull(), // 货号, the shop's own item number
    name: text('name').notNull(), // full display name including the variant
    spec: text('spec').notNull().default(''),
    unitId: text('unit_id').notNull().references(() => units.id),
    priceFen: integer('price_fen').notNull(),
    costFen: integer('cost_fen').notNull().default(0),
    plu: text('plu'), // label-scale PLU for weighed items
    initials: text('initials').notNull(), // pinyin initials for search (可口可乐 -> kkkl)
    pinyin: text('pinyin').notNull(),
    stockQty: integer('stock_qty').notNull().default(0), // cache of sum(stock_moves.qty_delta), same transaction
    // cache of the open online reservations (online_reservations: qty − handed − released), thousandths;
    // moved by the ledger in the reservation's transaction, so the counter's 可售 is read with the SKU
    reservedQty: integer('reserved_qty').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('skus_code').on(t.code),
    uniqueIndex('skus_plu').on(t.plu),
    index('skus_initials').on(t.initials),
    index('skus_pinyin').on(t.pinyin),
    index('skus_name').on(t.name),
    index('skus_product').on(t.productId),
  ],
);

export const barcodes = sqliteTable(
  'barcodes',
  {
    code: text('code').primaryKey(),
    skuId: text('sku_id').notNull().references(() => skus.id),
  },
  (t) => [index('barcodes_sku').on(t.skuId)],
);

export const shifts = sqliteTable('shifts', {
  id: text('id').primaryKey(),
  tillId: text('till_id').notNull(),
  userId: text('user_id').notNull().references(() => users.id),
  businessDay: text('business_day').notNull(),
  openedAt: integer('opened_at').notNull(),
  closedAt: integer('closed_at'),
  openingCashFen: integer('opening_cash_fen').notNull().default(0),
  countedCashFen: integer('counted_cash_fen'),
  // Set when the shift is closed (交班): who closed it, the cash the ledger expected, the count by
  // denomination ([{ denomFen, count }]), the float left in the drawer for the next cashier and the
  // X report as printed (electron/till/shift-close.ts), so a reprint prints the same figures.
  closedBy: text('closed_by'),
  expectedCashFen: integer('expected_cash_fen'),
  cashCount: text('cash_count', { mode: 'json' }),
  floatLeftFen: integer('float_left_fen'),
  report: text('report', { mode: 'json' }),
  note: text('note'),
});

// The cash drawer's ledger (one row per movement, never edited): the opening float, cash put in or
// taken out by a manager, and at the close the over/short (长短款) and the hand-over of the counted
// cash, so a closed shift's rows plus its cash payments sum to zero. Cash taken at sales is not
// repeated here: it is the sale's cash payments net of change (electron/till/shift-report.ts).
export const cashMoves = sqliteTable(
  'cash_moves',
  {
    id: text('id').primaryKey(),
    shiftId: text('shift_id').notNull().references(() => shifts.id),
    businessDay: text('business_day').notNull(),
    kind: text('kind', { enum: ['float', 'cash_in', 'cash_out', 'over_short', 'handover'] }).notNull(),
    amountFen: integer('amount_fen').notNull(), // + into the drawer, − out of it
    reason: text('reason'),
    userId: text('user_id').notNull().references(() => users.id),
    approvedBy: text('approved_by'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('cash_moves_shift').on(t.shiftId), index('cash_moves_day').on(t.businessDay)],
);

// One row per closed business day (日结): the primary key makes closing a day twice impossible; the
// Z report as printed is kept with it. Sales after the close go to the next day (business-day.ts and
// the trigger in migration 0007).
export const dayCloses = sqliteTable('day_closes', {
  businessDay: text('business_day').primaryKey(),
  tillId: text('till_id').notNull(),
  closedAt: integer('closed_at').notNull(),
  closedBy: text('closed_by').notNull(),
  report: text('report', { mode: 'json' }).notNull(),
  backupFile: text('backup_file'),
  backupError: text('backup_error'),
});

export const sales = sqliteTable(
  'sales',
  {
    id: text('id').primaryKey(),
    receiptNo: text('receipt_no').notNull(),
    tillId: text('till_id').notNull(),
    kind: text('kind', { enum: ['sale', 'return'] }).notNull(),
    status: text('status', { enum: ['completed', 'cancelled'] }).notNull().default('completed'),
    originalSaleId: text('original_sale_id'), // for a return: the sale it returns
    businessDay: text('business_day').notNull(),
    shiftId: text('shift_id').references(() => shifts.id),
    userId: text('user_id').notNull().references(() => users.id),
    approvedBy: text('approved_by').references(() => users.id),
    memberId: text('member_id'),
    grossFen: integer('gross_fen').notNull(),
    discountFen: integer('discount_fen').notNull(),
    roundingFen: integer('rounding_fen').notNull(),
    totalFen: integer('total_fen').notNull(), // negative for a return
    paidFen: integer('paid_fen').notNull(),
    changeFen: integer('change_fen').notNull(),
    itemCount: integer('item_count').notNull(),
    createdAt: integer('created_at').notNull(),
    // The UI's per-attempt id (idempotency key): a retried sales.pay / sales.return returns the first
    // result. requestHash binds the key to the request it was first used for (sales/request-key.ts):
    // the same key on another endpoint or with another body is refused.
    requestId: text('request_id'),
    requestHash: text('request_hash'),
  },
  (t) => [
    uniqueIndex('sales_receipt_no').on(t.receiptNo),
    uniqueIndex('sales_request_id').on(t.requestId),
    index('sales_day').on(t.businessDay),
    index('sales_original').on(t.originalSaleId),
    index('sales_shift').on(t.shiftId),
  ],
);

export const saleLines = sqliteTable(
  'sale_lines',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id').notNull().references(() => sales.id),
    lineNo: integer('line_no').notNull(),
    skuId: text('sku_id').notNull().references(() => skus.id),
    name: text('name').notNull(),
    qty: integer('qty').notNull(), // thousandths; negative on a return
    unitPriceFen: integer('unit_price_fen').notNull(),
    originalUnitPriceFen: integer('original_unit_price_fen').notNull(),
    grossFen: integer('gross_fen').notNull(),
    discountFen: integer('discount_fen').notNull(),
    netFen: integer('net_fen').notNull(),
    // net + its share of 抹零: what the customer paid for the line, the refund basis (negative on a return)
    payableFen: integer('payable_fen').notNull().default(0),
    // The discount by kind (单品折扣 / 促销 / 整单折扣 share), for the Z report; discount_fen is their
    // sum. Rows written before migration 0006 have zeros here (the Z shows them as 其他优惠).
    lineDiscountFen: integer('line_discount_fen').notNull().default(0),
    promoDiscountFen: integer('promo_discount_fen').notNull().default(0),
    orderDiscountFen: integer('order_discount_fen').notNull().default(0),
    originalLineId: text('original_line_id'), // for a return line: the sale line it returns
    note: text('note'),
  },
  (t) => [index('sale_lines_sale').on(t.saleId), index('sale_lines_original').on(t.originalLineId)],
);

export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id').notNull().references(() => sales.id),
    method: text('method').notNull(), // cash | card_terminal | wechat | alipay | ...
    amountFen: integer('amount_fen').notNull(), // negative for a refund
    reference: text('reference'),
    status: text('status', { enum: ['approved', 'pending', 'failed'] }).notNull().default('approved'),
    createdAt: integer('created_at').notNull(),
    originalPaymentId: text('original_payment_id'), // for a refund: the payment it gives back
  },
  (t) => [index('payments_sale').on(t.saleId), index('payments_original').on(t.originalPaymentId)],
);

export const stockMoves = sqliteTable(
  'stock_moves',
  {
    id: text('id').primaryKey(),
    skuId: text('sku_id').notNull().references(() => skus.id),
    qtyDelta: integer('qty_delta').notNull(), // thousandths
    reason: text('reason', { enum: ['init', 'sale', 'return', 'adjust', 'receive', 'pickup', 'online_order'] }).notNull(),
    refId: text('ref_id'),
    userId: text('user_id'),
    businessDay: text('business_day').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('stock_moves_sku').on(t.skuId), index('stock_moves_ref').on(t.refId)],
);

export const printJobs = sqliteTable(
  'print_jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(), // sale | return | reprint | shift_report | day_report | topup | pickup | test
    printerRole: text('printer_role').notNull().default('receipt'), // receipt | label | kitchen
    refId: text('ref_id'),
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'printing', 'printed', 'failed', 'cancelled'] })
      .notNull()
      .default('pending'),
    isCopy: integer('is_copy', { mode: 'boolean' }).notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    waitReason: text('wait_reason'),
    createdAt: integer('created_at').notNull(),
    printedAt: integer('printed_at'),
    // When the job's drawer kick was sent ahead of it as a real-time pulse (or to the drawer box)
    // because the job had to wait (缺纸 / 上盖打开): the job then prints without its kick.
    drawerOpenedAt: integer('drawer_opened_at'),
  },
  (t) => [index('print_jobs_status').on(t.status, t.createdAt), index('print_jobs_ref').on(t.refId)],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(), // also the idempotency key sent to the platform
    topic: text('topic').notNull(), // stock.changed | order.created | ...
    payload: text('payload', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
  },
  (t) => [index('outbox_unsent').on(t.sentAt, t.createdAt)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: text('user_id'),
    approverId: text('approver_id'),
    action: text('action').notNull(),
    target: text('target'),
    details: text('details', { mode: 'json' }),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(), // sha256(prev_hash + row) so an edit or deletion shows
  },
  // Shift and day reports count some actions (作废, 不销售开钱箱) over a time span.
  (t) => [index('audit_action_at').on(t.action, t.at)],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull().default(sql`0`),
});

// Per-till counters (receipt numbers per day) so numbering survives restarts.
export const counters = sqliteTable(
  'counters',
  {
    name: text('name').notNull(),
    scope: text('scope').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.scope] })],
);

// The cart being rung up (status 'active', one per till) and held carts (挂单). The lines, discounts,
// member and the subtotal flag are one JSON document (electron/till/cart.ts, CartData): the cart is
// always read and written whole, never queried by line.
export const carts = sqliteTable(
  'carts',
  {
    id: text('id').primaryKey(),
    status: text('status', { enum: ['active', 'held'] }).notNull(),
    userId: text('user_id').notNull().references(() => users.id),
    heldAt: integer('held_at'),
    note: text('note'),
    data: text('data', { mode: 'json' }).notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('carts_status').on(t.status, t.heldAt)],
);

// Members, minimal for attaching one to a sale by phone; the members issue adds cards, ledgers, etc.
export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    name: text('name').notNull(),
    level: text('level').notNull().default('普通会员'),
    points: integer('points').notNull().default(0),
    balanceFen: integer('balance_fen').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('members_phone').on(t.phone)],
);

// ---------------------------------------------------------------------------------------------
// Report summaries (migrations 0008 and 0009). Totals per business day kept up to date by SQLite
// triggers on sales, sale_lines and payments, so they commit in the sale's own transaction whoever
// writes the sale, and a year's report reads a few thousand rows instead of a million lines. The app
// never writes them; 0009 also fills them from the rows already there. Amounts are fen: sale_* from
// kind 'sale' rows, return_* / returned_* from kind 'return' rows as positive numbers (what went
// back), cancel_* from sales cancelled later (booked on the cancelled sale's own day and hour).

/** Per business day and local hour of the sale: tickets, amounts, items (electron/till/reports). */
export const rptHour = sqliteTable(
  'rpt_hour',
  {
    businessDay: text('business_day').notNull(),
    hour: integer('hour').notNull(), // 0–23, local time of created_at
    saleCount: integer('sale_count').notNull().default(0),
    saleFen: integer('sale_fen').notNull().default(0), // sum of total_fen: what the customers paid
    grossFen: integer('gross_fen').notNull().default(0),
    discountFen: integer('discount_fen').notNull().default(0),
    roundingFen: integer('rounding_fen').notNull().default(0), // 抹零
    changeFen: integer('change_fen').notNull().default(0), // cash given back
    itemCount: integer('item_count').notNull().default(0),
    memberSaleCount: integer('member_sale_count').notNull().default(0),
    memberSaleFen: integer('member_sale_fen').notNull().default(0),
    returnCount: integer('return_count').notNull().default(0),
    returnFen: integer('return_fen').notNull().default(0),
    returnItems: integer('return_items').notNull().default(0),
    cancelCount: integer('cancel_count').notNull().default(0),
    cancelFen: integer('cancel_fen').notNull().default(0),
    cancelItems: integer('cancel_items').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.businessDay, t.hour] })],
);

/** Per business day and cashier (the user who rang the sale or the return). */
export const rptCashier = sqliteTable(
  'rpt_cashier',
  {
    businessDay: text('business_day').notNull(),
    userId: text('user_id').notNull(),
    saleCount: integer('sale_count').notNull().default(0),
    saleFen: integer('sale_fen').notNull().default(0),
    itemCount: integer('item_count').notNull().default(0),
    returnCount: integer('return_count').notNull().default(0),
    returnFen: integer('return_fen').notNull().default(0),
    cancelCount: integer('cancel_count').notNull().default(0),
    cancelFen: integer('cancel_fen').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.businessDay, t.userId] })],
);

/** Per business day and member: what each member bought (member activity, 复购). */
export const rptMember = sqliteTable(
  'rpt_member',
  {
    businessDay: text('business_day').notNull(),
    memberId: text('member_id').notNull(),
    saleCount: integer('sale_count').notNull().default(0),
    saleFen: integer('sale_fen').notNull().default(0),
    itemCount: integer('item_count').notNull().default(0),
    returnCount: integer('return_count').notNull().default(0),
    returnFen: integer('return_fen').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.businessDay, t.memberId] }), index('rpt_member_member').on(t.memberId, t.businessDay)],
);

/** Per business day and tender: approved payments and refunds (cash as tendered; change is in rpt_hour). */
export const rptTender = sqliteTable(
  'rpt_tender',
  {
    businessDay: text('business_day').notNull(),
    method: text('method').notNull(),
    payCount: integer('pay_count').notNull().default(0),
    payFen: integer('pay_fen').notNull().default(0),
    refundCount: integer('refund_count').notNull().default(0),
    refundFen: integer('refund_fen').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.businessDay, t.method] })],
);

// Line measures, the same in the three line summaries below. Quantities in thousandths; cost is
// skus.cost_fen × qty when the line was written (0 = cost unknown), costed_fen the payable of the
// lines whose cost was known, so a margin is only taken over what has a cost. Both net of returns.
const lineMeasures = () => ({
  lineCount: integer('line_count').notNull().default(0), // lines of sales and of returns
  soldQty: integer('sold_qty').notNull().default(0),
  soldFen: integer('sold_fen').notNull().default(0), // payable: net of discounts and the line's share of 抹零
  grossFen: integer('gross_fen').notNull().default(0),
  discountFen: integer('discount_fen').notNull().default(0),
  returnedQty: integer('returned_qty').notNull().default(0),
  returnedFen: integer('returned_fen').notNull().default(0),
  costFen: integer('cost_fen').notNull().default(0),
  costedFen: integer('costed_fen').notNull().default(0),
});

/** Per business day and category (the product's category when the line was written; '' = none). */
export const rptCategory = sqliteTable(
  'rpt_category',
  { businessDay: text('business_day').notNull(), categoryId: text('category_id').notNull(), ...lineMeasures() },
  (t) => [primaryKey({ columns: [t.businessDay, t.categoryId] })],
);

/** Per business day and SKU; by SKU for the last sale day of slow movers. */
export const rptSkuDay = sqliteTable(
  'rpt_sku_day',
  { businessDay: text('business_day').notNull(), skuId: text('sku_id').notNull(), ...lineMeasures() },
  (t) => [primaryKey({ columns: [t.businessDay, t.skuId] }), index('rpt_sku_day_sku').on(t.skuId, t.businessDay)],
);

/** Per month ('YYYY-MM' of the business day) and SKU: whole months of a long range read from here. */
export const rptSkuMonth = sqliteTable(
  'rpt_sku_month',
  { month: text('month').notNull(), skuId: text('sku_id').notNull(), ...lineMeasures() },
  (t) => [primaryKey({ columns: [t.month, t.skuId] })],
);

// The day's sale discounts by kind for the Z report (日结: 改价让利 / 单品折扣 / 促销 / 整单折扣), kept
// like the summaries above by triggers inside the sale's transaction (migration 0010): sale lines
// only, a return's lines never. price_override: Σ (catalog price × qty − gross) of the day's lines.
export const rptDiscount = sqliteTable('rpt_discount', {
  businessDay: text('business_day').primaryKey(),
  lineFen: integer('line_fen').notNull().default(0),
  promoFen: integer('promo_fen').notNull().default(0),
  orderFen: integer('order_fen').notNull().default(0),
  overrideFen: integer('override_fen').notNull().default(0),
});

// Electronic payments (issue 8, electron/payments/attempts.ts). An attempt is written BEFORE the first
// call to the platform, so a killed till always knows what it may have charged; every change of its
// state is one payment_attempt_events row, written in the same transaction. Money in fen. The
// customer's payment code is never stored, only its mask.
export const paymentAttempts = sqliteTable(
  'payment_attempts',
  {
    id: text('id').primaryKey(),
    outTradeNo: text('out_trade_no').notNull(),
    provider: text('provider', { enum: ['wechat', 'alipay'] }).notNull(),
    kind: text('kind', { enum: ['code', 'qr', 'remote'] }).notNull(),
    cartId: text('cart_id'),
    saleId: text('sale_id'), // set inside the sale's transaction that this payment paid
    amountFen: integer('amount_fen').notNull(),
    // CREATED PENDING USERPAYING UNKNOWN (not final) | SUCCESS FAILED REVOKED CLOSED REFUNDED (final)
    state: text('state').notNull(),
    authCodeMask: text('auth_code_mask'),
    transactionId: text('transaction_id'),
    detail: text('detail'),
    codeUrl: text('code_url'), // a shown QR's content (kind 'qr' / 'remote')
    expiresAt: integer('expires_at'),
    requestId: text('request_id'), // payments.codePay's idempotency key and its request hash
    requestHash: text('request_hash'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    chargedAt: integer('charged_at'), // when the pay call was first sent (WeChat: no reverse within 15 s)
    final: integer('final').notNull().default(0),
    abandonedBy: text('abandoned_by'), // a manager stopped waiting (audited); the attempt stays for reconciliation
  },
  (t) => [
    uniqueIndex('payment_attempts_out_trade_no').on(t.outTradeNo),
    uniqueIndex('payment_attempts_request_id').on(t.requestId),
    index('payment_attempts_cart').on(t.cartId, t.final),
    index('payment_attempts_open').on(t.final, t.createdAt),
    index('payment_attempts_sale').on(t.saleId),
  ],
);

export const paymentAttemptEvents = sqliteTable(
  'payment_attempt_events',
  {
    attemptId: text('attempt_id').notNull().references(() => paymentAttempts.id),
    seq: integer('seq').notNull(),
    at: integer('at').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.seq] })],
);

// Refunds to the original route: written before the platform is called (out_refund_no is reused on
// every retry), tracked until final. return_id: the return sale it belongs to (set in its transaction).
export const paymentRefunds = sqliteTable(
  'payment_refunds',
  {
    id: text('id').primaryKey(),
    outRefundNo: text('out_refund_no').notNull(),
    attemptId: text('attempt_id').notNull().references(() => paymentAttempts.id),
    originalPaymentId: text('original_payment_id'),
    returnId: text('return_id'),
    requestId: text('request_id'), // the return's idempotency key: a retried return reuses this refund
    amountFen: integer('amount_fen').notNull(),
    // CREATED UNKNOWN PROCESSING (not final) | SUCCESS CLOSED ABNORMAL FAILED (final)
    state: text('state').notNull(),
    refundId: text('refund_id'),
    detail: text('detail'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    final: integer('final').notNull().default(0),
  },
  (t) => [
    uniqueIndex('payment_refunds_out_refund_no').on(t.outRefundNo),
    index('payment_refunds_attempt').on(t.attemptId),
    index('payment_refunds_request').on(t.requestId, t.originalPaymentId),
    index('payment_refunds_open').on(t.final),
  ],
);

// ---- Sync with the online shops (electron/sync/) ----
// Platform ids: 'youzan' | 'doudian' | 'weidian' | 'kuaishou'. Platform ids of items, SKUs and orders
// are kept as text: Doudian's are 19-digit numbers that a JS number would round.

// A local SKU linked to one platform's item/SKU (matched by barcode or 商家编码, or by a person).
export const skuMapping = sqliteTable(
  'sku_mapping',
  {
    skuId: text('sku_id').notNull().references(() => skus.id),
    platform: text('platform').notNull(),
    itemId: text('item_id').notNull(),
    platformSkuId: text('platform_sku_id'), // null: the platform item has no SKUs
    matchedBy: text('matched_by', { enum: ['barcode', 'code', 'manual'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.skuId, t.platform] }), index('sku_mapping_platform').on(t.platform, t.itemId, t.platformSkuId)],
);

// One outbox row's delivery to one platform (the relay fans a stock.changed row out to every platform
// its SKU is mapped on). The outbox row's id is the idempotency key sent; state pending → done | dead.
// outbox_seq is the outbox row's rowid: the order rows were committed in.
export const syncDeliveries = sqliteTable(
  'sync_deliveries',
  {
    outboxId: text('outbox_id').notNull(),
    platform: text('platform').notNull(),
    outboxSeq: integer('outbox_seq').notNull(),
    skuId: text('sku_id').notNull(),
    state: text('state', { enum: ['pending', 'done', 'dead'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull().default(0),
    lastError: text('last_error'),
    doneAt: integer('done_at'),
    // how it was settled: applied | already_applied (the platform had it) | superseded (an absolute push covered it)
    outcome: text('outcome'),
  },
  (t) => [
    primaryKey({ columns: [t.outboxId, t.platform] }),
    index('sync_deliveries_due').on(t.platform, t.state, t.outboxSeq),
    index('sync_deliveries_sku').on(t.platform, t.skuId, t.state),
    index('sync_deliveries_done').on(t.doneAt), // sync.activity pages settled deliveries newest first
  ],
);

// Deliveries that failed for good (a business refusal, or too many tries): a person retries or dismisses them.
export const syncDeadLetters = sqliteTable(
  'sync_dead_letters',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    outboxId: text('outbox_id').notNull(),
    skuId: text('sku_id'),
    reason: text('reason').notNull(), // Chinese, for the sync screen
    errorCode: text('error_code'),
    attempts: integer('attempts').notNull(),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
    resolution: text('resolution', { enum: ['retried', 'dismissed'] }),
    resolvedBy: text('resolved_by'),
  },
  (t) => [index('sync_dead_letters_open').on(t.resolvedAt, t.createdAt), index('sync_dead_letters_outbox').on(t.outboxId, t.platform)],
);

// Named positions of the sync engine: 'relay.outbox_seq' (the last outbox rowid fanned out),
// 'orders.<platform>' (the update-time cursor of order polling, ms) …
export const syncCursors = sqliteTable('sync_cursors', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

// The one sync agent per shop: whoever holds an unexpired lease talks to the platforms.
export const syncLease = sqliteTable('sync_lease', {
  name: text('name').primaryKey(), // 'shop'
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
  acquiredAt: integer('acquired_at').notNull(),
});

// Orders pulled from the online shops, one row per platform order (upserted when its update time moves on).
export const onlineOrders = sqliteTable(
  'online_orders',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    platformOrderId: text('platform_order_id').notNull(),
    status: text('status').notNull(), // normalized: unpaid | paid | shipped | done | cancelled | refunding
    platformStatus: text('platform_status').notNull(), // as the platform says it
    deliveryType: text('delivery_type').notNull(), // express | local | self_pickup | none
    payAmountFen: integer('pay_amount_fen').notNull(),
    lines: text('lines', { mode: 'json' }).notNull(), // [{itemId, platformSkuId, skuId|null, qty}]
    platformCreatedAt: integer('platform_created_at').notNull(),
    platformUpdatedAt: integer('platform_updated_at').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    // The till's handling (electron/sync/reservations.ts): reserved | partly_handed | fulfilled |
    // released | needs_review | unmapped; oversold: a line asked for more than was left to sell.
    syncState: text('sync_state').notNull().default('reserved'),
    oversold: integer('oversold', { mode: 'boolean' }).notNull().default(false),
    balanceDueFen: integer('balance_due_fen').notNull().default(0),
    buyerPhone: text('buyer_phone'),
    buyerName: text('buyer_name'),
    // refunded/cancelled after the goods left: null | 'pending' (a person decides) | 'returned' | 'kept'
    review: text('review'),
  },
  (t) => [
    uniqueIndex('online_orders_platform_id').on(t.platform, t.platformOrderId),
    index('online_orders_updated').on(t.platformUpdatedAt),
    index('online_orders_created').on(t.platformCreatedAt),
    index('online_orders_sync_state').on(t.syncState),
    index('online_orders_phone').on(t.buyerPhone),
  ],
);

// An online order line's hold on a local SKU (electron/sync/reservations.ts), thousandths like
// stock_qty: of qty, handed_qty left the shop (stock moves, reason online_order) and released_qty was
// given back; the rest is open and counted in skus.reserved_qty. id = platform:orderId:lineNo (a `:k`
// suffix when that id was taken); line_no is the line's current position, negative once the line is
// gone from the order (sync/reservations.ts matches lines by their local SKU).
export const onlineReservations = sqliteTable(
  'online_reservations',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull().references(() => onlineOrders.id),
    lineNo: integer('line_no').notNull(),
    skuId: text('sku_id').notNull().references(() => skus.id),
    qty: integer('qty').notNull(),
    handedQty: integer('handed_qty').notNull().default(0),
    releasedQty: integer('released_qty').notNull().default(0),
    oversoldQty: integer('oversold_qty').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('online_reservations_order').on(t.orderId), index('online_reservations_sku').on(t.skuId)],
);

// A hand-over of order lines at the counter (partial pickup), by the caller's key: a repeat of the key
// moves nothing and answers what the first call moved.
export const onlineHandovers = sqliteTable('online_handovers', {
  key: text('key').primaryKey(),
  orderId: text('order_id').notNull().references(() => onlineOrders.id),
  moved: text('moved', { mode: 'json' }).notNull(), // [{lineNo, qty}] pieces
  userId: text('user_id'),
  createdAt: integer('created_at').notNull(),
});

// An online order's history as a person reads it (占用 / 出库 / 释放 / 超卖 …).
export const onlineOrderEvents = sqliteTable(
  'online_order_events',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull().references(() => onlineOrders.id),
    at: integer('at').notNull(),
    text: text('text').notNull(),
  },
  (t) => [index('online_order_events_order').on(t.orderId, t.at)],
);

// What the platforms may sell (electron/sync/sellable.ts): safety stock per SKU, per category or the
// shop default (kind safety_sku | safety_category | safety_shop, ref '' for the shop), and a platform's
// share in percent (kind share, ref = platform). Pieces.
export const sellableRules = sqliteTable(
  'sellable_rules',
  {
    kind: text('kind', { enum: ['safety_shop', 'safety_category', 'safety_sku', 'share'] }).notNull(),
    ref: text('ref').notNull(),
    value: integer('value').notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.kind, t.ref] })],
);

// Remote payment requests (远程收款, electron/payments/requests.ts): a payment QR sent as a poster, tied
// to a held cart (挂单) or to an online order's balance (an opaque reference the order side resolves),
// polled by the main side until paid or expired. The money's state is its payment_attempts row (kind
// 'remote'); this row says what the money is for and what was done when it arrived.
export const paymentRequests = sqliteTable(
  'payment_requests',
  {
    attemptId: text('attempt_id').primaryKey().references(() => paymentAttempts.id),
    heldCartId: text('held_cart_id'), // the held cart it pays (also the attempt's cart_id)
    orderPlatform: text('order_platform'), // an online order's balance: platform + its order id
    orderId: text('order_id'),
    note: text('note'),
    // What happened on payment: null (not paid yet) | 'sale' (the held cart became sale_id) |
    // 'received' (paid, the cashier finishes the cart from the received payment) | 'order' (the order side took it)
    outcome: text('outcome'),
    saleId: text('sale_id'),
    handledAt: integer('handled_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('payment_requests_cart').on(t.heldCartId), index('payment_requests_order').on(t.orderPlatform, t.orderId)],
);

// ---- Group-buy vouchers (团购券核销, electron/vouchers/) ----
// One redemption = one verify/consume of n uses of a voucher, written BEFORE the first call to the
// platform with the platform's idempotency key (Douyin verify_token, Meituan requestid), so a retry
// after a timeout or a crash sends the same key and parameters. The code itself is never stored: its
// mask and a keyed hash (to spot a code scanned again). `pending_params` holds the exact call while the
// redemption is not final (a retry must repeat it) and is erased when it becomes final.
export const voucherRedemptions = sqliteTable(
  'voucher_redemptions',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(), // 'douyin' | 'meituan'
    codeMask: text('code_mask').notNull(),
    codeHash: text('code_hash').notNull(),
    idemKey: text('idem_key').notNull(), // verify_token / requestid sent to the platform (reused on every retry)
    pendingParams: text('pending_params'), // JSON; null once final
    uses: integer('uses').notNull(),
    unitValueFen: integer('unit_value_fen').notNull(),
    valueFen: integer('value_fen').notNull(),
    title: text('title').notNull(),
    platformOrderId: text('platform_order_id'),
    platformRefs: text('platform_refs'), // JSON: what undo needs (Douyin verify_id + certificate_id per use)
    // CREATED PENDING UNKNOWN (not final) | REDEEMED FAILED UNDONE (final)
    state: text('state').notNull(),
    detail: text('detail'),
    cartId: text('cart_id'),
    saleId: text('sale_id'), // the sale this voucher paid (voucher tender), set in the sale's transaction
    requestId: text('request_id'),
    requestHash: text('request_hash'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    redeemedAt: integer('redeemed_at'),
    undoneBy: text('undone_by'),
    undoneAt: integer('undone_at'),
    final: integer('final').notNull().default(0),
  },
  (t) => [
    uniqueIndex('voucher_redemptions_request_id').on(t.requestId),
    uniqueIndex('voucher_redemptions_idem_key').on(t.platform, t.idemKey),
    index('voucher_redemptions_code').on(t.codeHash),
    index('voucher_redemptions_open').on(t.final, t.createdAt),
    index('voucher_redemptions_created').on(t.createdAt),
    index('voucher_redemptions_cart').on(t.cartId),
  ],
);

// Every state change of a redemption, timed, with who caused it.
export const voucherRedemptionEvents = sqliteTable(
  'voucher_redemption_events',
  {
    redemptionId: text('redemption_id').notNull().references(() => voucherRedemptions.id),
    seq: integer('seq').notNull(),
    at: integer('at').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    by: text('by'),
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.redemptionId, t.seq] })],
);

// What the sync engine did besides relaying deliveries (those are read from sync_deliveries): order
// polls that fetched something, full reconciles and the drift they repaired, auto-matches. Shown by
// sync.activity, newest first.
export const syncActivity = sqliteTable(
  'sync_activity',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    platform: text('platform').notNull(),
    kind: text('kind').notNull(), // poll | reconcile | repair | auto_match
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    skuId: text('sku_id'),
    summary: text('summary').notNull(), // Chinese, one line
    detail: text('detail', { mode: 'json' }),
  },
  (t) => [index('sync_activity_at').on(t.at, t.id)],
);

// Each platform's items/SKUs as its last listing showed them (auto-match, reconcile): what a person
// picks from to link an unmatched SKU by hand.
export const syncPlatformItems = sqliteTable(
  'sync_platform_items',
  {
    platform: text('platform').notNull(),
    itemId: text('item_id').notNull(),
    platformSkuId: text('platform_sku_id').notNull().default(''), // '' = the item has no SKUs
    title: text('title').notNull(),
    barcode: text('barcode'),
    code: text('code'), // 商家编码 on the platform
    quantity: integer('quantity'),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.itemId, t.platformSkuId] })],
);

// ---- Members across the online shops (electron/sync/members*.ts) ----
// Each platform's customers as its last pull showed them (incremental by update time, one row per
// platform customer id). phone is normalized to 11 digits; points/level are the platform's figures at
// fetched_at. auto_link 0: a manager unlinked it, so matching by phone leaves it alone.
export const platformCustomers = sqliteTable(
  'platform_customers',
  {
    platform: text('platform').notNull(),
    customerId: text('customer_id').notNull(),
    phone: text('phone'),
    name: text('name').notNull(),
    level: text('level'),
    points: integer('points'),
    platformUpdatedAt: integer('platform_updated_at').notNull(),
    fetchedAt: integer('fetched_at').notNull(),
    autoLink: integer('auto_link', { mode: 'boolean' }).notNull().default(true),
    firstSeenAt: integer('first_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.customerId] }), index('platform_customers_phone').on(t.phone)],
);

// A local member linked to one platform customer (by phone when exactly one matched, or by a manager).
export const memberLinks = sqliteTable(
  'member_links',
  {
    platform: text('platform').notNull(),
    customerId: text('customer_id').notNull(),
    memberId: text('member_id').notNull().references(() => members.id),
    matchedBy: text('matched_by', { enum: ['phone', 'manual'] }).notNull(),
    linkedBy: text('linked_by'), // the manager, for a manual link
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.customerId] }), uniqueIndex('member_links_member').on(t.memberId, t.platform)],
);

// Points entries per platform, keyed by an id that never changes: 'biz:<biz_value>' for a change the
// counter sends (biz_value is the platform's idempotency key), 'log:<id>' for one the platform's log
// shows that the counter did not send. Entries are only ever added or acknowledged, never overwritten:
// a conflict keeps both sides' entries, so no points are lost.
export const memberPointsLedger = sqliteTable(
  'member_points_ledger',
  {
    platform: text('platform').notNull(),
    entryId: text('entry_id').notNull(),
    customerId: text('customer_id').notNull(),
    memberId: text('member_id'),
    delta: integer('delta').notNull(),
    reason: text('reason').notNull(),
    source: text('source', { enum: ['counter', 'platform'] }).notNull(),
    state: text('state', { enum: ['pending', 'applied', 'refused'] }).notNull(),
    platformEntryId: text('platform_entry_id'), // the platform log's id, once seen
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    occurredAt: integer('occurred_at').notNull(),
    appliedAt: integer('applied_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.entryId] }),
    uniqueIndex('member_points_ledger_platform_entry').on(t.platform, t.platformEntryId),
    index('member_points_ledger_customer').on(t.platform, t.customerId),
    index('member_points_ledger_state').on(t.platform, t.state),
  ],
);
