import { create } from 'zustand';

export const SCREENS = ['checkout', 'pickup', 'members', 'inventory', 'reports', 'shift', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export const useNav = create<{ screen: Screen; go(s: Screen): void }>((set) => ({
  screen: 'checkout',
  go: (screen) => set({ screen }),
}));
