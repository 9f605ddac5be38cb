// The browser host: the same handler map served over HTTP on 127.0.0.1, for Chromium (tests, and
// `npm start` where the Electron runtime is missing). Guards: loopback only, a random per-run token,
// Host and Origin checked (DNS rebinding, other sites), JSON bodies only and size-limited.
// The customer display (a second screen) gets its own read-only token: /display/state and
// /display/events answer the display's content and nothing else; the display token opens no /api.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { DISPLAY_EVENT, MAIN_ONLY_EVENTS } from '../../shared/api/events';
import type { ApiError } from '../../shared/errors';
import { log } from '../api/log';
import type { Registry } from '../api/registry';
import type { Till } from '../till/till';
import { CONTENT_SECURITY_POLICY } from './csp';

export interface HttpHostOptions {
  till: Till;
  registry: Registry;
  /** The built renderer (index.html and assets); omit to serve the API only. */
  staticDir?: string;
  port?: number;
  maxBodyBytes?: number;
  token?: string;
  /** The customer display's read-only token; omit to serve no display routes. */
  displayToken?: string;
}
export interface HttpHost {
  url: string;
  port: number;
  token: string;
  /** The address a second screen opens (its read-only token in the hash), when displayToken was given. */
  displayUrl: string | null;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.ico': 'image/x-icon',
};

const STATUS: Record<string, number> = {
  BAD_URL: 400,
  BAD_JSON: 400,
  BAD_INPUT: 400,
  NO_TOKEN: 401,
  NOT_LOGGED_IN: 401,
  BAD_ORIGIN: 403,
  BAD_HOST: 403,
  FORBIDDEN: 403,
  UNKNOWN_HANDLER: 404,
  NOT_FOUND: 404,
  METHOD: 405,
  TOO_LARGE: 413,
  BAD_CONTENT_TYPE: 415,
  INTERNAL: 500,
  UNREADABLE: 500,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(data);
}

function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, STATUS[error.code] ?? 422, { ok: false, error });
}

class HttpRefusal extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

const badUrl = () => new HttpRefusal({ code: 'BAD_URL', message: '网址格式不正确' });

