// Push events from the main side to the UI, same names on both transports.
import type { SessionInfo } from './auth';
import type { StatusInfo } from './app';
import type { CartView } from './cart';
import type { CustomerDisplayState, DeviceStatusView, PrintJobStatus, ScaleReading } from './devices';
import type { PaymentAttemptView } from './payments';
import type { JobView } from './reports';
import type { RedemptionView } from './vouchers';

export interface TillEvents {
  /** The session changed (login, logout, lock). */
  session: SessionInfo | null;
  /** A status light changed (printer, sync, shift). */
  status: StatusInfo;
  /** A barcode from a serial scanner. */
  scan: { code: string; source: 'serial' };
  /** A member card was tapped / removed. */
  card: { uid: string | null; reader: string };
  /** The active cart changed (the customer display feed follows it; main side only, see MAIN_ONLY_EVENTS). */
  cart: CartView;
  /** A sale or return was completed (the customer display shows change / thanks). */
  sale: { receiptNo: string; totalFen: number; paidFen: number; changeFen: number; kind: 'sale' | 'return' };
  /** The printer needs attention or is back. */
  printer: { role: string; state: string; message: string };
  /** A device's live status changed (settings screen lights). */
  device: DeviceStatusView;
  /** A print job changed state (queue tab, waiting reasons). */
  printJob: { id: string; status: PrintJobStatus; kind: string; role: string; waitReason: string | null; isCopy: boolean };
  /** A serial scale's weight changed (grams; stable once settled). */
  weight: ScaleReading;
  /** What the customer display (second screen) shows now. */
  customerDisplay: CustomerDisplayState;
  /** A report or export job started, moved on, or ended (reports screen progress bars). */
  job: JobView;
  /**
   * An electronic payment changed state (payment screen, voice line on SUCCESS, customer display: a
   * shown QR's codeUrl while it waits, 请在手机上输入密码 while a code payment waits for the password).
   */
  payment: PaymentAttemptView;
  /** A voucher redemption changed state (已核销 / 结果未知，正在重试 / 已撤销): the voucher screens follow it. */
  voucher: RedemptionView;
}
export type TillEventName = keyof TillEvents;

/**
 * Events for listeners in the main process only (the customer display feed), never sent to windows:
 * a whole CartView on every change is ≈ 86 KB at 150 lines, which the transports would serialise and
 * every window parse on each scan. The screen that changed the cart gets the change in its reply
 * (shared/cart-patch.ts); the customer display gets its own 'customerDisplay' state.
 */
export const MAIN_ONLY_EVENTS: ReadonlySet<TillEventName> = new Set<TillEventName>(['cart']);

/**
 * The customer display's state: sent only to paired customer displays (the browser host's display-token
 * stream, Electron's display window), never to the cashier's windows, which do not show it.
 */
export const DISPLAY_EVENT = 'customerDisplay' satisfies TillEventName;
