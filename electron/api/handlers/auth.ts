import type { Impls } from '../registry';

export const authHandlers: Impls = {
  'auth.users': (_i, till) => till.auth.users(),
  'auth.login': ({ userId, pin }, till) => till.auth.login(userId, pin),
  'auth.logout': (_i, till) => {
    till.auth.logout();
    return { ok: true as const };
  },
  'auth.session': (_i, till) => till.auth.session,
  'auth.approve': ({ pin, action }, till) => till.auth.approve(pin, action),
};
