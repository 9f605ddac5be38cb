// The approval action names sent to auth.approve (the main side may name its own in the error's
// details, which then wins).
export const APPROVAL = {
  price: 'price_override',
  discount: 'discount',
  removeLine: 'remove_line',
  reduceQty: 'remove_line',
  void: 'void',
  refund: 'refund',
  drawer: 'drawer_open',
} as const;
