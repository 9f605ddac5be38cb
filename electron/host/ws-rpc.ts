// The browser host's fast lane for API calls: one WebSocket (/api/ws) carrying { id, name, input }
// and answering { id, reply } with the same registry and the same replies as POST /api/<name>.
// Chromium spends 5–12 ms setting up each fetch on a 2-core counter PC (a new request through its
// network service every time); a message on an open socket takes about one. The renderer uses it
// when it is open and falls back to fetch (renderer/src/api/client.ts). Same guards as HTTP: Host
// and Origin checked at the upgrade, then the per-run token as the first message (a browser cannot
// set headers on a WebSocket, and a token in the URL could end up in a log); messages size-limited.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiError } from '../../shared/errors';
import { log } from '../api/log';
import type { Registry } from '../api/registry';

export const RPC_PATH = '/api/ws';
/** Close codes the client reads: the token was wrong (do not retry), or the host is closing. */
export const WS_CLOSE = { badToken: 4401, badMessage: 4400 } as const;

export interface RpcSocketOptions {
  registry: Registry;
  maxBodyBytes: number;
  /** The same checks as an HTTP request (Host, Origin); throws a refusal. */
  guard(req: IncomingMessage): void;
  tokenOk(token: unknown): boolean;
}

export interface RpcSocket {
  /** For the HTTP server's 'upgrade' event: takes /api/ws, refuses the rest. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

type Reply = { ok: true; result: unknown } | { ok: false; error: ApiError };
const refusal = (code: string, message: string): Reply => ({ ok: false, error: { code, message } });

export function createRpcSocket(opts: RpcSocketOptions): RpcSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxBodyBytes, perMessageDeflate: false });

  wss.on('connection', (ws: WebSocket) => {
    let authed = false;
    ws.on('message', (data, isBinary) => {
      let msg: { token?: unknown; id?: unknown; name?: unknown; input?: unknown };
      try {
        msg = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        msg = {};
      }
      if (!authed) {
        if (!opts.tokenOk(msg.token)) {
          log.info('ws refused', { code: 'NO_TOKEN' });
          return ws.close(WS_CLOSE.badToken, 'NO_TOKEN');
        }
        authed = true;
        return ws.send(JSON.stringify({ ready: true }));
      }
      if (typeof msg.id !== 'number' || typeof msg.name !== 'string') {
        log.info('ws refused', { code: 'BAD_JSON' });
        return ws.close(WS_CLOSE.badMessage, 'BAD_JSON');
      }
      const id = msg.id;
      void opts.registry
        .call(msg.name, msg.input ?? {})
        .catch((e: unknown): Reply => {
          log.error('ws call failed', { error: e instanceof Error ? e.stack : String(e) });
          return refusal('INTERNAL', '系统错误，请重试');
        })
        .then((reply) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, reply }));
        });
    });
    ws.on('error', (e) => log.info('ws error', { error: e.message })); // e.g. a message over the size limit
  });

  return {
    upgrade(req, socket, head) {
      try {
        if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== RPC_PATH) throw new Error('not the api socket');
        opts.guard(req);
      } catch {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}
