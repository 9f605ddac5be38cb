// The receipt printer device interface. Drivers: network (TCP 9100), USB (device file),
// serial (serialport), virtual (files). See DESIGN.md §3.

export type PrinterState = 'ok' | 'paper_near_end' | 'paper_out' | 'cover_open' | 'offline' | 'error';

export interface PrinterStatus {
  state: PrinterState;
  /** Chinese, for the cashier: 正常 / 纸将尽 / 缺纸 / 上盖打开 / 离线 / 打印机故障. */
  message: string;
  /** Drawer sensor (DLE EOT 1 bit 2), when the printer reports it. */
  drawerOpen?: boolean;
}

export const STATUS_MESSAGES: Record<PrinterState, string> = {
  ok: '正常',
  paper_near_end: '纸将尽',
  paper_out: '缺纸',
  cover_open: '上盖打开',
  offline: '离线',
  error: '打印机故障',
};

/** Whether a job may be sent in this state (near end still prints). */
export const canPrint = (s: PrinterStatus): boolean => s.state === 'ok' || s.state === 'paper_near_end';

/**
 * Whether a real-time drawer pulse (DLE DC4 1) still works in this state: a printer stopped by
 * paper end or an open cover executes it; an offline (unreachable) or failed printer does not.
 */
export const canPulseDrawer = (s: PrinterStatus): boolean => s.state === 'paper_out' || s.state === 'cover_open';

/**
 * How far a failed print got: 'none' = the printer certainly got nothing (connect refused,
 * device missing) so the job may be sent again; 'unknown' = bytes may have reached the printer.
 */
export class PrintError extends Error {
  constructor(
    message: string,
    readonly delivered: 'none' | 'unknown',
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'PrintError';
  }
}

export interface ReceiptPrinter {
  /** A short name for logs and the settings screen. */
  readonly name: string;
  status(): Promise<PrinterStatus>;
  print(bytes: Buffer): Promise<void>;
  close?(): Promise<void>;
}

/** The three real-time status queries: printer (1), offline cause (2), roll paper sensor (4). */
export const STATUS_QUERY = Buffer.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);

/**
 * Reads the answers to STATUS_QUERY (one byte each, in order). Every byte must have bits 1 and 4
 * set and bits 0 and 7 clear ((b & 0x93) == 0x12), otherwise it is not a status byte.
 */
export function parseStatusBytes(bytes: ArrayLike<number>, invertDrawer = false): PrinterStatus {
  if (bytes.length < 3) return status('error', '打印机状态应答不完整');
  const [p1, p2, p4] = [bytes[0], bytes[1], bytes[2]];
  for (const b of [p1, p2, p4]) if ((b & 0x93) !== 0x12) return status('error', '打印机状态应答无效');
  const drawerBit = (p1 & 0x04) !== 0;
  const drawerOpen = invertDrawer ? !drawerBit : drawerBit;
  let s: PrinterStatus;
  if (p2 & 0x04) s = status('cover_open');
  else if (p4 & 0x60 || p2 & 0x20) s = status('paper_out');
  else if (p2 & 0x40) s = status('error');
  else if (p1 & 0x08) s = status('offline');
  else if (p4 & 0x0c) s = status('paper_near_end');
  else s = status('ok');
  return { ...s, drawerOpen };
}

export function status(state: PrinterState, message = STATUS_MESSAGES[state]): PrinterStatus {
  return { state, message };
}
