// The approval each checkout call may need (what the caller expects; the main side's ask decides).
import { ApprovalAction } from '../../../../shared/approvals';

export const APPROVAL = {
  price: ApprovalAction.priceOverride,
  discount: ApprovalAction.discount,
  removeLine: ApprovalAction.removeLine,
  reduceQty: ApprovalAction.removeLine,
  void: ApprovalAction.void,
  refund: ApprovalAction.refund,
  refundNoReceipt: ApprovalAction.refundNoReceipt,
  createProduct: ApprovalAction.createProduct,
  drawer: ApprovalAction.drawerOpen,
} as const;
