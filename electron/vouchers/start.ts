// Builds the voucher service at boot with the platforms configured, and settles what the last run left
// open (retried with the same call) before new redemptions are taken.
//
// Configuration: 设置 → 团购券 (electron/vouchers/settings.ts, secrets sealed). Saving rebuilds the
// connectors (reloadVoucherConnectors) without restarting the service, so redemptions in flight keep going.
// TILL_VOUCHERS_JSON is an override for the e2e runs and the simulators only (a platform named there
// wins over the saved one):
//   {"douyin":{"clientKey","clientSecret","poiId","baseUrl?","shortLinkBase?"},
//    "meituan":{"appKey","appSecret","session","openShopUuid","baseUrl?"}, "timeoutMs?": 8000}
import type { VoucherPlatformName } from '../../shared/api/vouchers';
import { log } from '../api/log';
import type { Till } from '../till/till';
import type { VoucherConnector } from './connector';
import { createDouyinConnector } from './douyin/wire';
import { createMeituanConnector } from './meituan/wire';
import { VoucherService, type VoucherServiceOptions } from './service';
import { voucherConfigOf, type VoucherConfig } from './settings';

function envOverride(): VoucherConfig {
  const raw = process.env.TILL_VOUCHERS_JSON;
  if (!raw) return {};
  try {
    return JSON.parse(raw) as VoucherConfig;
  } catch {
    log.error('TILL_VOUCHERS_JSON is not JSON: ignored');
    return {};
  }
}

function savedConfig(till: Till): VoucherConfig {
  try {
    return voucherConfigOf(till);
  } catch (e) {
    // A secret that no longer opens on this machine: the settings tab says so; the platforms stay off.
    log.error('voucher settings unreadable: platforms left off', { error: e instanceof Error ? e.message : String(e) });
    return {};
  }
}

const reloaders = new WeakMap<Till, () => void>();

/** After 设置 → 团购券 was saved: the connectors are built again from the saved settings. */
export function reloadVoucherConnectors(till: Till): void {
  reloaders.get(till)?.();
}

export function startVouchers(till: Till, opts: VoucherServiceOptions = {}): VoucherService {
  const built: Record<VoucherPlatformName, VoucherConnector | null> = { douyin: null, meituan: null };
  const load = () => {
    const env = envOverride();
    const cfg: VoucherConfig = { ...savedConfig(till), ...env };
    const http = { timeoutMs: cfg.timeoutMs ?? 8_000, now: () => till.now() };
    built.douyin = cfg.douyin ? createDouyinConnector(cfg.douyin, http) : null;
    built.meituan = cfg.meituan ? createMeituanConnector(cfg.meituan, http) : null;
  };
  load();
  const svc = new VoucherService(till, (p) => built[p], opts);
  reloaders.set(till, load);
  void svc.recover().catch((e) => log.error('vouchers recovery failed', { error: e instanceof Error ? e.message : String(e) }));
  return svc;
}
