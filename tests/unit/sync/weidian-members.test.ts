// Small pieces of the Weidian wire and the members matching: Beijing times both ways, phone numbers in
// the forms shops type them, and Weidian answers (from a one-answer local server) that must be refused as malformed rather than guessed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SyncError } from '../../../electron/sync/connector';
import { normalizePhone } from '../../../electron/sync/members-phone';
import { parseWeidianTime, WeidianClient, weidianTime } from '../../../electron/sync/weidian/wire';

describe('phone numbers for matching members', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
  ])('%s → %s', (raw, want) => expect(normalizePhone(raw)).toBe(want));

  it.each(['', null, '1381234567', '23812345678', '021-12345678', '138123456789'])('%s is not a mobile number', (raw) => expect(normalizePhone(raw)).toBeNull());
});

describe('Weidian times', () => {
  it('are Beijing wall time, whole seconds, both ways', () => {
    const ms = Date.UTC(2026, 10, 30, 16, 30, 5);
    expect(weidianTime(ms)).toBe('2026-12-01 00:30:05');
    expect(parseWeidianTime('2026-12-01 00:30:05')).toBe(ms);
    expect(() => parseWeidianTime('2026-12-01T00:30:05Z')).toThrow();
  });
});

/** A one-answer server: the token is granted, every /api call gets `answer`. */
async function withAnswer(answer: string, f: (c: WeidianClient) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(req.url?.startsWith('/token') ? JSON.stringify({ result: { access_token: 't', expire_in: 7200 }, status: { status_code: 0, status_reason: '' } }) : answer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    await f(new WeidianClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, appKey: 'k', secret: 's', timeoutMs: 2_000 }));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
const kind = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof SyncError ? `${e.kind}:${e.code}` : String(e)));
const list = (c: WeidianClient) => c.listOrders({ startMs: 0, endMs: 1000, pageNum: 1, pageSize: 100 });
const ok = (result: unknown) => JSON.stringify({ result, status: { status_code: 0, status_reason: '' } });
const order = { order_id: '7001', status: 'pend', express_type: 0, total: '3.50', add_time: '2026-11-30 10:00:00', update_time: '2026-11-30 10:00:00', items: [{ item_id: '1', sku_id: '2', quantity: 1 }] };

describe('Weidian answers that cannot be read are bad_response, never guessed', () => {
  it.each([
    ['no status', JSON.stringify({ result: {} })],
    ['not JSON', '<html>'],
    ['no orders list', ok({ total_num: 1 })],
    ['an order without items', ok({ orders: [{ ...order, items: undefined }], total_num: 1 })],
    ['an order without id', ok({ orders: [{ ...order, order_id: undefined }], total_num: 1 })],
    ['an amount that is not yuan', ok({ orders: [{ ...order, total: '3,50' }], total_num: 1 })],
    ['a quantity of 0', ok({ orders: [{ ...order, items: [{ item_id: '1', quantity: 0 }] }], total_num: 1 })],
    ['a time in another form', ok({ orders: [{ ...order, update_time: '1764468000' }], total_num: 1 })],
  ])('%s', async (_what, answer) => {
    await withAnswer(answer, async (c) => expect(await kind(list(c))).toBe('bad_response:MALFORMED'));
  });

  it('a well-formed order reads, an unknown status code is a refusal', async () => {
    await withAnswer(ok({ orders: [order], total_num: 1 }), async (c) => expect((await list(c)).orders[0]).toMatchObject({ orderId: '7001', totalFen: 350, items: [{ itemId: '1', skuId: '2', quantity: 1 }] }));
    await withAnswer(JSON.stringify({ result: null, status: { status_code: 10099, status_reason: '未知' } }), async (c) => expect(await kind(list(c))).toBe('refused:10099'));
  });
});