/** A path segment as text; a malformed %-escape is the client's mistake (400), not ours. */
function decodePath(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badUrl();
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      reject(new HttpRefusal({ code: 'TOO_LARGE', message: `请求内容过大（上限 ${Math.round(max / 1024)} KB）` }));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (refused) {
        // Keep draining so the client can read our answer; a client that goes on for ever is cut off.
        if (size > max * 32) req.destroy();
        return;
      }
      if (size > max) {
        refused = true;
        chunks.length = 0;
        reject(new HttpRefusal({ code: 'TOO_LARGE', message: `请求内容过大（上限 ${Math.round(max / 1024)} KB）` }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  const displayBuf = opts.displayToken ? Buffer.from(opts.displayToken) : null;
  const maxBody = opts.maxBodyBytes ?? 256 * 1024;
  let port = 0;
  const sseClients = new Set<ServerResponse>();
  const displayClients = new Set<ServerResponse>();

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const matches = (given: string | null | undefined, expected: Buffer | null) => {
    if (!given || !expected) return false;
    const b = Buffer.from(given);
    return b.length === expected.length && timingSafeEqual(b, expected);
  };
  const tokenOk = (given: string | null | undefined) => matches(given, tokenBuf);
  const displayUrl = () => (opts.displayToken ? `http://127.0.0.1:${port}/customer-display#display=${opts.displayToken}` : null);

  function guard(req: IncomingMessage, url: URL): void {
    if (!allowedHosts().has(String(req.headers.host ?? ''))) {
      throw new HttpRefusal({ code: 'BAD_HOST', message: '拒绝访问：主机名不正确' });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      throw new HttpRefusal({ code: 'BAD_ORIGIN', message: '拒绝访问：来源不受信任' });
    }
    if (url.pathname.startsWith('/api')) {
      const given = (req.headers['x-till-token'] as string | undefined) ?? url.searchParams.get('token');
      if (!tokenOk(given)) throw new HttpRefusal({ code: 'NO_TOKEN', message: '拒绝访问：缺少或错误的访问令牌' });
    }
    if (url.pathname.startsWith('/display/')) {
      const given = (req.headers['x-display-token'] as string | undefined) ?? url.searchParams.get('display');
      if (!matches(given, displayBuf)) throw new HttpRefusal({ code: 'NO_TOKEN', message: '拒绝访问：缺少或错误的顾客屏令牌' });
    }
  }

  /** The customer display's two routes: its current content, and its events (no other event). */
  async function handleDisplay(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET') throw new HttpRefusal({ code: 'METHOD', message: '请求方法不支持' });
    if (url.pathname === '/display/state') {
      const r = await opts.registry.call('devices.displayState', {});
      if (r.ok) sendJson(res, 200, r);
      else sendError(res, r.error);
      return;
    }
    if (url.pathname === '/display/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      displayClients.add(res);
      req.on('close', () => displayClients.delete(res));
      return;
    }
    throw new HttpRefusal({ code: 'NOT_FOUND', message: '未找到' });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/api' || url.pathname === '/api/') {
      if (req.method !== 'GET') throw new HttpRefusal({ code: 'METHOD', message: '请求方法不支持' });
      sendJson(res, 200, { ok: true, result: opts.registry.describe() });
      return;
    }
    if (url.pathname === '/api/events') {
      openEvents(req, res);
      return;
    }
    if (url.pathname === '/api/display-link') {
      // For 设置 → 设备 → 顾客屏: the link a person opens on the second screen.
      if (req.method !== 'GET') throw new HttpRefusal({ code: 'METHOD', message: '请求方法不支持' });
      sendJson(res, 200, { ok: true, result: { url: displayUrl() } });
      return;
    }
    if (req.method !== 'POST') throw new HttpRefusal({ code: 'METHOD', message: '请求方法不支持，请用 POST' });
    const ctype = String(req.headers['content-type'] ?? '');
    if (!ctype.startsWith('application/json')) {
      throw new HttpRefusal({ code: 'BAD_CONTENT_TYPE', message: '请求格式不对，须为 JSON' });
    }
    const name = decodePath(url.pathname.slice('/api/'.length));
    const body = await readBody(req, maxBody);
    let input: unknown = {};
    if (body.length) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpRefusal({ code: 'BAD_JSON', message: '请求内容不是有效的 JSON' });
      }
    }
    const result = await opts.registry.call(name, input);
    if (result.ok) sendJson(res, 200, result);
    else sendError(res, result.error);
  }

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    req.on('close', () => sseClients.delete(res));
  }

  // The customer display's state goes only to the paired displays (the display token's stream):
  // the cashier's windows do not show it, and it is the whole display (every line) on every change.
  const unsubscribe = opts.till.events.onAny((name, payload) => {
    if (MAIN_ONLY_EVENTS.has(name)) return;
    const to = name === DISPLAY_EVENT ? displayClients : sseClients;
    if (!to.size) return; // no display paired: the whole display state is not even serialised
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of to) c.write(frame);
  });
  // Keeps idle SSE connections open through proxies and lets dead ones be noticed.
  const ping = setInterval(() => {
    for (const c of [...sseClients, ...displayClients]) c.write(': ping\n\n');
  }, 15_000);
  ping.unref();

  /** The file to send: the path's own, or index.html for the renderer's routes (and folders). */
  async function staticFile(url: URL): Promise<string> {
    if (!opts.staticDir) throw new HttpRefusal({ code: 'NOT_FOUND', message: '未找到' });
    const root = normalize(opts.staticDir);
    const file = normalize(join(root, decodePath(url.pathname)));
    if (!file.startsWith(root + sep) && file !== root) throw new HttpRefusal({ code: 'NOT_FOUND', message: '未找到' });
    const st = await stat(file).catch(() => null);
    return st && !st.isDirectory() ? file : join(root, 'index.html'); // SPA routes
  }

  /**
   * Opens the file for reading, or refuses: 404 when it is gone (removed since the stat), 500 when it
   * cannot be read or is not a plain file (a socket, a FIFO: opened non-blocking, never waited on).
   * Static files need no token, so whatever happens here must neither crash the till nor fill its
   * log with stacks.
   */
  async function openStatic(file: string): Promise<FileHandle> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
      return handle;
    } catch (e) {
      await handle?.close().catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
      log.warn('static file unreadable', { file: file.slice(-80), code });
      if (code === 'ENOENT') throw new HttpRefusal({ code: 'NOT_FOUND', message: '未找到' });
      throw new HttpRefusal({ code: 'UNREADABLE', message: '文件无法读取' });
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal({ code: 'METHOD', message: '请求方法不支持' });
    const file = await staticFile(url);
    const handle = await openStatic(file);
    const headers: Record<string, string> = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    };
    if (extname(file) === '.html') {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['x-frame-options'] = 'DENY';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      await handle.close();
      res.end();
      return;
    }
    const stream = handle.createReadStream(); // closes the handle when done or failed
    stream.on('error', (e) => {
      // Headers are out: all that is left is to cut the response short.
      log.warn('static file read failed', { file: file.slice(-80), code: (e as NodeJS.ErrnoException).code ?? 'unknown' });
      res.destroy();
    });
    stream.pipe(res);
  }

  const server = createServer((req, res) => {
    (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        throw badUrl(); // e.g. "//[": not even a URL
      }
      guard(req, url);
      if (url.pathname.startsWith('/api')) await handleApi(req, res, url);
      else if (url.pathname.startsWith('/display/')) await handleDisplay(req, res, url);
      else await serveStatic(req, res, url);
    })().catch((e) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof HttpRefusal) {
        log.info('http refused', { path: String(req.url).split('?')[0].slice(0, 80), code: e.error.code }); // never the query: it may hold the token
        sendError(res, e.error);
      } else {
        log.error('http failed', { error: e instanceof Error ? e.stack : String(e) });
        sendError(res, { code: 'INTERNAL', message: '系统错误，请重试' });
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        token,
        displayUrl: displayUrl(),
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            clearInterval(ping);
            for (const c of [...sseClients, ...displayClients]) c.end();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
