import type { authApi } from '../../../shared/api/auth';
import * as cartOwner from '../../till/cart-owner';
import type { Handlers } from '../registry';

export const authHandlers: Handlers<typeof authApi> = {
  'auth.users': (_i, { till }) => till.auth.users(),
  'auth.login': ({ userId, pin }, { till }) => {
    const session = till.auth.login(userId, pin);
    cartOwner.settleAtLogin(till); // another user's cart left active is held under its owner
    return session;
  },
  'auth.logout': (_i, { till }) => {
    cartOwner.logout(till); // a cart with items is held under its owner, never passed on
    return { ok: true as const };
  },
  'auth.session': (_i, { till }) => till.auth.session,
  'auth.approve': (input, { till }) => till.auth.approve(input),
};
