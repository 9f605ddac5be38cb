// One HTTP call for the connectors: a timeout, and every way the answer can fail to arrive turned
// into SyncError 'retry' (the outcome is unknown: the request may have been applied).
import { SyncError } from './connector';

export interface HttpAnswer {
  status: number;
  text: string;
}

export async function httpCall(
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new SyncError('retry', 'TIMEOUT', `${timeoutMs} ms 内没有应答，结果未知`);
    throw new SyncError('retry', 'NETWORK', `网络错误：${(e as Error).message}`);
  }
}
