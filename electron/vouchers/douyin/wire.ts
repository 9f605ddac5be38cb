// Douyin 来客 group-buy vouchers: the whole wire format (../shared/PLATFORMS.md §3), behind VoucherConnector.
//  - client_token (POST /oauth/client_token/, valid 2 h; a new one retires the old after 5 minutes): cached
//    and renewed 10 minutes early; a business call refused for the token (2190002) renews it and is sent again
//    (a refused call was not applied, and a verify keeps its verify_token).
//  - prepare: GET …/certificate/prepare/?poi_id&code|encrypted_data → verify_token + the order's certificates.
//    A scanned QR is a short link (v.douyin.com/<id>/) that redirects to a link whose object_id is the
//    encrypted_data: the redirect is read, never followed, and only object_id is taken from it.
//  - verify: POST …/certificate/verify/ {verify_token, poi_id, encrypted_codes} — one verify_token per verify;
//    a retry after a timeout sends the same token and the same params (the platform answers it with the
//    first outcome). Results are per code: 0 redeemed, 1208 already used.
//  - cancel: POST …/certificate/cancel/ {verify_id, certificate_id}, within 1 hour of the verify.
// Calls are not signed: the access-token header is the credential. Envelope: data.error_code and
// extra.error_code both checked.
import { call, type HttpOptions } from '../http';
import { VoucherRefused, VoucherUnknown, type PreparedVoucher, type RedeemOutcome, type VoucherConnector, type VoucherInput } from '../connector';

export interface DouyinLifeConfig {
  clientKey: string;
  clientSecret: string;
  poiId: string;
  /** 来客 root account (Rpc-Transit-Life-Account header), when the app serves several. */
  lifeAccountId?: string;
  /** https://open.douyin.com (a simulator's address in tests). */
  baseUrl?: string;
  /** Where short links are resolved: https://v.douyin.com (a simulator's address in tests). */
  shortLinkBase?: string;
}

export const DOUYIN_UNDO_WINDOW_MS = 3600_000;

const CODE = {
  tokenInvalid: 2190002,
  rateLimited: 28003018,
  tokenRateLimited: 10020,
  alreadyUsed: 1208,
  cancelWindow: 3000001,
  cancelWindowSub: 2034000910,
} as const;

/** Result/error codes whose number is UNVERIFIED (PLATFORMS §8): read by their words as well. */
const looksExpired = (msg: string) => /过期|expire/i.test(msg);
const looksUsed = (msg: string) => /已核销|已使用|已验证|used/i.test(msg);
const looksMissing = (msg: string) => /不存在|not.?found|无效的?券/i.test(msg);

interface Envelope {
  data?: Record<string, any> & { error_code?: number; description?: string };
  extra?: { error_code?: number; description?: string; sub_error_code?: number; sub_description?: string; logid?: string };
}

