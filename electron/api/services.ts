// The service context: what a handler may use, built once at boot (electron/host/boot.ts) and handed
// to every handler as its second argument. New capabilities (payments, sync) join it as members.
import { TillError } from '../../shared/errors';
import type { DeviceManager } from '../devices/manager';
import type { PaymentService } from '../payments/service';
import type { SyncService } from '../sync/service';
import type { ReportJobs } from '../till/reports/jobs';
import type { Till } from '../till/till';
import type { VoucherService } from '../vouchers/service';

export interface Services {
  readonly till: Till;
  /** Null where devices were not started (integration tests on a bare till). */
  readonly devices: DeviceManager | null;
  /** The reports worker (reports, dashboard, exports, journal); absent on a bare till in tests. */
  readonly reports?: ReportJobs | null;
  /** Electronic payments (WeChat Pay, Alipay): attempts, recovery, reconciliation; absent on a bare till in tests. */
  readonly payments?: PaymentService | null;
  /** Group-buy voucher redemption (Douyin 来客, Meituan/Dianping); absent where not started. */
  readonly vouchers?: VoucherService | null;
  /** Background sync with the online shops (the worker thread runs while a platform is enabled); absent on a bare till in tests. */
  readonly sync?: SyncService | null;
}

/** The device manager, or the Chinese NO_DEVICES refusal when devices are not running. */
export function requireDevices(s: Services): DeviceManager {
  if (!s.devices) throw new TillError('NO_DEVICES', '设备管理未启动');
  return s.devices;
}

/** The reports worker, or REPORTS_OFF when it was not started. */
export function requireReports(s: Services): ReportJobs {
  if (!s.reports) throw new TillError('REPORTS_OFF', '报表服务未启动');
  return s.reports;
}

/** The payments service, or PAYMENTS_OFF when it was not started. */
export function requirePayments(s: Services): PaymentService {
  if (!s.payments) throw new TillError('PAYMENTS_OFF', '电子支付未启动');
  return s.payments;
}

/** The voucher service, or VOUCHERS_OFF when it was not started. */
export function requireVouchers(s: Services): VoucherService {
  if (!s.vouchers) throw new TillError('VOUCHERS_OFF', '团购券核销未启动');
  return s.vouchers;
}

/** The sync service, or SYNC_OFF when it was not started. */
export function requireSync(s: Services): SyncService {
  if (!s.sync) throw new TillError('SYNC_OFF', '同步服务未启动');
  return s.sync;
}
