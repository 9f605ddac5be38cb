// Wire details that need no server: Doudian's canonical param_json and signature, Youzan's times and
// yuan amounts, the backoff and the rate limiter.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffDelay, RateLimiter, seededRandom } from '../../../electron/sync/backoff';
import { bigNumber, canonicalJson, id, parseLossless } from '../../../electron/sync/canonical-json';
import { doudianMethod, doudianSign, doudianSignString } from '../../../electron/sync/doudian/wire';
import { parseYouzanTime, youzanTime, yuanToFen } from '../../../electron/sync/youzan/wire';

describe('Doudian canonical param_json', () => {
  it('sorts keys at every level, keeps array order, writes no spaces and no HTML escapes', () => {
    const v = { z: 1, a: { y: [3, { d: 1, c: 2 }], b: '<&>' }, m: true, skip: undefined };
    expect(canonicalJson(v)).toBe('{"a":{"b":"<&>","y":[3,{"c":2,"d":1}]},"m":true,"z":1}');
  });

  it('writes a 19-digit id as the bare number it is, and reads one back without rounding', () => {
    const s = canonicalJson({ product_id: bigNumber('3589123456789012345') });
    expect(s).toBe('{"product_id":3589123456789012345}');
    expect(String(JSON.parse(s).product_id)).not.toBe('3589123456789012345'); // JSON.parse rounds it
    expect(id((parseLossless(s) as Record<string, unknown>).product_id)).toBe('3589123456789012345');
  });

  it('escapes U+2028 and U+2029 as the Go SDK does', () => {
    expect(canonicalJson({ t: 'a\u2028b\u2029' })).toBe('{"t":"a\\u2028b\\u2029"}');
  });
});

describe('Doudian signature', () => {
  it('method is the path dotted; the signed string wraps app_key…v2 in the secret; HMAC-SHA256 hex', () => {
    expect(doudianMethod('/sku/syncStock')).toBe('sku.syncStock');
    expect(doudianMethod('/order/searchList')).toBe('order.searchList');
    const pj = '{"incremental":true,"stock_num":-2}';
    const s = doudianSignString('7001', 'sec', 'sku.syncStock', pj, '1796000000');
    expect(s).toBe(`secapp_key7001methodsku.syncStockparam_json${pj}timestamp1796000000v2sec`);
    expect(doudianSign('7001', 'sec', 'sku.syncStock', pj, '1796000000')).toBe(createHmac('sha256', 'sec').update(s).digest('hex'));
    expect(doudianSign('7001', 'sec', 'sku.syncStock', pj, '1796000001')).not.toBe(doudianSign('7001', 'sec', 'sku.syncStock', pj, '1796000000'));
  });
});

describe('Youzan values', () => {
  it('times are Beijing wall clock, both ways', () => {
    const ms = Date.UTC(2026, 10, 30, 16, 30, 5); // 00:30:05 the next day in Beijing
    expect(youzanTime(ms)).toBe('2026-12-01 00:30:05');
    expect(parseYouzanTime('2026-12-01 00:30:05')).toBe(ms);
    expect(() => parseYouzanTime('2026-12-01T00:30:05Z')).toThrow();
  });

  it('yuan strings become exact fen', () => {
    expect([yuanToFen('12.50'), yuanToFen('0.1'), yuanToFen('19.99'), yuanToFen(3), yuanToFen('-1.05')]).toEqual([1250, 10, 1999, 300, -105]);
    expect(() => yuanToFen('1.005')).toThrow();
    expect(() => yuanToFen('abc')).toThrow();
  });
});

describe('backoff and rate limit', () => {
  it('backoff grows exponentially to its cap, with jitter in [half, full], replayable from the seed', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };
    const a = seededRandom(7);
    const b = seededRandom(7);
    const delays = [1, 2, 3, 4, 10].map((n) => backoffDelay(n, policy, a));
    expect(delays).toEqual([1, 2, 3, 4, 10].map((n) => backoffDelay(n, policy, b)));
    [1_000, 2_000, 4_000, 8_000, 60_000].forEach((full, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(full / 2);
      expect(delays[i]).toBeLessThanOrEqual(full);
    });
  });

  it('the token bucket lets perSecond calls through a second on its clock, and a pause holds it', () => {
    let now = 0;
    const rl = new RateLimiter(5, 5, () => now);
    expect(Array.from({ length: 7 }, () => rl.tryTake())).toEqual([true, true, true, true, true, false, false]);
    expect(rl.waitMs()).toBe(200);
    now += 200;
    expect(rl.tryTake()).toBe(true);
    rl.pause(2_000);
    now += 1_999;
    expect(rl.tryTake()).toBe(false);
    now += 201;
    expect(rl.tryTake()).toBe(true);
  });
});