export function createDouyinConnector(cfg: DouyinLifeConfig, http: HttpOptions & { now?: () => number }): VoucherConnector {
  const base = (cfg.baseUrl ?? 'https://open.douyin.com').replace(/\/$/, '');
  const shortBase = (cfg.shortLinkBase ?? 'https://v.douyin.com').replace(/\/$/, '');
  const now = http.now ?? Date.now;
  let token: { value: string; renewAt: number } | null = null;
  let fetching: Promise<string> | null = null;

  async function clientToken(): Promise<string> {
    if (token && now() < token.renewAt) return token.value;
    fetching ??= (async () => {
      const r = await call(`${base}/oauth/client_token/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_key: cfg.clientKey, client_secret: cfg.clientSecret, grant_type: 'client_credential' }),
      }, http);
      const d = r.json?.data;
      if (!d || typeof d.error_code !== 'number') throw new VoucherUnknown('bad_response', '抖音授权应答格式错误');
      if (d.error_code === CODE.tokenRateLimited) throw new VoucherUnknown('rate_limited', '抖音授权调用过于频繁，请稍后再试');
      if (d.error_code !== 0 || !d.access_token) throw new VoucherRefused('auth', `抖音来客授权失败：${d.description || d.error_code}（请检查 client_key / client_secret）`, d.error_code);
      const ttl = Number(d.expires_in) > 0 ? Number(d.expires_in) * 1000 : 7_200_000;
      token = { value: d.access_token, renewAt: now() + Math.max(ttl - 600_000, ttl / 2) };
      return token.value;
    })().finally(() => (fetching = null));
    return fetching;
  }

  /** A business call with the token; a refused token renews it and sends the same call once more. */
  async function business(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<Record<string, any>> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'access-token': await clientToken() };
      if (cfg.lifeAccountId) headers['Rpc-Transit-Life-Account'] = cfg.lifeAccountId;
      if (body) headers['Content-Type'] = 'application/json';
      const r = await call(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined }, http);
      const env = r.json as Envelope | null;
      if (!env || (!env.data && !env.extra)) throw new VoucherUnknown('bad_response', `抖音应答格式错误（HTTP ${r.status}）`);
      const code = env.extra?.error_code || env.data?.error_code || 0;
      const words = env.data?.description || env.extra?.description || String(code);
      if (code === 0) return env.data ?? {};
      if (code === CODE.tokenInvalid && attempt === 0) {
        token = null;
        continue;
      }
      if (code === CODE.rateLimited) throw new VoucherUnknown('rate_limited', '抖音平台限流，请稍候');
      if (code === CODE.cancelWindow || env.extra?.sub_error_code === CODE.cancelWindowSub) {
        throw new VoucherRefused('window', '已超过抖音的撤销时限（核销后 1 小时内可撤销）', code);
      }
      if (code === CODE.alreadyUsed || looksUsed(words)) throw new VoucherRefused('used', '该抖音团购券已核销，不能重复使用', code);
      if (looksExpired(words)) throw new VoucherRefused('expired', '该抖音团购券已过期', code);
      if (looksMissing(words)) throw new VoucherRefused('not_found', '抖音平台查无此券，请核对券码', code);
      if (code === CODE.tokenInvalid) throw new VoucherRefused('auth', '抖音来客授权无效，请检查设置', code);
      throw new VoucherRefused('other', `抖音平台拒绝：${words}`, code);
    }
  }

  /** The short link's target, read from its redirect (not followed): only object_id is used. */
  async function resolveShortLink(shortId: string): Promise<string> {
    const r = await call(`${shortBase}/${encodeURIComponent(shortId)}/`, { method: 'GET', redirect: 'manual' }, http);
    const location = r.status >= 300 && r.status < 400 ? r.headers.get('location') : null;
    if (!location) throw new VoucherRefused('not_found', '抖音团购券二维码无效或已失效（可能扫描不全），请让顾客刷新券码后重新扫描');
    const objectId = new URL(location, shortBase).searchParams.get('object_id');
    if (!objectId) throw new VoucherRefused('not_found', '抖音团购券二维码无法识别，请改为输入券码');
    return objectId;
  }

  return {
    platform: 'douyin',
    undoWindowMs: DOUYIN_UNDO_WINDOW_MS,

    async prepare(input: VoucherInput): Promise<PreparedVoucher> {
      const q = new URLSearchParams({ poi_id: cfg.poiId });
      if ('code' in input) q.set('code', input.code);
      else q.set('encrypted_data', 'encryptedData' in input ? input.encryptedData : await resolveShortLink(input.shortId));
      const d = await business('GET', `/goodlife/v1/fulfilment/certificate/prepare/?${q}`);
      const certs: any[] = Array.isArray(d.certificates) ? d.certificates : [];
      if (!d.verify_token || !certs.length) throw new VoucherRefused('used', '该抖音团购券没有可核销的次数');
      const first = certs[0];
      const unit = Number(first.amount?.pay_amount ?? first.amount?.original_amount);
      if (!Number.isSafeInteger(unit) || unit < 0) throw new VoucherUnknown('bad_response', '抖音应答缺少券面金额');
      const verifyToken = String(d.verify_token);
      const expire = Number(first.expire_time);
      return {
        title: String(first.sku?.title ?? '抖音团购券'),
        unitValueFen: unit,
        usesLeft: certs.length,
        expiresAt: Number.isFinite(expire) && expire > 0 ? expire * 1000 : null,
        platformOrderId: d.order_id ? String(d.order_id) : null,
        plan: (uses) => ({
          idemKey: verifyToken,
          params: { verify_token: verifyToken, poi_id: cfg.poiId, encrypted_codes: certs.slice(0, uses).map((c) => String(c.encrypted_code)) },
        }),
      };
    },

    async redeem(params): Promise<RedeemOutcome> {
      const d = await business('POST', '/goodlife/v1/fulfilment/certificate/verify/', params);
      const results: any[] = Array.isArray(d.verify_results) ? d.verify_results : [];
      if (!results.length) throw new VoucherUnknown('bad_response', '抖音验券应答缺少结果');
      const ok = results.filter((r) => r.result === 0);
      if (!ok.length) {
        const r = results[0];
        const msg = String(r.msg ?? '');
        if (r.result === CODE.alreadyUsed || looksUsed(msg)) throw new VoucherRefused('used', '该抖音团购券已核销，不能重复使用', r.result);
        if (looksExpired(msg)) throw new VoucherRefused('expired', '该抖音团购券已过期', r.result);
        throw new VoucherRefused('other', `抖音验券失败：${msg || r.result}`, r.result);
      }
      return {
        redeemedUses: ok.length,
        platformOrderId: ok[0].order_id ? String(ok[0].order_id) : null,
        refs: ok.map((r) => ({ verify_id: String(r.verify_id), certificate_id: String(r.certificate_id) })),
        detail: ok.length < results.length ? `抖音仅核销 ${ok.length}/${results.length} 张：${results.find((r) => r.result !== 0)?.msg ?? ''}` : undefined,
      };
    },

    async confirm(params, since) {
      const codes = Array.isArray(params.encrypted_codes) ? (params.encrypted_codes as string[]) : [];
      const refs: { verify_id: string; certificate_id: string }[] = [];
      for (const enc of codes) {
        const d = await business('GET', `/goodlife/v1/fulfilment/certificate/get/?${new URLSearchParams({ encrypted_code: enc })}`);
        const c = d.certificate ?? {};
        // UNVERIFIED field names (PLATFORMS §8): status 2 = verified, with the verify's id and time (s).
        const at = Number(c.verify?.verify_time) * 1000;
        if (c.status === 2 && c.verify?.verify_id && at >= since - 60_000) refs.push({ verify_id: String(c.verify.verify_id), certificate_id: String(c.certificate_id) });
      }
      if (!refs.length) return null;
      return { redeemedUses: refs.length, platformOrderId: null, refs, detail: '重试被拒，经向抖音查询：该券已由本次核销' };
    },

    async undo(refs) {
      for (const r of refs as { verify_id: string; certificate_id: string }[]) {
        await business('POST', '/goodlife/v1/fulfilment/certificate/cancel/', { verify_id: r.verify_id, certificate_id: r.certificate_id });
      }
    },
  };
}
