// Refusals in English, by error code. The main side answers { code, message, details } with a
// Chinese message (kept as it is for logs and integrators); in English mode the screen shows the
// sentence for the code, filled from `details`. Each code lists templates, most specific first: the
// first whose {{values}} are all in the details is used, and the last one needs none, so a refusal
// never falls back to Chinese. `CODE:reason` entries serve details.reason (one code, two situations).
// Values named …Fen are amounts in fen, shown as ¥12.30. A unit test checks that every code the main
// side can throw has an entry here.
import { formatYuan } from '../../../shared/money';

export const ERRORS_EN: Record<string, readonly string[]> = {
  // scanning and the catalog
  UNKNOWN_BARCODE: ['No product has the barcode {{code}}.', 'No product has this barcode.'],
  BAD_CHECK_DIGIT: ['The barcode {{code}} has a wrong check digit: scan it again or type it carefully.', 'The barcode has a wrong check digit: scan it again.'],
  BAD_FORMAT: ['{{code}} is not a barcode this till reads.', 'This is not a barcode this till reads.'],
  UNKNOWN_PLU: ['No product for scale label PLU {{plu}} ({{code}}).', 'No product for this scale label.'],
  BAD_SCALE_LABEL: ['The scale label {{code}} has no weight or price: type the quantity by hand.', 'The scale label has no weight or price: type the quantity by hand.'],
  NOT_WEIGHED: ['{{name}} is not sold by weight, so a weight label cannot be used.', 'This product is not sold by weight, so a weight label cannot be used.'],
  NO_MULTIPLIER: ['Scale-label items cannot be multiplied: scan each one.'],
  UNKNOWN_SKU: ['The product no longer exists.'],
  SKU_DISCONTINUED: ['{{name}} is no longer sold: remove it from the cart.', 'This product is no longer sold: remove it from the cart.'],
  BARCODE_EXISTS: ['The barcode {{code}} already belongs to a product.', 'This barcode already belongs to a product.'],
  UNKNOWN_CATEGORY: ['That category does not exist.'],
  // the cart
  UNKNOWN_LINE: ['That line is gone (perhaps removed): look at the cart again.'],
  BAD_QTY: ['The quantity must be more than 0.'],
  QTY_TOO_LARGE: ['Too many of {{name}} on one line (at most 9,999).', 'Too many on one line (at most 9,999).'],
  QTY_NOT_WHOLE: ['{{name}} is sold by the piece: the quantity must be a whole number.', 'This product is sold by the piece: the quantity must be a whole number.'],
  QTY_REQUIRED: ['{{name}} is sold by weight: weigh it and enter the weight.', 'This product is sold by weight: weigh it and enter the weight.'],
  SCALE_LINE: ['A scale-label line takes its quantity and price from the label: remove it and scan again.'],
  BAD_PRICE: ['A price cannot be negative.'],
  CART_EMPTY: ['The cart is empty: scan something first.'],
  CART_FULL: ['The cart holds at most {{max}} lines: take the payment first.', 'The cart is full: take the payment first.'],
  CART_CHANGED: ['The cart changed while paying: check it and take the payment again.'],
  CART_NOT_EMPTY: ['The cart still has items: pay, hold or void it first.'],
  TOO_MANY_HELD: ['{{max}} carts are already on hold: recall one and finish it first.', 'Too many carts on hold: recall one and finish it first.'],
  UNKNOWN_HELD: ['That held cart is gone (perhaps already recalled).'],
  NOT_YOUR_CART: ["This is {{name}}'s held cart: {{name}} or a manager recalls it.", "This is another cashier's held cart: they or a manager recall it."],
  MEMBER_NOT_FOUND: ['No member has the phone number {{phone}}.', 'No member with this phone number.'],
  DISCOUNT_LIMIT: ["This discount is over the limit: cancel the line's discount first.", 'This discount is over the limit.'],
  APPROVAL_EXCEEDED: ['This goes beyond what the manager approved: ask again.'],
  // manager approval and PINs
  APPROVAL_REQUIRED: ["A manager's approval is needed: {{actionText}}.", "A manager's approval is needed."],
  APPROVAL_MISMATCH: ['The manager approved something else: ask the manager to approve this again.'],
  APPROVAL_IN_USE: ["This approval is being used right now: wait a moment."],
  UNKNOWN_ASK: ['This approval request has expired: do it once more.'],
  NOT_A_MANAGER: ['Only a manager or the owner can approve.'],
  BAD_PIN: ['Wrong PIN: {{left}} tries left.', 'Wrong PIN.'],
  'BAD_PIN:manager': [
    'Wrong manager PIN, not approved. Try again in {{seconds}} s; {{left}} more wrong PINs lock approvals for {{minutes}} min.',
    'Wrong manager PIN, not approved.',
  ],
  LOCKED: [
    '{{name}} is locked for {{minutes}} min after too many wrong PINs.',
    'Too many wrong PINs: locked. Try again in {{minutes}} min.',
    'Too many wrong PINs: locked for a while.',
  ],
  APPROVALS_LOCKED: ['Too many wrong manager PINs: approvals on this till are locked for {{minutes}} min.', 'Too many wrong manager PINs: approvals on this till are locked for a while.'],
  PIN_WAIT: ['A wrong manager PIN was just entered: try again in {{seconds}} s.', 'A wrong manager PIN was just entered: wait a moment.'],
  UNKNOWN_USER: ['This user does not exist or is disabled.'],
  NOT_LOGGED_IN: ['Please log in first.'],
  FORBIDDEN: ['Your role cannot do this: ask a manager.'],
  // payment
  UNDERPAID: ['{{shortFen}} is still due: take the rest.', 'Part of the amount is still due: take the rest.'],
  NONCASH_OVER: ['Non-cash payments ({{nonCashFen}}) are more than the total ({{dueFen}}): no change can be given.', 'Non-cash payments are more than the total: no change can be given.'],
  UNKNOWN_TENDER: ['This payment method is not available.'],
  // electronic payments (WeChat Pay / Alipay)
  NOT_A_PAYMENT_CODE: ['This is not a WeChat or Alipay payment code: ask the customer to refresh it and scan again.'],
  UNIONPAY_NOT_CONFIGURED: ['This is a UnionPay code, and this shop has no UnionPay acquirer: ask for WeChat or Alipay.'],
  DUPLICATE_CODE: ['This payment code was just scanned: do not scan it again.'],
  AMOUNT_OVER_DUE: ['The amount is more than what is left to pay ({{leftFen}}).', 'The amount is more than what is left to pay.'],
  BAD_AMOUNT: ['The amount must be more than 0.'],
  UNKNOWN_CART: ['That held cart cannot be found (it may have been recalled).'],
  AMOUNT_NOT_DUE: ['A remote payment for a held cart must be its amount due ({{dueFen}}).', 'A remote payment for a held cart must be its amount due.'],
  BAD_REQUEST_TARGET: ['A remote payment is for one held cart or one online order, not both.'],
  PAYMENT_PENDING: ['A payment for this cart is still in progress: wait for its result; a manager may decide to stop waiting.'],
  PAYMENT_RECEIVED: ['Money was already received for this cart: take the sale with it; to change or void the cart a manager refunds it first.'],
  PAYMENT_RECEIVED_UNUSED: ['Money was already received for this cart: include it in this payment (do not charge again).'],
  PAYMENTS_RECOVERING: ['Checking the payments left unfinished last time: wait a moment.'],
  PAYMENTS_OFF: ['Electronic payments are not running.'],
  PAYMENTS_STOPPED: ['The till is closing: this payment is checked automatically when it starts again.'],
  PROVIDER_NOT_CONFIGURED: ['This payment platform is not set up: the owner enters the merchant settings first.'],
  UNKNOWN_PAYMENT: ['That electronic payment cannot be found.'],
  PAYMENT_NOT_RECEIVED: ['This electronic payment has not succeeded, so it cannot pay the sale.'],
  BAD_KEY: ['That key file cannot be used: choose the right PEM file (RSA, at least 2048 bits) from the payment platform.'],
  SECRET_UNREADABLE: ['A saved merchant secret cannot be opened on this PC: the owner imports the keys again in Settings → Payments.'],
  // background sync with the online shops
  SYNC_OFF: ['Online-shop sync is not running: try again in a moment.'],
  MEMBER_LINK_UNKNOWN: ['That member or online customer was not found (or is not linked): sync, then look again.'],
  MEMBER_LINK_TAKEN: ['One of the two is already linked on that platform: unlink it first.'],
  MEMBER_NO_PHONE: ['This online customer has no phone number, so it cannot become a shop member.'],
  MEMBER_PHONE_EXISTS: ['A shop member already has this phone number: link to that member instead.'],
  SYNC_INTERNAL: ['Online-shop sync ran into an internal error; it is logged. Try again.'],
  SYNC_NO_PLATFORM: ['No online shop is enabled: the owner turns one on in Settings → Online shops.'],
  SYNC_SETTINGS_INCOMPLETE: ['The online-shop settings are incomplete: fill in every field (and the secret) before enabling it.'],
  SYNC_DEAD_LETTER_NOT_FOUND: ['That failed sync item cannot be found.'],
  SYNC_DEAD_LETTER_RESOLVED: ['That failed sync item was already retried or dismissed.'],
  SYNC_UNSUPPORTED: ['This online shop cannot do that yet.'],
  SYNC_SKU_NOT_FOUND: ['That product cannot be found.'],
  SYNC_ITEM_TAKEN: ['That online item is already linked to another product: unlink it there first.'],
  SYNC_NEED_SKU_ID: ['Douyin shop stock is kept per SKU: choose the SKU, not only the item.'],
  SYNC_BAD_PLATFORM_ID: ['Online item and SKU ids are numbers.'],
  SYNC_NOT_LINKED: ['This product is not linked to that online shop.'],
  BAD_CURSOR: ['The list position is no longer valid: start again from the first page.'],
  PAYMENT_OTHER_CART: ['This electronic payment belongs to another cart.'],
  PAYMENT_AMOUNT_MISMATCH: ['The electronic payment and the amount to pay with it differ.'],
  PAYMENT_ALREADY_USED: ['This electronic payment already paid another sale.'],
  PAYMENT_FINAL: ['This payment already has its result: nothing to do.'],
  PAYMENT_IN_SALE: ['This payment is part of a sale: refund it through a return.'],
  NOT_A_QR: ['This payment is not a shown QR code.'],
  REFUND_REFUSED: ['The payment platform refused the refund; nothing was refunded.'],
  REFERENCE_REQUIRED: ["Enter the card terminal's reference number."],
  IN_PROGRESS: ['Still working on it: wait a moment.'],
  IDEMPOTENCY_MISMATCH: ['This request was already used for something else: start again.'],
  // returns
  UNKNOWN_SALE: ['No such sale (or no receipt for it).'],
  NOT_A_SALE: ['A return cannot be returned again.'],
  SALE_CANCELLED: ['This sale was cancelled: nothing to return.'],
  SALE_CHANGED: ['Another return of this sale just happened: refresh and try again.'],
  DUPLICATE_LINE: ['{{name}} is listed twice: give each line once.', 'A line is listed twice: give each line once.'],
  RETURN_TOO_MUCH: ['More of {{name}} than can still be returned.', 'More than can still be returned.'],
  NOTHING_TO_CANCEL: ['Everything in this sale has been returned already: nothing to cancel.'],
  PRICE_ABOVE_CATALOG: ['The return price of {{name}} cannot be above its price now ({{priceFen}}).', 'The return price cannot be above the price now.'],
  REFUND_EXCEEDS_PAID: ['The refund is more than was paid for this sale.'],
  REFUND_EXCEEDS_TENDER: ['The refund must go back the way the sale was paid; another return may just have happened: refresh and try again.'],
  REFUND_REFERENCE_REQUIRED: ["Refund {{amountFen}} on the card terminal first, then enter the terminal's refund reference.", "Refund the card part on the card terminal first, then enter the terminal's refund reference."],
  // shifts and the day
  SHIFT_REQUIRED: ['Open a shift (enter the float) before taking or refunding money.'],
  SHIFT_STALE: ["{{name}}'s shift (business day {{day}}) was not closed: close it on the Shift screen first.", 'A shift from an earlier day was not closed: close it on the Shift screen first.'],
  SHIFT_NOT_YOURS: ["This is {{name}}'s shift: {{name}} closes it first, or ask a manager.", "This is another cashier's shift: they close it first, or ask a manager."],
  SHIFT_OPEN: ["{{name}}'s shift is still open: close it first.", 'A shift is still open: close it first.'],
  SHIFT_CLOSED: ['This shift is already closed.'],
  UNKNOWN_SHIFT: ['No such shift, or not yours.'],
  NO_SHIFT: ['No shift is open: open one first.'],
  FLOAT_TOO_BIG: ['The float left in the drawer cannot be more than the cash counted.'],
  CASH_SHORT: ['There is not that much cash in the drawer.'],
  DAY_NOT_YET: ['That business day has not started yet.'],
  DAY_CLOSED: ['That business day is already closed.'],
  DAY_NOT_CLOSED: ['That business day is not closed yet.'],
  // reports and exports
  REPORTS_OFF: ['Reports are not running.'],
  JOB_EXISTS: ['This task number is already used: try again.'],
  EXPORT_BUSY: ['An export is already running: wait for it or cancel it first.'],
  // backups
  BACKUP_RUNNING: ['A backup is running: wait a moment.'],
  RESTORE_RUNNING: ['A restore is running: wait a moment.'],
  BACKUP_BAD: ['This backup cannot be restored: it failed the check.'],
  UNKNOWN_BACKUP: ['No such backup file.'],
  DATA_EXISTS: ['The target folder already has a till database.'],
  DB_TOO_NEW: ['This database was made by a newer version of the till: update the software. Nothing was changed.'],
  // devices
  NO_DEVICES: ['The devices are not running.'],
  NOT_FOUND: ['Not found.'],
  DEVICE_OFF: ['This device is disabled or not running.'],
  NO_DRAWER: ['No cash drawer is set up (Settings → Devices).'],
  DRAWER_FAILED: ['The cash drawer did not open.'],
  PRINTER_NOT_READY: ['The printer is not ready: check paper, cover and cable, then try again.'],
  PRINT_FAILED: ['The test page did not print.'],
  DISPLAY_FAILED: ['The customer display is not connected.'],
  NO_SCALE: ['No scale is set up.'],
  NO_WEIGHT: ['No reading from the scale.'],
  SCALE_REFUSED: ['The scale refused the tare.'],
  NO_PREVIEW: ['The preview could not be drawn.'],
  BAD_STATE: ['This print job cannot be changed now.'],
  BAD_DEVICES: ['The device settings are not valid.'],
  // the boundary and the connection
  BAD_INPUT: ['Something entered is not valid: check it and try again.'],
  UNKNOWN_HANDLER: ['This function is not available in this version.'],
  INTERNAL: ['Something went wrong and nothing was done: try again, or call for help.'],
  CANCELLED: ['The till is closing: the task was stopped.'],
  NETWORK: ['Lost the connection to the till program.'],
  NO_TOKEN: ['Access refused: open the till from its own link.'],
  BAD_ORIGIN: ['Access refused: this page is not the till.'],
  BAD_HOST: ['Access refused: wrong address.'],
  BAD_URL: ['The address is not valid.'],
  BAD_JSON: ['The request was not valid.'],
  BAD_CONTENT_TYPE: ['The request was not valid.'],
  METHOD: ['The request was not valid.'],
  TOO_LARGE: ['The request is too large.'],
  UNREADABLE: ['A file of the app could not be read.'],
  // online orders (聚合订单) and hand-over
  ORDER_NOT_FOUND: ['That online order was not found.'],
  ORDER_CANCELLED: ['This online order was cancelled or refunded: nothing can be handed over.'],
  // online order balances (尾款 / 货到付款)
  NO_BALANCE_DUE: ['This online order has no balance left to pay.'],
  BALANCE_ALREADY_PAID: ['This order\'s balance was already paid: it cannot be taken twice.'],
  BALANCE_PAYMENT_PENDING: ['A payment of this order\'s balance is under way: wait for its result (do not take it twice).'],
  AMOUNT_NOT_BALANCE: ['The amount must equal the balance due, {{dueFen}}.', 'The amount must equal the balance due.'],
  BALANCE_ORDER_CANCELLED: ['This online order was cancelled or is being refunded: its balance cannot be taken.'],
  HANDOVER_BAD_LINE: ['The order has no such line.'],
  HANDOVER_UNMAPPED: ['This line is not linked to a product of the shop: link it first.'],
  HANDOVER_TOO_MANY: ['Only {{open}} of this line are left to hand over.', 'More than is left of this line to hand over.'],
  HANDOVER_KEY_REUSED: ['This request number was used for another order: try again.'],
  ORDER_NO_REVIEW: ['This order has no refund waiting for a decision.'],
  // group-buy vouchers (团购券核销, electron/vouchers)
  VOUCHERS_OFF: ['Voucher redemption is not running: try again in a moment.'],
  VOUCHER_PLATFORM_OFF: ['This voucher platform is not set up on this till: the owner fills in its settings.'],
  VOUCHER_SETTINGS_INCOMPLETE: ['The voucher platform settings are incomplete: fill in every field (and the secrets) before enabling it. Nothing was saved.'],
  VOUCHER_IS_PRODUCT: ['This is a product barcode, not a voucher: scan it on the checkout screen.'],
  VOUCHER_IS_PAYMENT_CODE: ['This is the customer’s payment code, not a voucher: scan it when taking payment. Nothing was redeemed or charged.'],
  VOUCHER_BAD_QR: ['The voucher QR code was read incompletely: ask the customer to refresh it and scan again.'],
  VOUCHER_BAD_CODE: ['This is not a voucher code: Douyin vouchers are a QR code or 15 digits, Meituan vouchers 10 or 12 digits.'],
  VOUCHER_OTHER_PLATFORM: ['This voucher belongs to another platform: redeem it there.'],
  VOUCHER_NOT_FOUND: ['The platform does not know this voucher: check the code.'],
  VOUCHER_USED: ['This voucher has already been used.'],
  VOUCHER_EXPIRED: ['This voucher has expired.'],
  VOUCHER_PLATFORM_AUTH: ['The voucher platform refused the till’s credentials: check the settings.'],
  VOUCHER_REFUSED: ['The voucher platform refused this voucher.'],
  VOUCHER_PLATFORM_UNREACHABLE: ['The voucher platform could not be reached: scan again in a moment. Nothing was redeemed.'],
  VOUCHER_IN_PROGRESS: ['This voucher is being redeemed right now: do not scan it again.'],
  VOUCHER_PREPARE_EXPIRED: ['The voucher details are out of date: scan the voucher again.'],
  VOUCHER_USES_OVER: ['The voucher does not have that many uses left.'],
  UNKNOWN_REDEMPTION: ['That voucher redemption cannot be found.'],
  VOUCHER_NOT_REDEEMED: ['This voucher was not redeemed (or was undone), so it cannot be used or undone.'],
  VOUCHER_IN_SALE: ['This voucher paid a sale: undo it through a return of that sale.'],
  VOUCHER_UNDO_WINDOW: ['Too late to undo: the platform allows it only for a limited time after redemption (Douyin: 1 hour).'],
  VOUCHER_UNDO_UNKNOWN: ['The platform did not answer the undo: the voucher still counts as redeemed. Try again in a moment.'],
  VOUCHER_ALREADY_USED: ['This voucher already paid another sale.'],
  VOUCHER_OTHER_CART: ['This voucher was redeemed for another cart: it cannot pay this one.'],
  VOUCHER_AMOUNT_OVER: ['The voucher payment is more than the voucher’s value.'],
  VOUCHER_PARTIAL_REFUND: ['A voucher can only be given back whole: return the whole sale.'],
  // self-pickup (自提核销, electron/sync/pickup.ts)
  PICKUP_NO_PLATFORM: ['The Youzan shop is not enabled on this till: the owner enables it in Settings → Online shops.'],
  PICKUP_IS_PRODUCT: ['This is a product barcode, not a pickup code: scan it on the checkout screen.'],
  PICKUP_IS_PAYMENT_CODE: ['This is the customer’s payment code, not a pickup code. Nothing was charged.'],
  PICKUP_IS_VOUCHER: ['This is a group-buy voucher, not a pickup code: redeem it under Vouchers.'],
  PICKUP_BAD_CODE: ['This is not a pickup code: pickup codes are 6 to 12 digits.'],
  PICKUP_CODE_UNKNOWN: ['The platform does not know this pickup code, or it belongs to another shop.'],
  PICKUP_OTHER_SHOP: ['This pickup code belongs to another shop’s order: it cannot be collected here.'],
  PICKUP_ORDER_CANCELLED: ['This order was cancelled or refunded online: nothing can be collected. Nothing left stock.'],
  PICKUP_ORDER_NOT_SYNCED: ['This order has not reached the till yet: scan again in a moment, or press Sync now.'],
  PICKUP_CODE_USED: ['This pickup code was already used: the order has been collected.'],
  PICKUP_CODE_OTHER_ORDER: ['This pickup code belongs to another order.'],
  PICKUP_PLATFORM_AUTH: ['Youzan refused the till’s credentials: check the online shop settings.'],
  PICKUP_REFUSED: ['Youzan refused this pickup.'],
  PICKUP_PLATFORM_UNREACHABLE: ['Youzan could not be reached: try again in a moment. Nothing was handed over.'],
};

