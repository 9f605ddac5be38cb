// Meituan / Dianping group-buy vouchers: the whole wire format, behind VoucherConnector. The legacy Dianping
// open platform (../shared/PLATFORMS.md §4 (a), evidence B), which most POS vendors still use:
//  - form POSTs to https://openapi.dianping.com/router/tuangou/receipt/{prepare,consume,getconsumed,reverseconsume};
//  - public params app_key, timestamp, session (the merchant's authorized session), format=json, v=1,
//    sign_method=MD5, sign = md5_hex(app_secret + k1v1k2v2… (every param but sign, sorted by key) + app_secret);
//  - success is code 200; consume is deduplicated on `requestid` (a new one per redemption, persisted before
//    the first call and reused on every retry).
// UNVERIFIED (PLATFORMS §4, §8): the business error codes (read by their words here), the window in which
// reverseconsume is accepted (REVERSE_WINDOW_MS below), rate limits. The newer Meituan 到店综合 platform
// (api-open-cater.meituan.com, appAuthToken, SHA1 sign) is not implemented: its public params are unconfirmed.
import { createHash, randomBytes } from 'node:crypto';
import { call, type HttpOptions } from '../http';
import { VoucherRefused, VoucherUnknown, type PreparedVoucher, type RedeemOutcome, type VoucherConnector, type VoucherInput } from '../connector';

export interface MeituanConfig {
  appKey: string;
  appSecret: string;
  /** The merchant's authorized session token. */
  session: string;
  openShopUuid: string;
  /** The till's account shown in Dianping's records (app_shop_account / app_shop_accountname). */
  shopAccount?: string;
  shopAccountName?: string;
  /** https://openapi.dianping.com (a simulator's address in tests). */
  baseUrl?: string;
}

/** UNVERIFIED: how long after consume Dianping accepts reverseconsume (the simulator uses the same figure). */
export const MEITUAN_UNDO_WINDOW_MS = 3600_000;

/** md5_hex(secret + sorted k+v + secret). */
export function dianpingSign(params: Record<string, string>, secret: string): string {
  const concat = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort()
    .map((k) => `${k}${params[k]}`)
    .join('');
  return createHash('md5').update(`${secret}${concat}${secret}`, 'utf8').digest('hex');
}

