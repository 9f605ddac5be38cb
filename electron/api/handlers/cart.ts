// The cart endpoints: thin wrappers over electron/till/cart.ts, which checks every rule.
import type { CartView } from '../../../shared/api/cart';
import * as cart from '../../till/cart';
import type { Till } from '../../till/till';
import type { cartApi } from '../../../shared/api/cart';
import type { Handlers } from '../registry';

/**
 * Tells the listeners (the customer display feed) about the cart after a change committed, once the
 * reply is on its way: the cashier's screen is answered first, the second screen a moment later.
 */
const emit = (till: Till, view: CartView): CartView => {
  setImmediate(() => till.events.emit('cart', view));
  return view;
};

/** The hot changes answer a caller that says which cart it shows with what changed (cart.reply). */
const answer = (till: Till, view: CartView, known: { id: string; version: number } | undefined) => cart.reply(till, emit(till, view), known);

export const cartHandlers: Handlers<typeof cartApi> = {
  'cart.get': (_i, { till }) => cart.getCart(till),
  'cart.scan': ({ code, multiplier, known }, { till }) => answer(till, cart.scan(till, code, multiplier), known),
  'cart.addSku': ({ skuId, qty, known }, { till }) => answer(till, cart.addSku(till, skuId, qty), known),
  'cart.setQty': ({ lineId, qty, approval, known }, { till }) => answer(till, cart.setQty(till, lineId, qty, approval), known),
  'cart.removeLine': ({ lineId, approval, known }, { till }) => answer(till, cart.removeLine(till, lineId, approval), known),
  'cart.setLineDiscount': ({ lineId, discount, approval }, { till }) => emit(till, cart.setLineDiscount(till, lineId, discount, approval)),
  'cart.setOrderDiscount': ({ discount, approval }, { till }) => emit(till, cart.setOrderDiscount(till, discount, approval)),
  'cart.overridePrice': ({ lineId, unitPriceFen, approval }, { till }) => emit(till, cart.overridePrice(till, lineId, unitPriceFen, approval)),
  'cart.setNote': ({ lineId, note }, { till }) => emit(till, cart.setNote(till, lineId, note)),
  'cart.subtotal': (_i, { till }) => emit(till, cart.subtotal(till)),
  'cart.reopen': (_i, { till }) => cart.reopen(till),
  'cart.attachMember': ({ phone }, { till }) => emit(till, cart.attachMember(till, phone)),
  'cart.void': ({ approval }, { till }) => emit(till, cart.voidCart(till, approval)),
  'cart.hold': ({ note }, { till }) => emit(till, cart.hold(till, note)),
  'cart.held': (_i, { till }) => cart.heldCarts(till),
  'cart.recall': ({ heldId }, { till }) => emit(till, cart.recall(till, heldId)),
};
