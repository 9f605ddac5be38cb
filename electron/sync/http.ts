// One HTTP call for the connectors: a timeout, and every way the answer can fail to arrive turned
// into SyncError 'retry' (the outcome is unknown: the request may have been applied). node:http with
// keep-alive rather than fetch: a backlog drains one call after another, and fetch's per-call cost
// (streams, signals, header objects) was most of the relay's CPU in the bench.
import http from 'node:http';
import https from 'node:https';
import { SyncError } from './connector';

export interface HttpAnswer {
  status: number;
  text: string;
}

const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }) };

type Init = { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string };

export function httpCall(url: string, init: Init, timeoutMs: number): Promise<HttpAnswer> {
  let u: URL;
  try {
    u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    return Promise.reject(new SyncError('retry', 'NETWORK', `网络错误：地址无效 ${url.slice(0, 80)}`));
  }
  return send(u, init, timeoutMs, true);
}

function send(u: URL, init: Init, timeoutMs: number, mayRetry: boolean): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const lib = u.protocol === 'https:' ? https : http;
    const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    let timedOut = false;
    const req = lib.request(
      u,
      {
        method: init.method,
        agent: agents[u.protocol as 'http:' | 'https:'],
        headers: { ...init.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, timeoutMs);
    function fail(e: Error): void {
      clearTimeout(timer);
      // A kept-alive socket the server had closed meanwhile: the request never reached it, send it once more.
      if (!timedOut && mayRetry && req.reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET') return void send(u, init, timeoutMs, false).then(resolve, reject);
      if (timedOut) reject(new SyncError('retry', 'TIMEOUT', `${timeoutMs} ms 内没有应答，结果未知`));
      else reject(new SyncError('retry', 'NETWORK', `网络错误：${e.message}`));
    }
    req.on('error', fail);
    req.end(body);
  });
}
