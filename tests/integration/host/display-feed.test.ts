// The customer display's state goes to paired customer displays only (issue 12): it was written to
// every connected window, the cashier's included (the browser host's /api/events stream and every
// Electron window), though only the display shows it. Now the display token's stream (/display/events)
// and Electron's display window get it; the cashier's streams and windows get every other event.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CustomerDisplayState } from '../../../shared/api/devices';
import { startHttpHost, type HttpHost } from '../../../electron/host/http';
import { tempTill, type TempTill } from '../../support/temp-till';

vi.mock('electron', () => ({ ipcMain: { handle: () => undefined, removeHandler: () => undefined } }));

let t: TempTill | undefined;
let host: HttpHost | undefined;
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await host?.close();
  host = undefined;
  t?.cleanup();
});

const DISPLAY_TOKEN = 'd'.repeat(32);
const state = (shopName: string): CustomerDisplayState => ({
  phase: 'idle', shopName, lines: [], focusLineId: null, itemCount: 0, originalFen: 0, discountFen: 0, totalFen: 0,
  member: null, paying: null, done: null, at: 0,
});

/** Opens an SSE stream; `read(until)` then reads it until `until` shows up and returns all it read. */
async function openStream(url: string, headers: Record<string, string>) {
  const ac = new AbortController();
  aborts.push(ac);
  const res = await fetch(url, { headers, signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = new TextDecoder().decode((await reader.read()).value); // ": connected": the host holds the stream
  return {
    async read(until: string): Promise<string> {
      while (!text.includes(until)) text += new TextDecoder().decode((await reader.read()).value);
      return text;
    },
  };
}

describe('customer display feed', () => {
  it('the browser host writes the display state to the display token’s stream only', async () => {
    t = tempTill();
    host = await startHttpHost({ till: t.till, registry: t.registry, port: 0, displayToken: DISPLAY_TOKEN });
    const h = host;
    const till = t.till;
    // The cashier's stream, opened with the till token, and the paired display's stream.
    const cashier = await openStream(`${h.url}/api/events?token=${h.token}`, {});
    const display = await openStream(`${h.url}/display/events`, { 'x-display-token': DISPLAY_TOKEN });
    till.events.emit('customerDisplay', state('display-sentinel'));
    till.events.emit('printer', { role: 'receipt', state: 'ok', message: 'printer-sentinel' });
    till.events.emit('customerDisplay', state('display-end'));
    const c = await cashier.read('printer-sentinel');
    const d = await display.read('display-end');
    expect(c).toContain('event: printer');
    expect(c).not.toContain('event: customerDisplay');
    expect(c).not.toContain('display-sentinel');
    expect(d).toContain('event: customerDisplay');
    expect(d).not.toContain('printer-sentinel');
  });

  it('a connection without the display token gets no display stream', async () => {
    t = tempTill();
    host = await startHttpHost({ till: t.till, registry: t.registry, port: 0, displayToken: DISPLAY_TOKEN });
    const wrong = await fetch(`${host.url}/display/events`, { headers: { 'x-display-token': host.token } });
    expect(wrong.status).not.toBe(200);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('NO_TOKEN');
  });

  it('Electron sends the display state to the display window only, every other event to the cashier’s', async () => {
    const { bindIpc } = await import('../../../electron/host/ipc');
    t = tempTill();
    const sent = { cashier: [] as string[], display: [] as string[] };
    const wc = (into: string[]) => ({ isDestroyed: () => false, send: (_ch: string, name: string) => into.push(name) });
    const unbind = bindIpc(
      t.registry,
      t.till,
      'file://',
      () => [wc(sent.cashier)] as never,
      () => [wc(sent.display)] as never,
    );
    try {
      t.till.events.emit('customerDisplay', state('x'));
      t.till.events.emit('printer', { role: 'receipt', state: 'ok', message: 'ok' });
      expect(sent.cashier).toEqual(['printer']);
      expect(sent.display).toEqual(['customerDisplay']);
    } finally {
      unbind();
    }
  });
});
