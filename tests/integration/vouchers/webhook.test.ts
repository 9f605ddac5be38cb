// Douyin 来客 pushes from the simulator to a receiver built on electron/vouchers/douyin/webhook.ts: the
// URL check's challenge answered, a good signature accepted, a bad one refused, the same Msg-Id twice
// (concurrently) seen once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BadPush, createDouyinWebhook, type DouyinPush } from '../../../electron/vouchers/douyin/webhook';
import { DouyinLifeFake } from '../../fakes/douyin-life';

let fake: DouyinLifeFake;
let server: Server;
let url = '';
const got: DouyinPush[] = [];

beforeAll(async () => {
  fake = await DouyinLifeFake.start();
  const check = createDouyinWebhook(fake.clientSecret);
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const p = check(Buffer.concat(chunks), req.headers);
      got.push(p);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(p.kind === 'challenge' ? p.reply : { ok: true }));
    } catch (e) {
      res.writeHead(e instanceof BadPush ? 401 : 500);
      res.end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/douyin`;
});
afterAll(async () => {
  await fake.close();
  await new Promise<void>((r) => server.close(() => r()));
});

it('challenge, good and bad signatures, duplicate Msg-Id', async () => {
  const v = fake.addVoucher({ title: 'x', unitValueFen: 100 });
  expect((await fake.push({ url, challenge: 12345 }))[0]).toEqual({ status: 200, body: '{"challenge":12345}' });
  expect((await fake.push({ url, action: 'verify' }))[0].status).toBe(200);
  expect((await fake.push({ url, action: 'verify', badSignature: true }))[0].status).toBe(401);
  const dup = await fake.push({ url, action: 'verify_cancel', duplicate: true });
  expect(dup.map((d) => d.status)).toEqual([200, 200]);
  const certs = got.filter((g): g is Extract<DouyinPush, { kind: 'certificate' }> => g.kind === 'certificate');
  expect(certs).toHaveLength(3);
  expect(certs[0]).toMatchObject({ action: 'verify', orderId: v.orderId, duplicate: false });
  expect(certs.slice(1).map((c) => c.duplicate).sort()).toEqual([false, true]);
});
