// 网店同步 endpoints (shared/api/sync.ts): thin wrappers over electron/sync/service.ts.
// Roles are checked by the registry in the main process before any of these runs.
import type { syncApi } from '../../../shared/api/sync';
import { listActivity } from '../../sync/activity';
import type { Handlers } from '../registry';
import { requireSync } from '../services';

export const syncHandlers: Handlers<typeof syncApi> = {
  'sync.status': (_i, s) => requireSync(s).status(),
  'sync.activity': (input, s) => listActivity(requireSync(s).till.db, input),
  'sync.deadLetters': (input, s) => requireSync(s).deadLetters(input.platform),
  'sync.retry': (input, s) => requireSync(s).resolveDeadLetter(input.id, 'retry'),
  'sync.dismiss': (input, s) => requireSync(s).resolveDeadLetter(input.id, 'dismiss'),
  'sync.now': (_i, s) => requireSync(s).syncNow(),
  'sync.reconcile': (input, s) => requireSync(s).reconcile(input.platform, s.till.auth.requireSession().userId),
  'sync.settings': (_i, s) => requireSync(s).settings(),
  'sync.saveSettings': (input, s) => requireSync(s).saveSettings(input),
  'sync.testConnection': (input, s) => requireSync(s).testConnection(input.platform),
  'sync.mapping.list': (input, s) => requireSync(s).mappingList(input),
  'sync.mapping.platformItems': (input, s) => requireSync(s).platformItems(input),
  'sync.mapping.autoMatch': (input, s) => requireSync(s).autoMatch(input.platform),
  'sync.mapping.link': (input, s) => requireSync(s).link(input),
  'sync.mapping.unlink': (input, s) => requireSync(s).unlink(input),
};
