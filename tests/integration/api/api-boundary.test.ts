// The API boundary of the browser host: every handler refuses malformed input with a clear Chinese
// error; oversized, unknown and unauthenticated requests are refused; foreign Origin and Host too.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../../electron/host/http';
import { z } from 'zod';
import { api } from '../../../shared/api';
import { tempTill, type TempTill } from '../../support/temp-till';

let t: TempTill;
let host: HttpHost;

beforeAll(async () => {
  t = tempTill();
  host = await startHttpHost({ till: t.till, registry: t.registry });
  await t.loginAs('owner'); // the highest role, so only the input is in question below
});
afterAll(async () => {
  await host.close();
  t.cleanup();
});

/** A raw HTTP request, so Host and Origin can be anything (fetch would not allow it). */
function raw(opts: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer }) {
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path: opts.path, method: opts.method ?? 'POST', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const good = () => ({ host: `127.0.0.1:${host.port}`, 'content-type': 'application/json', 'x-till-token': host.token });
const post = (name: string, body: string | Buffer, headers: Record<string, string> = good()) => raw({ path: `/api/${name}`, headers, body });
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/**
 * What a cashier must never read in a refusal: a field path (payments.0.amountFen), a field's code
 * name, or zod's schema words (期望 number, 实际接收 string, 未知的键).
 */
function expectSentence(message: string, where: string, path: readonly PropertyKey[] = []): void {
  expect(hasChinese(message), where).toBe(true);
  expect(message, where).not.toMatch(/[A-Za-z_]\w*\.\w/); // a dotted path
  expect(message, where).not.toMatch(/期望|实际接收|未知的键|<=|>=/);
  for (const k of path) if (typeof k === 'string') expect(message, where).not.toContain(k);
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  format?: string;
};

/** A value of the schema's shape (not necessarily valid: patterns and refinements are not followed). */
function sample(s: JsonSchema): unknown {
  const alt = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alt?.length) return sample(alt[0]);
  if ('const' in s) return s.const;
  if (s.enum?.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object') return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v)]));
  if (type === 'array') return s.items ? [sample(s.items)] : [];
  if (type === 'number' || type === 'integer') return s.minimum ?? 1;
  if (type === 'boolean') return true;
  if (type === 'string') return s.format === 'uuid' ? '0190a0b0-0000-7000-8000-000000000000' : 'T01';
  return null;
}

/** Every leaf of `value` with its path. */
function leaves(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

function withLeaf(body: unknown, path: (string | number)[], leaf: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]] = leaf;
  return copy;
}

/** Bodies of the endpoint's shape with one field wrong each: too big, the wrong type, too long. */
function brokenBodies(name: keyof typeof api): unknown[] {
  const shape = sample(z.toJSONSchema(api[name].input, { io: 'input' }) as JsonSchema);
  const out: unknown[] = [];
  for (const { path, value } of leaves(shape)) {
    if (!path.length) continue;
    const bad = typeof value === 'number' ? [1e15, -1e15, 1.5, 'x'] : typeof value === 'string' ? [12345, 'x'.repeat(5000), ''] : ['x', 12345];
    for (const b of bad) out.push(withLeaf(shape, path, b));
  }
  // Only what the boundary refuses: a body its schema takes would run the handler.
  return out.filter((b) => !api[name].input.safeParse(b).success);
}

