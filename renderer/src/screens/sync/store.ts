// The last sync status read, shared by the status bar's light and the sync screen: whichever reads
// it (the light's slow poll, the screen's refresh, 立即同步) updates both, so the light never lags
// behind what the screen shows.
import { create } from 'zustand';
import type { SyncStatusView } from './api';

export const useSyncStatus = create<{ status: SyncStatusView | null; failed: boolean; at: number; set(s: SyncStatusView | null, failed?: boolean): void }>((set) => ({
  status: null,
  failed: false,
  at: 0,
  set: (status, failed = false) => set((cur) => ({ status: status ?? cur.status, failed, at: Date.now() })),
}));
