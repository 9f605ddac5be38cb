import { z } from 'zod';
import type { DriversInfo } from './devices';
import { endpoint } from './endpoint';

export interface AppInfo {
  version: string;
  shopName: string;
  tillId: string;
  dataDir: string;
  transport: 'electron' | 'browser';
  businessDay: string;
}
export interface StatusInfo {
  printer: { state: 'ok' | 'warn' | 'error' | 'none'; message: string };
  sync: { state: 'ok' | 'warn' | 'error' | 'none'; message: string };
  shift: { open: boolean; openedAt: number | null; userName: string | null };
  /** Optional driver modules (the card reader's may be missing on a machine without PC/SC headers). */
  drivers: DriversInfo;
}

export const appApi = {
  'app.info': endpoint<AppInfo>()({
    input: z.object({}).strict(),
    role: 'public',
    summary: '店名、收银台号、版本、营业日',
  }),
  'app.status': endpoint<StatusInfo>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '状态栏：打印机、同步、班次',
  }),
};
