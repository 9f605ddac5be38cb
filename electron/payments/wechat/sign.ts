// WeChat Pay API v3 signatures (PLATFORMS.md §6.1), with node:crypto only.
// Request:  METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n  signed SHA256withRSA (PKCS#1 v1.5) by the merchant key,
//           sent as `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",serial_no="…",…`.
// Response: Wechatpay-Timestamp\nWechatpay-Nonce\nraw body\n  verified with the platform public key named by
//           Wechatpay-Serial; a missing header, an unknown serial or a timestamp more than 300 s off is refused.
import { randomInt, sign, verify, type KeyObject } from 'node:crypto';

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** The SDKs' MAXIMUM_CLOCK_OFFSET: an answer stamped further from our clock (whole seconds) than this is not trusted. */
export const MAX_CLOCK_OFFSET_S = 300;

const NONCE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 32 characters from [0-9A-Za-z], from the CSPRNG. */
export function nonceStr(): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += NONCE_CHARS[randomInt(NONCE_CHARS.length)];
  return s;
}

export interface SignedRequest {
  authorization: string;
  timestamp: string;
  nonce: string;
}

/** The Authorization header for one request; `body` is the exact string sent ('' for GET). */
export function authorize(
  key: KeyObject,
  ids: { mchid: string; serialNo: string },
  req: { method: string; pathWithQuery: string; body: string },
  nowMs: number,
  nonce = nonceStr(),
): SignedRequest {
  const timestamp = String(Math.floor(nowMs / 1000));
  const message = `${req.method}\n${req.pathWithQuery}\n${timestamp}\n${nonce}\n${req.body}\n`;
  const signature = sign('sha256', Buffer.from(message, 'utf8'), key).toString('base64');
  return {
    authorization: `${AUTH_SCHEMA} mchid="${ids.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${ids.serialNo}"`,
    timestamp,
    nonce,
  };
}

export type ResponseCheck = { ok: true } | { ok: false; reason: 'bad_signature' | 'stale_response'; detail: string };

/** Checks the four Wechatpay-* headers of an answer against its raw body bytes. */
export function checkResponse(
  headers: { get(name: string): string | null },
  rawBody: Buffer,
  platformKeys: ReadonlyMap<string, KeyObject>,
  nowMs: number,
): ResponseCheck {
  const timestamp = headers.get('wechatpay-timestamp');
  const nonce = headers.get('wechatpay-nonce');
  const signature = headers.get('wechatpay-signature');
  const serial = headers.get('wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'bad_signature', detail: '应答缺少 Wechatpay-* 签名头' };
  const key = platformKeys.get(serial);
  if (!key) return { ok: false, reason: 'bad_signature', detail: `应答的平台公钥/证书序列号未知（${serial.slice(0, 40)}）` };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_CLOCK_OFFSET_S) {
    return { ok: false, reason: 'stale_response', detail: `应答时间戳与本机时钟相差超过 ${MAX_CLOCK_OFFSET_S} 秒` };
  }
  const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), rawBody, Buffer.from('\n')]);
  let good = false;
  try {
    good = verify('sha256', message, key, Buffer.from(signature, 'base64'));
  } catch {
    good = false;
  }
  return good ? { ok: true } : { ok: false, reason: 'bad_signature', detail: '应答签名验证失败' };
}
