// Devices, printing and the drawer: device configuration (printers, drawer box, customer display,
// scale, scanner, card reader), their live status, the print queue's decisions, receipt template
// settings with a picture preview, the virtual printer's saved receipts and the no-sale drawer.
import { z } from 'zod';
import { approvalToken } from './cart';
import { endpoint } from './endpoint';

// ------------------------------------------------------------------------------------------------
// Configuration (stored in the settings table, key 'devices.list'; validated on read and write)

export const DEVICE_KINDS = ['printer', 'drawer_box', 'customer_display', 'scale', 'scanner', 'card_reader'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const PRINTER_ROLES = ['receipt', 'label', 'kitchen'] as const;
export type PrinterRole = (typeof PRINTER_ROLES)[number];

const deviceId = z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, '设备编号只能用字母、数字、- 和 _');
const deviceName = z.string().trim().min(1, '请填写设备名称').max(30, '设备名称最多 30 个字');
/** A serial port: COM3, /dev/ttyUSB0, /dev/serial/by-id/… */
const portPath = z.string().trim().min(1, '请填写端口').max(200);
const baud = z.union([z.literal(1200), z.literal(2400), z.literal(4800), z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)], {
  message: '波特率无效',
});
const host = z
  .string()
  .trim()
  .min(1, '请填写打印机 IP')
  .max(253)
  .regex(/^[a-zA-Z0-9.:-]+$/, '打印机地址格式不对');

export const printerDriverSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('network'), host, port: z.number().int().min(1).max(65535).default(9100) }).strict(),
    z.object({ type: z.literal('usb'), path: portPath }).strict(),
    z.object({ type: z.literal('serial'), path: portPath, baud: baud.default(9600) }).strict(),
    z.object({ type: z.literal('virtual') }).strict(),
  ],
  { message: '打印机连接方式无效' },
);
export type PrinterDriver = z.output<typeof printerDriverSchema>;

const serial = <P extends z.ZodType>(protocol: P) =>
  z.object({ type: z.literal('serial'), path: portPath, baud: baud.default(9600), protocol }).strict();

const common = { id: deviceId, name: deviceName, enabled: z.boolean().default(true) };

export const deviceConfigSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        ...common,
        kind: z.literal('printer'),
        driver: printerDriverSchema,
        /** Which print jobs go to this printer (routing by job kind). */
        roles: z.array(z.enum(PRINTER_ROLES)).min(1, '至少选择一种用途').max(3),
        paper: z.union([z.literal(58), z.literal(80)]).default(80),
        /** The cash drawer on this printer's RJ11 port (ESC p pin 2 or 5); null = no drawer here. */
        drawerPin: z.union([z.literal(2), z.literal(5), z.null()]).default(null),
      })
      .strict(),
    z.object({ ...common, kind: z.literal('drawer_box'), driver: serial(z.literal('trigger').default('trigger')) }).strict(),
    z.object({ ...common, kind: z.literal('customer_display'), driver: serial(z.enum(['cd5220', 'price8'])) }).strict(),
    z.object({ ...common, kind: z.literal('scale'), driver: serial(z.enum(['auto', 'text', 'toledo']).default('auto')) }).strict(),
    z.object({ ...common, kind: z.literal('scanner'), driver: serial(z.literal('cr').default('cr')) }).strict(),
    z
      .object({
        ...common,
        kind: z.literal('card_reader'),
        driver: z.object({ type: z.literal('pcsc'), readerFilter: z.string().max(60).optional() }).strict(),
      })
      .strict(),
  ],
  { message: '设备类型无效' },
);
export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;

export const deviceListSchema = z
  .array(deviceConfigSchema)
  .max(20, '设备最多 20 台')
  .refine((l) => new Set(l.map((d) => d.id)).size === l.length, { message: '设备编号重复' })
  .refine((l) => l.filter((d) => d.kind === 'card_reader' && d.enabled).length <= 1, { message: '只能启用一个读卡器' })
  .refine((l) => l.filter((d) => d.kind === 'customer_display' && d.enabled).length <= 1, { message: '只能启用一个客显' });

// ------------------------------------------------------------------------------------------------
// Live status

/**
 * A device's state for the settings screen and the status bar. `code` is stable (the UI translates
 * it); `message` is the Chinese words from the device (正常 / 缺纸 / 纸将尽 / 上盖打开 / 离线 …).
 */
