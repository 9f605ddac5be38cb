// 网店同步 endpoints (shared/api/sync.ts): thin wrappers over electron/sync/service.ts.
// Roles are checked by the registry in the main process before any of these runs.
import type { syncApi } from '../../../shared/api/sync';
import { TillError } from '../../../shared/errors';
import type { Handlers } from '../registry';

const notYet = (): never => {
  throw new TillError('SYNC_OFF', '同步服务未启动');
};

export const syncHandlers: Handlers<typeof syncApi> = {
  'sync.status': notYet,
  'sync.activity': notYet,
  'sync.deadLetters': notYet,
  'sync.retry': notYet,
  'sync.dismiss': notYet,
  'sync.now': notYet,
  'sync.reconcile': notYet,
  'sync.settings': notYet,
  'sync.saveSettings': notYet,
  'sync.testConnection': notYet,
  'sync.mapping.list': notYet,
  'sync.mapping.platformItems': notYet,
  'sync.mapping.autoMatch': notYet,
  'sync.mapping.link': notYet,
  'sync.mapping.unlink': notYet,
};
