// Manager approvals (店长授权), the part both sides share: the actions that need a manager and the
// "ask" the main side sends with APPROVAL_REQUIRED. The rules themselves live in
// electron/till/approvals.ts; the renderer only shows the ask and sends the PIN with its id.

/** Every action a cashier needs a manager for. */
export const ApprovalAction = {
  discount: 'discount',
  priceOverride: 'price_override',
  removeLine: 'remove_line',
  void: 'void',
  refund: 'refund',
  refundNoReceipt: 'refund_no_receipt',
  createProduct: 'create_product',
  drawerOpen: 'drawer_open',
  cashMove: 'cash_move',
  /** Stop waiting for an electronic payment whose outcome is not known yet (it stays in reconciliation). */
  paymentAbandon: 'payment_abandon',
  /** Undo a group-buy voucher redemption (bound to that redemption). */
  voucherUndo: 'voucher_undo',
} as const;
export type ApprovalAction = (typeof ApprovalAction)[keyof typeof ApprovalAction];

export const APPROVAL_ACTIONS = Object.values(ApprovalAction) as [ApprovalAction, ...ApprovalAction[]];

export const isApprovalAction = (v: unknown): v is ApprovalAction =>
  typeof v === 'string' && (APPROVAL_ACTIONS as readonly string[]).includes(v);

/**
 * What exactly is being approved: the canonical target and approved value, computed by the main side
 * (cart line + sku + qty + discount, sale + lines + refund, barcode + name + price …). A token is
 * bound to it: the retried call recomputes its subject and must match field for field.
 */
export type ApprovalSubject = { readonly [key: string]: SubjectValue };
type SubjectValue = string | number | boolean | null | readonly SubjectValue[] | { readonly [key: string]: SubjectValue };

/** Sent in APPROVAL_REQUIRED's details: the manager reads `summary` on the PIN pad. */
export interface ApprovalAsk {
  id: string;
  action: ApprovalAction;
  subject: ApprovalSubject;
  /** e.g. "可口可乐 330ml ×1 5折 −¥1.50" */
  summary: string;
  expiresAt: number;
}

/** The details of an APPROVAL_REQUIRED error. */
export interface ApprovalRequiredDetails {
  action: ApprovalAction;
  ask: ApprovalAsk;
}

/** The ask carried by an error's details, if it is a well-formed one. */
export function askOf(details: unknown): ApprovalAsk | null {
  const ask = (details as { ask?: Partial<ApprovalAsk> } | null | undefined)?.ask;
  if (!ask || typeof ask.id !== 'string' || typeof ask.summary !== 'string' || !isApprovalAction(ask.action)) return null;
  return ask as ApprovalAsk;
}
