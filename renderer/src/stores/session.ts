// Session and status slice: who is logged in, app info and the status lights.
import { create } from 'zustand';
import type { AppInfo, SessionInfo, StatusInfo } from '../../../shared/api';
import { call, on } from '../api/client';

interface SessionState {
  info: AppInfo | null;
  session: SessionInfo | null;
  status: StatusInfo | null;
  loaded: boolean;
  load(): Promise<void>;
  refreshStatus(): Promise<void>;
  setSession(s: SessionInfo | null): void;
  logout(): Promise<void>;
}

export const useSession = create<SessionState>((set, get) => ({
  info: null,
  session: null,
  status: null,
  loaded: false,
  async load() {
    const [info, session] = await Promise.all([call('app.info', {}), call('auth.session', {})]);
    set({ info, session, loaded: true });
    if (session) await get().refreshStatus();
  },
  async refreshStatus() {
    if (!get().session) return;
    set({ status: await call('app.status', {}) });
  },
  setSession(session) {
    set({ session });
    if (session) void get().refreshStatus();
    else set({ status: null });
  },
  async logout() {
    await call('auth.logout', {});
    get().setSession(null);
  },
}));

on('session', (s) => useSession.getState().setSession(s));
on('status', (status) => useSession.setState({ status }));
