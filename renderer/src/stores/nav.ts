import { create } from 'zustand';
import { ROLE_RANK, type Role } from '../../../shared/api';

export const SCREENS = ['checkout', 'pickup', 'orders', 'members', 'inventory', 'reports', 'journal', 'reconcile', 'dashboard', 'sync', 'shift', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

/**
 * The least role that uses a screen (cashier when not listed). The main side refuses the calls
 * anyway; the nav leaves out what a role cannot use, so a cashier never meets a screen only a
 * manager could work. Staff (店员) see the pickup/voucher screen only.
 */
export const SCREEN_ROLE: Partial<Record<Screen, Role>> = { pickup: 'staff', inventory: 'manager', reports: 'manager', journal: 'manager', reconcile: 'manager', dashboard: 'owner', sync: 'manager' };

export const screensFor = (role: Role | undefined): Screen[] =>
  SCREENS.filter((s) => ROLE_RANK[role ?? 'cashier'] >= ROLE_RANK[SCREEN_ROLE[s] ?? 'cashier']);

export const useNav = create<{ screen: Screen; go(s: Screen): void }>((set) => ({
  screen: 'checkout',
  go: (screen) => set({ screen }),
}));
