// Public shapes of the PC/SC member-card reader and the messages its worker process sends.
import type { DeviceEvents } from '../serial/types.js';

export interface CardEvent {
  /** Card UID from FF CA 00 00 00, hex uppercase, e.g. "04A1B2C3D4E5F6". */
  uid: string;
  /** PC/SC reader name, e.g. "ACS ACR122U PICC Interface 00 00". */
  reader: string;
  /** Answer-to-reset, hex uppercase. */
  atr: string;
}

export interface CardErrorEvent {
  reader: string;
  atr: string;
  /** Status word when the card answered with one, e.g. "6A81"; null for transport errors. */
  sw: string | null;
  /** For the cashier. */
  message: string;
}

export type CardReaderEvents = DeviceEvents & {
  card: [CardEvent];
  cardRemoved: [{ reader: string }];
  /** Full list of reader names after any change. */
  readers: [string[]];
  /**
   * A card was inserted but its UID could not be read. Deliberately not called 'error': an 'error'
   * event without a listener would throw and take the main process down over one odd card.
   */
  cardError: [CardErrorEvent];
};

/** Child → parent messages (see pcsc-worker.cjs). */
export type WorkerMessage =
  | { t: 'hb' }
  | { t: 'up' }
  | { t: 'noService' }
  | { t: 'readers'; names: string[] }
  | { t: 'inserted'; reader: string; atr: string; response?: string; error?: string }
  | { t: 'removed'; reader: string }
  | { t: 'pcscError'; message: string }
  | { t: 'loadError'; message: string };
