// Kuaishou (快手) group-buy vouchers: UNCONFIRMED — NOT WIRED. ../shared/PLATFORMS.md §5.1 confirms only
// the Kuaishou e-commerce gateway (openapi.kwaixiaodian.com, `open.x.y` → /open/x/y, OAuth with
// result == 1, the MD5 / HMAC_SHA256 sign below, timestamps in ms). It gives NO voucher (团购券 / 本地生活)
// endpoint, parameter, idempotency field, error code or undo window, so no connector is built on it and
// the scan classifier (shared/scan-kind.ts) has no Kuaishou shape. What is confirmed is kept here so a
// later connector starts from it; confirm the voucher API against the live docs before using any of it.
import { createHash, createHmac } from 'node:crypto';

export const KUAISHOU_CONFIRMED = {
  baseUrl: 'https://openapi.kwaixiaodian.com',
  fallbackBaseUrl: 'https://open.kwaixiaodian.com',
  /** `open.item.get` → `/open/item/get`. */
  pathOf: (api: string) => `/${api.split('.').join('/')}`,
} as const;

/** The gateway sign of §5.1 (B: crywolfx/kuaishou-merchant-open-api). `paramJson`: params as JSON with sorted keys. */
export function kuaishouSign(p: {
  accessToken: string; appKey: string; method: string; paramJson: string; signMethod: 'MD5' | 'HMAC_SHA256';
  timestampMs: number; version: string; signSecret: string;
}): string {
  const data = `access_token=${p.accessToken}&appkey=${p.appKey}&method=${p.method}&param=${p.paramJson}` +
    `&signMethod=${p.signMethod}&timestamp=${p.timestampMs}&version=${p.version}&signSecret=${p.signSecret}`;
  return p.signMethod === 'MD5'
    ? createHash('md5').update(data, 'utf8').digest('hex')
    : createHmac('sha256', p.signSecret).update(data, 'utf8').digest('base64');
}

/** UNCONFIRMED: everything a voucher connector would need. Left empty on purpose. */
export const KUAISHOU_VOUCHER_UNCONFIRMED = {
  prepareApi: null,
  verifyApi: null,
  idempotencyField: null,
  undoApi: null,
  undoWindowMs: null,
  codeShape: null,
} as const;
