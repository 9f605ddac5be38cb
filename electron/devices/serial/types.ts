// Shared shapes for every till device (serial devices and the PC/SC card reader).
// Each device is a typed EventEmitter with open()/close()/status() and a 'status' event,
// so the main process can show one "devices" panel without knowing the hardware.
import type { EventEmitter } from 'node:events';
import type { SerialPort, SerialPortMock } from 'serialport';

/** ok: working · offline: not connected (yet), will retry · error: connected but misbehaving · missing: device/service not present. */
export type DeviceState = 'ok' | 'offline' | 'error' | 'missing';

export interface DeviceStatus {
  state: DeviceState;
  /** Shown to the cashier as is, so it is Chinese. */
  message: string;
}

/** Events every device emits. Device-specific maps extend this. */
export type DeviceEvents = {
  status: [DeviceStatus];
};

/** The contract every device class follows. */
export interface Device<E extends Record<keyof E, unknown[]> & DeviceEvents = DeviceEvents> extends EventEmitter<E> {
  /** Start using the device. Never rejects because hardware is absent: the status says so and the device retries. */
  open(): Promise<void>;
  /** Stop using the device and all retries/timers. Safe to call twice. */
  close(): Promise<void>;
  status(): DeviceStatus;
}

// ---------------------------------------------------------------- serial ports

/** Real ports and SerialPortMock share the SerialPortStream API we use. */
export type SerialPortLike = SerialPort | SerialPortMock;

export interface PortOpenOptions {
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  stopBits: 1 | 1.5 | 2;
  parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
}

/** Creates a closed port (autoOpen false). Tests pass one that returns SerialPortMock. */
export type PortFactory = (options: PortOpenOptions) => SerialPortLike;

export interface SerialDeviceOptions {
  /** e.g. COM3 or /dev/ttyUSB0. */
  path: string;
  baudRate?: number;
  dataBits?: PortOpenOptions['dataBits'];
  stopBits?: PortOpenOptions['stopBits'];
  parity?: PortOpenOptions['parity'];
  /** How often to retry after the port vanished or could not be opened. Default 2000 ms. */
  reconnectMs?: number;
  /** Defaults to the real serialport binding. */
  portFactory?: PortFactory;
  /** Name used in cashier messages, e.g. "扫码枪". */
  label?: string;
}

// ---------------------------------------------------------------- scanner

export type ScannerEvents = DeviceEvents & {
  scan: [string];
};

// ---------------------------------------------------------------- scale

export interface WeightEvent {
  /** Weight to charge in integer grams: gross minus any tare (scale-side or software). */
  grams: number;
  /** Gross in grams, as best known (scale net + tare when the scale tares itself). */
  grossGrams: number;
  /** Settled: scale says stable and the last N frames agree. */
  stable: boolean;
  /** Tare in grams currently applied (0 if none). */
  tareGrams: number;
  /** True when `grams` is a net weight (a tare is in effect). */
  net: boolean;
  /** Over capacity / under zero: grams is meaningless then. */
  overload: boolean;
}

export type ScaleEvents = DeviceEvents & {
  /** Emitted when grams/stable/tare/overload change (not for every identical frame). */
  weight: [WeightEvent];
  /** Once per settled weight. */
  stable: [WeightEvent];
};

// ---------------------------------------------------------------- customer display / drawer

export type DisplayEvents = DeviceEvents;
export type DrawerBoxEvents = DeviceEvents;