/** Beijing time as 'YYYY-MM-DD HH:mm:ss' (the gateway's timestamp format). */
function beijing(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const yuanToFen = (v: unknown): number => Math.round(Number(v) * 100);

export function createMeituanConnector(cfg: MeituanConfig, http: HttpOptions & { now?: () => number }): VoucherConnector {
  const base = (cfg.baseUrl ?? 'https://openapi.dianping.com').replace(/\/$/, '');
  const now = http.now ?? Date.now;
  const account = { app_shop_account: cfg.shopAccount ?? 'till', app_shop_accountname: cfg.shopAccountName ?? '收银台' };

  async function router(api: string, biz: Record<string, string>): Promise<any> {
    const params: Record<string, string> = {
      ...biz, app_key: cfg.appKey, timestamp: beijing(now()), session: cfg.session, format: 'json', v: '1', sign_method: 'MD5',
    };
    params.sign = dianpingSign(params, cfg.appSecret);
    const r = await call(`${base}/router/tuangou/receipt/${api}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    }, http);
    const j = r.json;
    if (!j || typeof j.code !== 'number') throw new VoucherUnknown('bad_response', `美团应答格式错误（HTTP ${r.status}）`);
    if (j.code === 200) return j.data;
    const msg = String(j.msg ?? j.code);
    if (/签名|sign/i.test(msg) || /session|授权/i.test(msg)) throw new VoucherRefused('auth', `美团/点评授权失败：${msg}（请检查设置）`, j.code);
    if (/限流|频繁|limit/i.test(msg)) throw new VoucherUnknown('rate_limited', '美团平台限流，请稍候');
    if (/已使用|已验证|已核销|used/i.test(msg)) throw new VoucherRefused('used', '该美团团购券已使用，不能重复核销', j.code);
    if (/过期|expire/i.test(msg)) throw new VoucherRefused('expired', '该美团团购券已过期', j.code);
    if (/不存在|not.?found/i.test(msg)) throw new VoucherRefused('not_found', '美团平台查无此券，请核对券码', j.code);
    if (/不足/.test(msg)) throw new VoucherRefused('not_enough', `美团团购券${msg}`, j.code);
    if (/超过.*撤销|撤销.*时间/.test(msg)) throw new VoucherRefused('window', '已超过美团的撤销时限', j.code);
    throw new VoucherRefused('other', `美团平台拒绝：${msg}`, j.code);
  }

  return {
    platform: 'meituan',
    undoWindowMs: MEITUAN_UNDO_WINDOW_MS,

    async prepare(input: VoucherInput): Promise<PreparedVoucher> {
      if (!('code' in input)) throw new VoucherRefused('not_found', '美团团购券请扫描或输入券码');
      const code = input.code;
      const d = await router('prepare', { open_shop_uuid: cfg.openShopUuid, receipt_code: code });
      const count = Number(d?.count);
      const unit = yuanToFen(d?.deal_price);
      if (!Number.isSafeInteger(count) || count < 1) throw new VoucherRefused('used', '该美团团购券没有可核销的张数');
      if (!Number.isSafeInteger(unit) || unit < 0) throw new VoucherUnknown('bad_response', '美团应答缺少团购价');
      const end = Number(d.receiptEndDate);
      return {
        title: String(d.deal_title ?? '美团团购券'),
        unitValueFen: unit,
        usesLeft: count,
        expiresAt: Number.isFinite(end) && end > 0 ? end : null,
        platformOrderId: null,
        plan: (uses) => {
          const requestid = randomBytes(16).toString('hex');
          return {
            idemKey: requestid,
            params: { requestid, receipt_code: code, count: String(uses), open_shop_uuid: cfg.openShopUuid, ...account, app_deal_id: String(d.deal_id ?? '') },
          };
        },
      };
    },

    async redeem(params): Promise<RedeemOutcome> {
      const { app_deal_id: dealId, ...send } = params as Record<string, string>;
      const d = await router('consume', send);
      const rows: any[] = Array.isArray(d) ? d : [];
      if (!rows.length) throw new VoucherUnknown('bad_response', '美团验券应答缺少结果');
      return {
        redeemedUses: rows.length,
        platformOrderId: rows[0].order_id ? String(rows[0].order_id) : null,
        refs: { receipt_code: send.receipt_code, app_deal_id: String(rows[0].deal_id ?? dealId ?? '') },
      };
    },

    async confirm(params) {
      // getconsumed answers by receipt code only: a consumption of the asked count is taken as this one
      // (it cannot be tied to the requestid; the detail says so for reconciliation).
      const p = params as Record<string, string>;
      let d: any;
      try {
        d = await router('getconsumed', { receipt_code: p.receipt_code, open_shop_uuid: cfg.openShopUuid });
      } catch (e) {
        if (e instanceof VoucherRefused && e.kind !== 'auth') return null; // not consumed
        throw e;
      }
      const count = Number(d?.count);
      if (!Number.isSafeInteger(count) || count !== Number(p.count)) return null;
      return {
        redeemedUses: count,
        platformOrderId: d.order_id ? String(d.order_id) : null,
        refs: { receipt_code: p.receipt_code, app_deal_id: String(d.deal_id ?? p.app_deal_id ?? '') },
        detail: '重试被拒，经向美团查询：该券已验证（按券码查询，请对账核对）',
      };
    },

    async undo(refs) {
      const r = refs as { receipt_code: string; app_deal_id: string };
      await router('reverseconsume', { receipt_code: r.receipt_code, app_deal_id: r.app_deal_id, open_shop_uuid: cfg.openShopUuid, ...account });
    },
  };
}
