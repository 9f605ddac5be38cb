// The voucher platforms' HTTP calls with a per-call timeout; every way of not getting an answer is a
// VoucherUnknown (the caller retries the same call), never a refusal.
import { VoucherUnknown } from './connector';

export interface HttpOptions {
  /** Per call, in ms. */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The JSON body, or null for a body that is not JSON (a 3xx, an HTML error page). */
  json: any;
}

export async function call(url: string, init: RequestInit, o: HttpOptions): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs) });
  } catch (e) {
    const name = (e as Error)?.name ?? '';
    if (name === 'TimeoutError' || name === 'AbortError') throw new VoucherUnknown('timeout', '平台应答超时');
    throw new VoucherUnknown('network', '网络不通，未能连接平台');
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new VoucherUnknown('timeout', '平台应答中断');
  }
  if (res.status >= 500) throw new VoucherUnknown('server_error', `平台暂时故障（HTTP ${res.status}）`);
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json };
}