/** A scale reading as the UI sees it (same shape as the 'weight' event). */
export interface ScaleReading {
  grams: number;
  stable: boolean;
  tareGrams: number;
  net: boolean;
  overload: boolean;
}

export interface DeviceStatusView {
  id: string;
  kind: DeviceKind;
  light: 'ok' | 'warn' | 'error' | 'off';
  /** Printers: ok | paper_near_end | paper_out | cover_open | offline | error; others: ok | offline | error | missing; disabled; unknown (not yet asked). */
  code: string;
  message: string;
  /** Drawer sensor, when the printer reports it. */
  drawerOpen?: boolean;
  /** Pending print jobs routed to this printer. */
  waitingJobs?: number;
  at: number;
}

export interface DeviceView {
  config: DeviceConfig;
  status: DeviceStatusView;
}

export interface DevicesList {
  devices: DeviceView[];
  /** Where the virtual printer keeps its receipts. */
  virtualDir: string;
  /** Roles that have jobs but no enabled printer. */
  unroutedRoles: string[];
  /** Optional driver modules: whether each is installed, and if not, the exact fix. */
  drivers: DriversInfo;
}

export interface DriversInfo {
  /** @pokusew/pcsclite, an optional dependency (it needs the PC/SC headers to build). */
  cardReader: { installed: boolean; message: string };
}

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

// ------------------------------------------------------------------------------------------------
// Print queue

export type PrintJobStatus = 'pending' | 'printing' | 'printed' | 'failed' | 'cancelled';
export interface PrintJobView {
  id: string;
  kind: string;
  role: string;
  status: PrintJobStatus;
  waitReason: string | null;
  isCopy: boolean;
  attempts: number;
  createdAt: number;
  printedAt: number | null;
  refId: string | null;
  /** e.g. the receipt number, for a person to find the paper. */
  title: string;
  /** A person must decide (interrupted print). */
  needsDecision: boolean;
}

// ------------------------------------------------------------------------------------------------
// Receipt template

export const receiptShowSchema = z
  .object({ member: z.boolean(), points: z.boolean(), cashier: z.boolean(), qr: z.boolean(), barcode: z.boolean() })
  .strict();

export const receiptSettingsSchema = z
  .object({
    shopName: z.string().trim().min(1, '请填写店名').max(40, '店名最多 40 个字'),
    address: z.string().trim().max(80, '地址最多 80 个字').default(''),
    phone: z.string().trim().max(30, '电话最多 30 个字').default(''),
    header: z.string().trim().max(120, '页眉最多 120 个字').default(''),
    footer: z.string().trim().max(120, '页脚最多 120 个字').default(''),
    show: receiptShowSchema,
  })
  .strict();

export interface ReceiptSettingsView extends z.output<typeof receiptSettingsSchema> {
  /** The logo as a PNG data URL, or null. */
  logo: string | null;
  /** Paper of the receipt printer (set on the printer: the roll is a property of the printer). */
  paper: 58 | 80;
}

/** A logo upload: a PNG as a data URL (≤ 150 KB). */
const logoInput = z
  .string()
  .max(200_000, '标志图片过大（最大 150 KB）')
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, '标志须为 PNG 图片');

export interface PreviewImage {
  png: string;
  paper: 58 | 80;
}

export interface VirtualReceipt {
  id: string;
  at: number;
  text: string;
  png: string | null;
}

// ------------------------------------------------------------------------------------------------
// Customer display (second screen)

export interface CustomerDisplayLine {
  id: string;
  name: string;
  qtyText: string;
  unitPriceFen: number;
  amountFen: number;
  discountFen: number;
}
/**
 * A payment QR (主扫) on the customer display: shown full-screen, large, with the amount and which app
 * to scan with (renderer/src/payments/PaymentQr.tsx). provider / amountFen / expiresAt are optional so a
 * plain { url, label } still shows; without amountFen the display shows the amount due.
 */
export interface CustomerDisplayQr {
  url: string;
  label: string;
  provider?: 'wechat' | 'alipay';
  /** The QR's own amount (a split payment's part); the amount due when left out. */
  amountFen?: number;
  /** Unix ms after which the QR is closed: the display counts down to it. */
  expiresAt?: number;
}
export interface CustomerDisplayState {
  phase: 'idle' | 'cart' | 'paying' | 'done';
  shopName: string;
  lines: CustomerDisplayLine[];
  focusLineId: string | null;
  itemCount: number;
  originalFen: number;
  discountFen: number;
  totalFen: number;
  member: { name: string; level: string; points: number } | null;
  /** During payment: the amount still to pay and, for the payments issue, a QR to show. */
  paying: {
    dueFen: number;
    qr: CustomerDisplayQr | null;
    /** A scanned payment code waits for the customer's password (USERPAYING): the display asks for it. */
    codeWait?: { provider: 'wechat' | 'alipay'; amountFen: number } | null;
  } | null;
  done: { receiptNo: string; totalFen: number; paidFen: number; changeFen: number; kind: 'sale' | 'return' } | null;
  at: number;
}

