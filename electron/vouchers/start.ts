// Builds the voucher service at boot with the platforms configured, and settles what the last run left
// open (retried with the same call) before new redemptions are taken.
//
// Configuration: there is no settings screen for the voucher platforms yet. Until there is (with the
// secrets kept like the payment keys, electron/payments/secrets.ts), TILL_VOUCHERS_JSON may name them:
//   {"douyin":{"clientKey","clientSecret","poiId","baseUrl?","shortLinkBase?"},
//    "meituan":{"appKey","appSecret","session","openShopUuid","baseUrl?"}, "timeoutMs?": 8000}
// (the e2e runs and the simulators use it). Without it every platform answers VOUCHER_PLATFORM_OFF.
import { log } from '../api/log';
import type { Till } from '../till/till';
import type { VoucherConnector } from './connector';
import { createDouyinConnector, type DouyinLifeConfig } from './douyin/wire';
import { createMeituanConnector, type MeituanConfig } from './meituan/wire';
import { VoucherService } from './service';

interface VoucherConfig {
  douyin?: DouyinLifeConfig;
  meituan?: MeituanConfig;
  timeoutMs?: number;
}

function readConfig(): VoucherConfig {
  const raw = process.env.TILL_VOUCHERS_JSON;
  if (!raw) return {};
  try {
    return JSON.parse(raw) as VoucherConfig;
  } catch {
    log.error('TILL_VOUCHERS_JSON is not JSON: voucher platforms left off');
    return {};
  }
}

export function startVouchers(till: Till): VoucherService {
  const cfg = readConfig();
  const http = { timeoutMs: cfg.timeoutMs ?? 8_000, now: () => till.now() };
  const douyin: VoucherConnector | null = cfg.douyin ? createDouyinConnector(cfg.douyin, http) : null;
  const meituan: VoucherConnector | null = cfg.meituan ? createMeituanConnector(cfg.meituan, http) : null;
  const svc = new VoucherService(till, (p) => (p === 'douyin' ? douyin : meituan));
  void svc.recover().catch((e) => log.error('vouchers recovery failed', { error: e instanceof Error ? e.message : String(e) }));
  return svc;
}
