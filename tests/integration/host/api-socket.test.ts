// The browser host's API socket (/api/ws, electron/host/ws-rpc.ts), from outside with a real
// WebSocket client: it answers exactly what POST /api/<name> answers, and it is no way around the
// HTTP guards — another site's Origin or another Host is refused at the upgrade, nothing is called
// before the right token, a wrong token closes the socket, an over-size message closes it too, and
// bad input is refused in Chinese with the till unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../support/till-host';

let host: RunningHost;
const wsUrl = () => `${host.url.replace('http:', 'ws:')}/api/ws`;

beforeAll(async () => {
  host = await startHost({ fromSource: true });
});
afterAll(async () => {
  await host?.stop();
});

/** Opens the socket with the given headers; resolves with the open socket or the refusal's status. */
function open(headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl(), { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

/** Messages as they arrive, and the close code when it closes. */
function listen(ws: WebSocket) {
  const messages: any[] = [];
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const next = async (pred: (m: any) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const m = messages.find(pred);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no such message');
  };
  return { messages, closed, next };
}

async function authed(): Promise<{ ws: WebSocket; call: (name: string, input?: unknown) => Promise<any> }> {
  const r = await open({ origin: host.url });
  if (!('ws' in r)) throw new Error(`refused: ${r.status}`);
  const l = listen(r.ws);
  r.ws.send(JSON.stringify({ token: host.token }));
  await l.next((m) => m.ready === true);
  let id = 0;
  return {
    ws: r.ws,
    call: async (name, input = {}) => {
      const my = ++id;
      r.ws.send(JSON.stringify({ id: my, name, input }));
      return (await l.next((m) => m.id === my)).reply;
    },
  };
}

describe('API socket', () => {
  it('answers what POST /api answers: the user list, a login, a refusal in Chinese', async () => {
    const { ws, call } = await authed();
    try {
      const users = await call('auth.users');
      expect(users).toEqual((await host.api('auth.users')).body);
      const wang = users.result.find((u: { name: string }) => u.name === '小王');
      const bad = await call('auth.login', { userId: wang.id, pin: '0000' });
      expect(bad.ok).toBe(false);
      expect(bad.error.message).toMatch(/PIN/);
      const ok = await call('auth.login', { userId: wang.id, pin: '1111' });
      expect(ok.ok).toBe(true);
      // The session is the till's: the HTTP side sees the same login.
      expect((await host.api<{ name: string }>('auth.session')).body.result?.name).toBe('小王');
      // A negative price is refused with a sentence, and nothing changed.
      const before = await call('cart.get');
      const neg = await call('cart.scan', { code: '-1' });
      expect(neg.ok).toBe(false);
      expect(neg.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect((await call('cart.get')).result.version).toBe(before.result.version);
    } finally {
      ws.close();
    }
  });

  it('another site or another host name is refused at the upgrade', async () => {
    expect(await open({ origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await open({ origin: host.url, host: `evil.example:${new URL(host.url).port}` })).toEqual({ status: 403 });
  });

  it('nothing is called before the token; a wrong token closes the socket with 4401', async () => {
    const r = await open({ origin: host.url });
    if (!('ws' in r)) throw new Error('refused');
    const l = listen(r.ws);
    r.ws.send(JSON.stringify({ id: 1, name: 'auth.users', input: {} })); // no token first
    expect(await l.closed).toBe(4401);
    expect(l.messages).toEqual([]);

    const r2 = await open({ origin: host.url });
    if (!('ws' in r2)) throw new Error('refused');
    const l2 = listen(r2.ws);
    r2.ws.send(JSON.stringify({ token: host.token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')) }));
    expect(await l2.closed).toBe(4401);
    expect(l2.messages).toEqual([]);
  });

  it('a message over the size limit or not a call closes the socket; the till goes on', async () => {
    const a = await authed();
    const la = listen(a.ws);
    a.ws.send(JSON.stringify({ id: 9, name: 'cart.setNote', input: { lineId: 'x', note: 'x'.repeat(300 * 1024) } }));
    expect(await la.closed).toBe(1009); // message too big
    const b = await authed();
    const lb = listen(b.ws);
    b.ws.send('not json');
    expect(await lb.closed).toBe(4400);
    expect((await host.api('auth.users')).body.ok).toBe(true);
  });
});
