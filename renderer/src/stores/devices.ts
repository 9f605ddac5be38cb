// Devices slice for the settings screen: the device list with live status (pushed 'device' events
// update it in place) and the print queue's recent jobs (refetched when a 'printJob' event comes).
import { create } from 'zustand';
import type { DeviceStatusView, DevicesList, PrintJobView } from '../../../shared/api';
import { call, on } from '../api/client';

interface DevicesState {
  list: DevicesList | null;
  jobs: PrintJobView[];
  error: string;
  /** Bumped on every printJob event (the virtual printer tab reloads on it). */
  jobTick: number;
  load(): Promise<void>;
  loadJobs(): Promise<void>;
  setList(list: DevicesList): void;
}

let jobsTimer: number | null = null;

export const useDevices = create<DevicesState>((set, get) => ({
  list: null,
  jobs: [],
  error: '',
  jobTick: 0,
  async load() {
    try {
      set({ list: await call('devices.list', {}), error: '' });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  async loadJobs() {
    try {
      set({ jobs: await call('print.jobs', { limit: 50 }) });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  setList(list) {
    set({ list });
  },
}));

function applyStatus(s: DeviceStatusView): void {
  const list = useDevices.getState().list;
  if (!list) return;
  if (!list.devices.some((d) => d.config.id === s.id)) return;
  useDevices.setState({ list: { ...list, devices: list.devices.map((d) => (d.config.id === s.id ? { ...d, status: s } : d)) } });
}

on('device', applyStatus);
on('printJob', () => {
  useDevices.setState((st) => ({ jobTick: st.jobTick + 1 }));
  // Several job events come together (claimed, printed): refetch once.
  if (jobsTimer !== null) return;
  jobsTimer = window.setTimeout(() => {
    jobsTimer = null;
    void useDevices.getState().loadJobs();
  }, 150);
});
