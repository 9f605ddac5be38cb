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
/**
 * A status light: its colour, a Chinese message, and a code the screen translates (English mode):
 * a device state (ok, paper_out, offline, …) or virtual, no_printer, checking, no_devices,
 * not_connected; `waiting` receipts not yet printed.
 */
export interface StatusLight {
  state: 'ok' | 'warn' | 'error' | 'none';
  message: string;
  code?: string;
  waiting?: number;
}
export interface StatusInfo {
  printer: StatusLight;
  sync: StatusLight;
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