const jobId = z.string().min(1).max(64);

export const devicesApi = {
  'devices.list': endpoint<DevicesList>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '设备列表与实时状态',
  }),
  'devices.save': endpoint<DevicesList>()({
    input: z.object({ device: deviceConfigSchema }).strict(),
    role: 'manager',
    summary: '新增或修改设备（记入审计）',
  }),
  'devices.remove': endpoint<DevicesList>()({
    input: z.object({ id: deviceId }).strict(),
    role: 'manager',
    summary: '删除设备（记入审计）',
  }),
  'devices.test': endpoint<{ ok: true; message: string }>()({
    input: z
      .object({ id: deviceId, action: z.enum(['print', 'drawer', 'display', 'scale']).optional() })
      .strict(),
    role: 'manager',
    summary: '测试设备：打印测试页（中文与二维码）、开钱箱、客显文字、读秤',
  }),
  'scale.weight': endpoint<ScaleReading | null>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '电子秤当前读数（称重商品加购时用）；未接秤时为 null',
  }),
  'scale.tare': endpoint<ScaleReading | null>()({
    input: z.object({ clear: z.boolean().default(false) }).strict(),
    role: 'cashier',
    summary: '电子秤去皮（clear: 清除皮重）',
  }),
  'devices.serialPorts': endpoint<{ ports: SerialPortInfo[]; note: string | null }>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '查找串口',
  }),
  'devices.displayState': endpoint<CustomerDisplayState>()({
    input: z.object({}).strict(),
    role: 'public',
    summary: '顾客屏（第二屏）当前内容',
  }),
  'print.jobs': endpoint<PrintJobView[]>()({
    input: z
      .object({ limit: z.number().int().min(1).max(200).default(50), attentionOnly: z.boolean().default(false) })
      .strict(),
    role: 'cashier',
    summary: '最近的打印任务（等待原因、重印标记）',
  }),
  'print.preview': endpoint<PreviewImage>()({
    input: z
      .object({
        /** A queued job; omit for a sample sale receipt. */
        jobId: jobId.optional(),
        /** Unsaved template settings, for the live preview while editing. */
        draft: receiptSettingsSchema.extend({ logo: z.union([logoInput, z.null()]).optional() }).optional(),
        paper: z.union([z.literal(58), z.literal(80)]).optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '小票预览图（打印任务或样例小票）',
  }),
  'print.confirmNotPrinted': endpoint<PrintJobView>()({
    input: z.object({ jobId }).strict(),
    role: 'cashier',
    summary: '确认中断的小票没有打出：按原单重新打印',
  }),
  'print.reprintJob': endpoint<PrintJobView>()({
    input: z.object({ jobId }).strict(),
    role: 'cashier',
    summary: '重印（新任务，标记“重印”）',
  }),
  'print.cancel': endpoint<PrintJobView>()({
    input: z.object({ jobId }).strict(),
    role: 'cashier',
    summary: '取消等待中或中断的打印任务',
  }),
  'print.virtualJobs': endpoint<VirtualReceipt[]>()({
    input: z.object({ limit: z.number().int().min(1).max(50).default(12) }).strict(),
    role: 'cashier',
    summary: '虚拟打印机保存的小票（文字与图片）',
  }),
  'receipt.settings': endpoint<ReceiptSettingsView>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '小票模板设置',
  }),
  'receipt.saveSettings': endpoint<ReceiptSettingsView>()({
    input: receiptSettingsSchema.extend({ logo: z.union([logoInput, z.null()]).optional() }).strict(),
    role: 'manager',
    summary: '保存小票模板（店名、标志、地址、电话、页眉页脚、显示项目；记入审计）',
  }),
  'drawer.open': endpoint<{ ok: true; via: string }>()({
    input: z
      .object({ approval: approvalToken, reason: z.string().trim().max(40).optional() })
      .strict(),
    role: 'cashier',
    summary: '开钱箱（非销售开箱需店长授权，记入审计）',
  }),
};