/** The fallback for a code with no entry (a unit test keeps this from happening for the main side's codes). */
export const UNKNOWN_ERROR_EN = 'The till refused this ({{code}}).';

const VAR = /\{\{(\w+)\}\}/g;

function valueText(name: string, v: unknown): string | undefined {
  if (typeof v === 'number') return name.endsWith('Fen') ? formatYuan(v) : String(v);
  if (typeof v === 'string') return v;
  return undefined;
}

/**
 * The English sentence for an error: the first template of its code (or code:reason) whose values
 * are all known. `extra` adds values worked out on screen (e.g. actionText, the approval's words).
 */
export function errorSentenceEn(code: string, details?: unknown, extra: Record<string, string> = {}): string {
  const d = typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(d)) {
    const text = valueText(k, v);
    if (text !== undefined) values[k] = text;
  }
  Object.assign(values, extra);
  const reason = typeof d.reason === 'string' ? d.reason : null;
  const list = (reason && ERRORS_EN[`${code}:${reason}`]) || ERRORS_EN[code];
  if (!list) return UNKNOWN_ERROR_EN.replace('{{code}}', code);
  for (const tpl of list) {
    // {{code}} in a template is the scanned or typed code (details.code), never the error's own code.
    if ([...tpl.matchAll(VAR)].every((m) => m[1] in values)) {
      return tpl.replace(VAR, (_, n: string) => values[n]);
    }
  }
  return list[list.length - 1];
}
