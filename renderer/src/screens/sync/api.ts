// The sync screens' calls and types, in one place: the status bar light, the sync screen, the SKU
// mapping review and the platform settings tab reach the main side through these (shared/api/sync.ts).
import type { SyncPlatform, SyncPlatformStatus } from '../../../../shared/api/sync';
import { call } from '../../api/client';

export type Platform = SyncPlatform;
export type PlatformStatus = SyncPlatformStatus;
export type {
  SyncActivityItem as ActivityRow,
  SyncDeadLetter as DeadLetter,
  SyncMappingRow,
  SyncPlatformItem,
  SyncReconcileReport,
  SyncStatusView,
} from '../../../../shared/api/sync';
export { CONFIGURABLE_PLATFORMS, type ConfigurablePlatform } from '../../../../shared/api/sync';

export const syncApi = {
  status: () => call('sync.status', {}),
  activity: (cursor?: string) => call('sync.activity', { limit: 200, cursor }),
  deadLetters: () => call('sync.deadLetters', {}),
  retry: (id: string) => call('sync.retry', { id }),
  dismiss: (id: string) => call('sync.dismiss', { id }),
  now: () => call('sync.now', {}),
  reconcile: () => call('sync.reconcile', {}),
};