describe('API boundary', () => {
  const names = Object.keys(api);

  it('implements every declared endpoint and lists them with their input JSON schema', async () => {
    expect(t.registry.missing()).toEqual([]);
    const r = await raw({ path: '/api', method: 'GET', headers: good() });
    expect(r.status).toBe(200);
    const listed = r.json.result.map((e: { name: string }) => e.name).sort();
    expect(listed).toEqual([...names].sort());
    const lookup = r.json.result.find((e: { name: string }) => e.name === 'catalog.lookup');
    expect(lookup.input.properties.code.type).toBe('string');
    expect(lookup.input.required).toContain('code');
  });

  it.each(Object.keys(api))('%s refuses malformed input with a Chinese message and changes nothing', async (name) => {
    const before = t.till.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number };
    for (const body of ['"just a string"', '[1,2,3]', '{"__bogus_field__": {"deep": [1]}}', '{"code": 12, "q": [], "pin": 1234, "userId": null}']) {
      const r = await post(name, body);
      expect(r.status, `${name} ${body}`).toBe(400);
      expect(r.json.ok).toBe(false);
      expect(r.json.error.code).toBe('BAD_INPUT');
      expect(hasChinese(r.json.error.message)).toBe(true);
      expect(r.json.error.message).not.toMatch(/at .*\.ts|Error:/); // never a stack trace
      expectSentence(r.json.error.message, `${name} ${body}`);
    }
    const after = t.till.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number };
    expect(after.n).toBe(before.n);
  });

  it.each(Object.keys(api) as (keyof typeof api)[])('%s words every refusal of a wrong field as a sentence (no path, no schema text)', async (name) => {
    const before = t.till.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number };
    for (const body of brokenBodies(name)) {
      const r = await t.registry.call(name, body);
      const where = `${name} ${JSON.stringify(body).slice(0, 160)}`;
      expect(r.ok, where).toBe(false);
      if (r.ok) continue;
      expect(r.error.code, where).toBe('BAD_INPUT');
      const issues = (r.error.details as { issues: { path: PropertyKey[]; message: string }[] }).issues;
      expect(issues.length, where).toBeGreaterThan(0); // the path and zod's words stay in details
      expectSentence(r.error.message, where, issues[0].path);
    }
    const after = t.till.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number };
    expect(after.n).toBe(before.n);
  });

  it('a scanned payment code typed as cash is refused as 金额超出范围; the path stays in details (issue 12)', async () => {
    const r = await post('sales.pay', JSON.stringify({ requestId: '0190a0b0-0000-7000-8000-000000000000', payments: [{ method: 'cash', amountFen: 134567890100 }] }));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe('金额超出范围');
    expect(r.json.error.details.issues[0].path).toEqual(['payments', 0, 'amountFen']);
    const typo = await post('cart.setQty', JSON.stringify({ lineId: 'x', qty: 'two' }));
    expect(typo.json.error.message).toBe('数量须为数字');
  });

  it('refuses broken JSON', async () => {
    const r = await post('catalog.lookup', '{"code": ');
    expect(r.status).toBe(400);
    expect(r.json.error).toEqual({ code: 'BAD_JSON', message: '请求内容不是有效的 JSON' });
  });

  it('refuses an oversized body before reading it all', async () => {
    const r = await post('catalog.search', JSON.stringify({ q: 'x'.repeat(300 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('TOO_LARGE');
    expect(hasChinese(r.json.error.message)).toBe(true);
  });

  it('refuses a declared oversized body without reading it', async () => {
    const body = JSON.stringify({ q: 'y'.repeat(400 * 1024) });
    const r = await post('catalog.search', body, { ...good(), 'content-length': String(Buffer.byteLength(body)) });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('TOO_LARGE');
  });

  it('refuses an unknown handler', async () => {
    const r = await post('sales.deleteEverything', '{}');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('UNKNOWN_HANDLER');
    expect(r.json.error.message).toContain('没有这个接口');
  });

  it('refuses a request without the token or with a wrong one', async () => {
    const { 'x-till-token': _omit, ...noToken } = good();
    const r1 = await post('auth.users', '{}', noToken);
    expect(r1.status).toBe(401);
    expect(r1.json.error.code).toBe('NO_TOKEN');
    const r2 = await post('auth.users', '{}', { ...good(), 'x-till-token': 'f'.repeat(48) });
    expect(r2.status).toBe(401);
    const r3 = await raw({ path: '/api', method: 'GET', headers: { host: `127.0.0.1:${host.port}` } });
    expect(r3.status).toBe(401);
    const r4 = await raw({ path: '/api/events', method: 'GET', headers: { host: `127.0.0.1:${host.port}` } });
    expect(r4.status).toBe(401);
  });

  it('refuses a foreign Origin, even with the token', async () => {
    const r = await post('auth.users', '{}', { ...good(), origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('BAD_ORIGIN');
    const same = await post('auth.users', '{}', { ...good(), origin: `http://127.0.0.1:${host.port}` });
    expect(same.status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding), even with the token', async () => {
    const r = await post('auth.users', '{}', { ...good(), host: `evil.example:${host.port}` });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('BAD_HOST');
  });

  it('refuses a form post (no JSON content type) so a web page cannot call it', async () => {
    const r = await post('auth.users', 'a=1', { ...good(), 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
  });

  it('refuses GET on a handler', async () => {
    const r = await raw({ path: '/api/auth.users', method: 'GET', headers: good() });
    expect(r.status).toBe(405);
  });

  it('a refused cashier action returns FORBIDDEN, checked in the main process', async () => {
    await t.call('auth.logout');
    await t.loginAs('cashier');
    const managerOnly = Object.entries(api).filter(([, d]) => d.role === 'manager' || d.role === 'owner');
    for (const [name] of managerOnly) {
      const r = await post(name, '{}');
      expect(r.status, name).toBe(403);
      expect(r.json.error.code).toBe('FORBIDDEN');
    }
    await t.call('auth.logout');
    await t.loginAs('owner');
  });

  it('pushes events over SSE with the token', async () => {
    const res = await fetch(`${host.url}/api/events?token=${host.token}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    t.till.events.emit('scan', { code: '6920000010001', source: 'serial' });
    let text = '';
    while (!text.includes('\n\n') || !text.includes('event: scan')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: scan');
    expect(text).toContain('"code":"6920000010001"');
    await reader.cancel();
  });
});
