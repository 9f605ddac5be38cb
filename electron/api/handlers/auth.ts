import type { authApi } from '../../../shared/api/auth';
import type { Handlers } from '../registry';

export const authHandlers: Handlers<typeof authApi> = {
  'auth.users': (_i, { till }) => till.auth.users(),
  'auth.login': ({ userId, pin }, { till }) => till.auth.login(userId, pin),
  'auth.logout': (_i, { till }) => {
    till.auth.logout();
    return { ok: true as const };
  },
  'auth.session': (_i, { till }) => till.auth.session,
  'auth.approve': (input, { till }) => till.auth.approve(input),
};
