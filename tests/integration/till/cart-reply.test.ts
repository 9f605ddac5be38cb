// What a change sends back (issue 12 item 11): a caller that says which cart version it shows gets
// only what changed; one that missed a change, or shows another cart, gets the whole view. And a
// cart change commits without an fsync while everything else keeps synchronous=FULL.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartPatch, CartView } from '../../../shared/api/cart';
import { makeEan13 } from '../../../shared/barcode';
import { applyPatch } from '../../../shared/cart-patch';
import { demoBarcode } from '../../../electron/till/seed';
import { startHttpHost } from '../../../electron/host/http';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartPatch, cartView, refusal } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

const codes = Array.from({ length: 12 }, (_, i) => demoBarcode(i + 1));

async function open(): Promise<TempTill> {
  t = tempTill();
  await t.loginAs('cashier');
  await t.call('shift.open', { openingCashFen: 50000 });
  return t;
}

describe('cart replies', () => {
  it('answers the version shown with a patch that rebuilds the next view exactly', async () => {
    const tt = await open();
    let shown = await tt.call('cart.get');
    expect(shown.version).toBe(0);
    for (const code of codes) {
      const r = cartPatch(await tt.call('cart.scan', { code, known: { id: shown.id, version: shown.version } }));
      expect(r.patch).toBe(true);
      expect(r.from).toBe(shown.version);
      expect(r.changed.map((c) => c.line.scannedCode)).toContain(code);
      shown = applyPatch(shown, r)!;
      expect(shown).toEqual(await tt.call('cart.get'));
    }
    const line = shown.lines[3];
    const qty = cartPatch(await tt.call('cart.setQty', { lineId: line.id, qty: 5000, known: { id: shown.id, version: shown.version } }));
    expect(qty.changed.map((c) => c.line.id)).toContain(line.id);
    shown = applyPatch(shown, qty)!;
    const removed = cartPatch(await tt.call('cart.removeLine', { lineId: line.id, known: { id: shown.id, version: shown.version } }));
    expect(removed.removed).toEqual([line.id]);
    shown = applyPatch(shown, removed)!;
    expect(shown).toEqual(await tt.call('cart.get'));
  });

  it('answers the whole view to a caller that missed a change, shows another cart, or says nothing', async () => {
    const tt = await open();
    const v0 = await tt.call('cart.get');
    await tt.call('cart.scan', { code: codes[0] }); // a change this caller did not see (another window, a lost reply)
    const stale = await tt.call('cart.scan', { code: codes[1], known: { id: v0.id, version: v0.version } });
    expect('patch' in stale).toBe(false);
    expect(cartView(stale).lines).toHaveLength(2);
    expect(cartView(stale).version).toBe(2);
    const other = await tt.call('cart.scan', { code: codes[2], known: { id: 'another-cart', version: 2 } });
    expect(cartView(other).lines).toHaveLength(3);
    expect('patch' in (await tt.call('cart.scan', { code: codes[3] }))).toBe(false);
    // A refused change answers a refusal and leaves the version where it was.
    expect((await refusal(tt.call('cart.scan', { code: makeEan13('699999999999'), known: { id: v0.id, version: 4 } }))).code).toBe('UNKNOWN_BARCODE');
    expect((await tt.call('cart.get')).version).toBe(4);
  });

  it('commits cart changes without an fsync and leaves the connection at synchronous=FULL for sales', async () => {
    const tt = await open();
    const mode = () => tt.till.sqlite.pragma('synchronous', { simple: true }) as number;
    const seen: number[] = []; // synchronous as each transaction starts
    const tx = tt.till.tx.bind(tt.till);
    tt.till.tx = <T>(fn: () => T): T => {
      seen.push(mode());
      return tx(fn);
    };
    await tt.call('cart.scan', { code: codes[0] });
    expect(seen).toEqual([1]); // NORMAL
    expect(mode()).toBe(2); // FULL again
    seen.length = 0;
    await refusal(tt.call('cart.setQty', { lineId: 'gone', qty: 1000 })); // refused inside the transaction
    expect(seen).toEqual([1]);
    expect(mode()).toBe(2);
    seen.length = 0;
    await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((m) => m === 2)).toBe(true); // a sale waits for the disk
  });

  it('never sends the whole cart to the windows as an event on each change (main-side listeners only)', async () => {
    const tt = await open();
    const host = await startHttpHost({ till: tt.till, registry: tt.registry, port: 0 });
    const ac = new AbortController();
    try {
      const res = await fetch(`${host.url}/api/events?token=${host.token}`, { signal: ac.signal });
      const reader = res.body!.getReader();
      const seenInProcess: string[] = [];
      tt.till.events.onAny((name) => seenInProcess.push(name));
      const scanned = await fetch(`${host.url}/api/cart.scan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-till-token': host.token },
        body: JSON.stringify({ code: codes[0] }),
      });
      expect(((await scanned.json()) as { ok: boolean }).ok).toBe(true);
      tt.till.events.emit('printer', { role: 'receipt', state: 'ok', message: 'sentinel' }); // forwarded: marks the end
      let text = '';
      while (!text.includes('sentinel')) text += new TextDecoder().decode((await reader.read()).value);
      expect(seenInProcess).toContain('cart'); // the customer display feed still hears it
      expect(text).toContain('event: printer');
      expect(text).not.toContain('event: cart');
    } finally {
      ac.abort();
      await host.close();
    }
  });
});
