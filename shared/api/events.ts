// Push events from the main side to the UI, same names on both transports.
import type { SessionInfo } from './auth';
import type { StatusInfo } from './app';

export interface TillEvents {
  /** The session changed (login, logout, lock). */
  session: SessionInfo | null;
  /** A status light changed (printer, sync, shift). */
  status: StatusInfo;
  /** A barcode from a serial scanner. */
  scan: { code: string; source: 'serial' };
  /** A member card was tapped / removed. */
  card: { uid: string | null; reader: string };
  /** The printer needs attention or is back. */
  printer: { role: string; state: string; message: string };
}
export type TillEventName = keyof TillEvents;
