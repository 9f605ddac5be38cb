// The browser host's API socket (electron/host/ws-rpc.ts): calls as messages on one open WebSocket
// instead of a fetch each, which costs Chromium 5–12 ms on a 2-core counter PC, most of a scan's
// time. Opened on the first call; until it is open (and after it drops, while it reconnects) calls
// go by fetch, so the socket can only make a call faster, never lose one. A call in flight when the
// socket drops fails like a fetch that lost its connection (the caller sees 连接中断).
import type { ApiError } from '../../../shared/errors';

export type Reply = { ok: true; result: unknown } | { ok: false; error: ApiError };

/** The host's close code for a wrong token: retrying cannot help. */
const BAD_TOKEN = 4401;

/** Per-call times for the scan bench (tests/bench/scan-to-screen): kept only while the bench asks. */
interface CallTiming {
  name: string;
  sent: number;
  received: number;
}
const timings = () => (globalThis as { __tillRpcTimings?: CallTiming[] }).__tillRpcTimings;

export interface RpcSocket {
  /** The call over the socket, or null when it is not open (use fetch). */
  call(name: string, input: unknown): Promise<Reply> | null;
}

export function createRpcSocket(token: string): RpcSocket {
  let ws: WebSocket | null = null;
  let ready = false;
  let gaveUp = false;
  let retryMs = 500;
  let nextId = 1;
  const pending = new Map<number, { name: string; sent: number; resolve(r: Reply): void; reject(e: Error): void }>();

  const connect = () => {
    const s = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`);
    ws = s;
    s.onopen = () => s.send(JSON.stringify({ token }));
    s.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data)) as { ready?: true; id?: number; reply?: Reply };
      if (m.ready) {
        ready = true;
        retryMs = 500;
        return;
      }
      const p = pending.get(m.id ?? -1);
      if (!p || !m.reply) return;
      pending.delete(m.id!);
      timings()?.push({ name: p.name, sent: p.sent, received: performance.now() });
      p.resolve(m.reply);
    };
    s.onclose = (ev) => {
      ready = false;
      ws = null;
      for (const p of pending.values()) p.reject(new Error('socket closed'));
      pending.clear();
      if (ev.code === BAD_TOKEN) {
        gaveUp = true; // fetch gives the same refusal, in words
        return;
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };

  return {
    call(name, input) {
      if (!ws && !gaveUp) connect();
      if (!ready || !ws) return null;
      const id = nextId++;
      const socket = ws;
      return new Promise<Reply>((resolve, reject) => {
        pending.set(id, { name, sent: performance.now(), resolve, reject });
        socket.send(JSON.stringify({ id, name, input: input ?? {} }));
      });
    },
  };
}
