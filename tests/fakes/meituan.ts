// A local Meituan / Dianping group-buy voucher simulator, the legacy Dianping open platform that most
// POS vendors use (../shared/PLATFORMS.md §4 (a), §0): form POSTs signed with md5(app_secret + k1v1k2v2…
// (sorted by key, `sign` left out) + app_secret), checked from the raw body; receipt/prepare → consume
// deduplicated on `requestid`, getconsumed, reverseconsume; faults through a control API. Runnable alone:
//   node --import tsx tests/fakes/meituan.ts --port 8722
//
// Platform API (application/x-www-form-urlencoded; public params app_key, timestamp, session, format, v,
// sign_method=MD5, sign):
//   POST /router/tuangou/receipt/prepare          open_shop_uuid, receipt_code
//        → {code:200, msg, data:{count, receipt_code, deal_id, dealgroup_id, deal_title, deal_price, deal_marketprice, receiptEndDate}}
//   POST /router/tuangou/receipt/consume          requestid, receipt_code, count, open_shop_uuid, app_shop_account, app_shop_accountname
//        → {code:200, data:[{order_id, receipt_code, deal_id, dealgroup_id, deal_title, deal_price, deal_marketprice}…]}
//        the same requestid again returns the first answer (another body with it is refused)
//   POST /router/tuangou/receipt/getconsumed      receipt_code, open_shop_uuid → the consumption, or an error
//   POST /router/tuangou/receipt/reverseconsume   receipt_code, app_deal_id, open_shop_uuid, app_shop_account, app_shop_accountname
// Success is code 200. Business error codes, the undo window and rate limits are UNVERIFIED (PLATFORMS §4,
// §8): they are named constants here (MEITUAN_ERR, REVERSE_WINDOW_MS) and in the client's wire module.
//
// Control API (JSON):
//   POST   /__admin/vouchers   {title, unitValueFen, uses?, expiresInSeconds?} → {code, dealId}
//   PUT    /__admin/scenario   {"rules":[Rule…]} (?append=1); GET reads; DELETE clears
//   POST   /__admin/clock      {"advanceSeconds":n};  GET /__admin/clock
//   GET    /__admin/state      codes with uses left and consumptions, `appliedConsumes` (uses redeemed)
//   GET    /__admin/requests   the last requests;  POST /__admin/reset
// Rule: {op: prepare|consume|getconsumed|reverse|any, times?=1, fault: timeout (applied, answer held delayMs
//   then sent) | drop (applied, connection destroyed) | server_error (500, not applied) | bad_session}
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cliArg, closeOnSignals, HttpFake, pushCapped, readBody, RuleQueue, runIfMain, sendJson } from './http-fake';

// UNVERIFIED (PLATFORMS §8): no primary source gives these numbers; the client reads any code ≠ 200 as a refusal.
export const MEITUAN_ERR = {
  badSign: 603,
  badSession: 608,
  missingParam: 602,
  notFound: 1001,
  alreadyUsed: 1002,
  expired: 1003,
  notEnough: 1004,
  requestIdReused: 1005,
  reverseWindow: 1006,
  notConsumed: 1007,
} as const;
/** UNVERIFIED: the window in which a consumption may be reversed (the till uses the same figure). */
export const REVERSE_WINDOW_MS = 3600_000;

type Op = 'prepare' | 'consume' | 'getconsumed' | 'reverse';
interface Rule {
  op: Op | 'any';
  times: number;
  fault: 'timeout' | 'drop' | 'server_error' | 'bad_session';
  delayMs?: number;
}
export type MeituanScenarioRule = Partial<Rule> & Pick<Rule, 'fault'>;

export interface FakeReceipt {
  code: string;
  dealId: number;
  dealgroupId: number;
  title: string;
  unitValueFen: number;
  uses: number;
  used: number;
  expireTime: number;
  consumptions: { requestid: string; count: number; at: number; orderId: string; reversed: boolean }[];
}

class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status = 200,
  ) {
    super(message);
  }
}

export class MeituanFake extends HttpFake {
  readonly appKey: string;
  readonly appSecret: string;
  readonly session: string;
  readonly openShopUuid: string;
  private receipts = new Map<string, FakeReceipt>();
  /** consume answers by requestid (with the body they were first sent with). */
  private consumed = new Map<string, { params: string; answer: unknown }>();
  private scenario = new RuleQueue<MeituanScenarioRule, Rule>((r) => ({ op: r.op ?? 'any', times: r.times ?? 1, fault: r.fault, delayMs: r.delayMs }));
  private log: { at: number; path: string; op?: string; code?: number; fault?: string }[] = [];
  /** Uses redeemed by consume calls that took effect (replays do not count again). */
  appliedConsumes = 0;

  private constructor(opts: { appKey?: string; appSecret?: string; session?: string; openShopUuid?: string }) {
    super();
    this.appKey = opts.appKey ?? 'mtapp0001';
    this.appSecret = opts.appSecret ?? randomBytes(16).toString('hex');
    this.session = opts.session ?? `sess${randomBytes(12).toString('hex')}`;
    this.openShopUuid = opts.openShopUuid ?? randomBytes(12).toString('hex');
  }

  static async start(opts: { port?: number; appKey?: string; appSecret?: string; session?: string; openShopUuid?: string } = {}): Promise<MeituanFake> {
    return new MeituanFake(opts).listen(opts.port);
  }

  setScenario(rules: MeituanScenarioRule | MeituanScenarioRule[], append = false): void {
    this.scenario.set(rules, append);
  }

  /** A receipt code (12 digits, not a valid UPC-A, so no scanner reads it as a product) for `uses` uses. */
  addVoucher(v: { title: string; unitValueFen: number; uses?: number; expiresInSeconds?: number }): { code: string; dealId: number } {
    let code: string;
    do code = `${randomInt(1, 10)}${digits(11)}`;
    while (upcValid(code) || this.receipts.has(code));
    const dealId = randomInt(100000, 999999);
    this.receipts.set(code, {
      code, dealId, dealgroupId: dealId * 10, title: v.title, unitValueFen: v.unitValueFen, uses: v.uses ?? 1, used: 0,
      expireTime: this.now() + (v.expiresInSeconds ?? 30 * 86_400) * 1000, consumptions: [],
    });
    return { code, dealId };
  }

  state(): { nowMs: number; appliedConsumes: number; receipts: FakeReceipt[] } {
    return { nowMs: this.now(), appliedConsumes: this.appliedConsumes, receipts: [...this.receipts.values()].map((r) => structuredClone(r)) };
  }

  requests() {
    return this.log.slice();
  }

  /** The platform forgets the requestids it deduplicates on (a retry long after is a new consume). */
  forgetRequestIds(): void {
    this.consumed.clear();
  }

  reset(): void {
    this.receipts.clear();
    this.consumed.clear();
    this.scenario.clear();
    this.log = [];
    this.clock.reset();
    this.appliedConsumes = 0;
  }

  // ---- HTTP ----

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__admin/')) return this.admin(method, url, raw, res);

    const entry: (typeof this.log)[number] = { at: this.now(), path: url.pathname };
    pushCapped(this.log, entry, 500);
    const op = OPS[url.pathname] ?? null;
    entry.op = op ?? undefined;
    const rule = op ? this.scenario.take(op) : undefined;
    entry.fault = rule?.fault;

    let status = 200;
    let body: unknown;
    try {
      if (method !== 'POST' || !op) throw new Refusal(404, `未知接口 ${method} ${url.pathname}`, 404);
      if (rule?.fault === 'server_error') throw new Refusal(500, '系统繁忙', 500);
      // The signed form, read from the raw bytes exactly as sent.
      const params = new URLSearchParams(raw.toString('utf8'));
      this.checkSign(params);
      if (rule?.fault === 'bad_session' || params.get('session') !== this.session) throw new Refusal(MEITUAN_ERR.badSession, 'session 无效或已过期，请重新授权');
      if (params.get('open_shop_uuid') !== this.openShopUuid) throw new Refusal(MEITUAN_ERR.missingParam, '门店 open_shop_uuid 错误');
      const data = op === 'prepare' ? this.prepare(params) : op === 'consume' ? this.consume(params) : op === 'getconsumed' ? this.getConsumed(params) : this.reverse(params);
      body = { code: 200, msg: 'success', data };
    } catch (e) {
      const r = e instanceof Refusal ? e : new Refusal(500, e instanceof Error ? e.message : String(e), 500);
      status = r.status;
      entry.code = r.code;
      body = { code: r.code, msg: r.message };
    }
    this.deliver(req, res, rule, () => sendJson(res, status, body));
  }

  private checkSign(params: URLSearchParams): void {
    for (const k of ['app_key', 'timestamp', 'session', 'format', 'v', 'sign_method', 'sign']) {
      if (!params.get(k)) throw new Refusal(MEITUAN_ERR.missingParam, `缺少公共参数 ${k}`);
    }
    if (params.get('app_key') !== this.appKey) throw new Refusal(MEITUAN_ERR.badSign, 'app_key 不存在');
    const expected = meituanSign([...params.entries()].filter(([k]) => k !== 'sign'), this.appSecret);
    if (params.get('sign') !== expected) throw new Refusal(MEITUAN_ERR.badSign, '签名错误');
  }

  private receipt(params: URLSearchParams): FakeReceipt {
    const code = params.get('receipt_code') ?? '';
    const r = this.receipts.get(code);
    if (!r) throw new Refusal(MEITUAN_ERR.notFound, '券码不存在');
    return r;
  }

  private dealOf(r: FakeReceipt) {
    return { receipt_code: r.code, deal_id: r.dealId, dealgroup_id: r.dealgroupId, deal_title: r.title, deal_price: r.unitValueFen / 100, deal_marketprice: r.unitValueFen / 100 };
  }

  private prepare(params: URLSearchParams) {
    const r = this.receipt(params);
    if (r.used >= r.uses) throw new Refusal(MEITUAN_ERR.alreadyUsed, '券码已使用');
    if (this.now() > r.expireTime) throw new Refusal(MEITUAN_ERR.expired, '券码已过期');
    return { ...this.dealOf(r), count: r.uses - r.used, receiptEndDate: r.expireTime };
  }

  private consume(params: URLSearchParams) {
    const requestid = params.get('requestid') ?? '';
    if (!requestid) throw new Refusal(MEITUAN_ERR.missingParam, '缺少 requestid');
    const body = JSON.stringify([...params.entries()].filter(([k]) => !PUBLIC.has(k)).sort(([a], [b]) => (a < b ? -1 : 1)));
    const earlier = this.consumed.get(requestid);
    if (earlier) {
      if (earlier.params !== body) throw new Refusal(MEITUAN_ERR.requestIdReused, 'requestid 已用于另一次验券');
      return earlier.answer; // the platform deduplicates on requestid
    }
    const r = this.receipt(params);
    const count = Number(params.get('count'));
    if (!Number.isInteger(count) || count < 1) throw new Refusal(MEITUAN_ERR.missingParam, 'count 须为正整数');
    if (this.now() > r.expireTime) throw new Refusal(MEITUAN_ERR.expired, '券码已过期');
    if (r.used >= r.uses) throw new Refusal(MEITUAN_ERR.alreadyUsed, '券码已使用');
    if (r.used + count > r.uses) throw new Refusal(MEITUAN_ERR.notEnough, `可验证张数不足（剩余 ${r.uses - r.used} 张）`);
    r.used += count;
    this.appliedConsumes += count;
    const orderId = digits(10);
    r.consumptions.push({ requestid, count, at: this.now(), orderId, reversed: false });
    const answer = Array.from({ length: count }, () => ({ order_id: orderId, ...this.dealOf(r) }));
    this.consumed.set(requestid, { params: body, answer });
    return answer;
  }

  private getConsumed(params: URLSearchParams) {
    const r = this.receipt(params);
    const last = [...r.consumptions].reverse().find((c) => !c.reversed);
    if (!last) throw new Refusal(MEITUAN_ERR.notConsumed, '券码未验证');
    return { ...this.dealOf(r), count: last.count, order_id: last.orderId };
  }

  private reverse(params: URLSearchParams) {
    const r = this.receipt(params);
    if (String(r.dealId) !== params.get('app_deal_id')) throw new Refusal(MEITUAN_ERR.missingParam, 'app_deal_id 不符');
    const last = [...r.consumptions].reverse().find((c) => !c.reversed);
    if (!last) throw new Refusal(MEITUAN_ERR.notConsumed, '券码未验证，无需撤销');
    if (this.now() - last.at > REVERSE_WINDOW_MS) throw new Refusal(MEITUAN_ERR.reverseWindow, '已超过可撤销验券的时间');
    last.reversed = true;
    r.used -= last.count;
    this.appliedConsumes -= last.count;
    return { receipt_code: r.code, count: last.count };
  }

  // ---- control ----

  private admin(method: string, url: URL, raw: Buffer, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => sendJson(res, status, body);
    try {
      const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      switch (`${method} ${url.pathname}`) {
        case 'POST /__admin/vouchers':
          return reply(200, this.addVoucher(body));
        case 'PUT /__admin/scenario':
          this.setScenario(Array.isArray(body) ? body : Array.isArray(body.rules) ? body.rules : [body], url.searchParams.get('append') === '1');
          return reply(200, { rules: this.scenario.rules });
        case 'GET /__admin/scenario':
          return reply(200, { rules: this.scenario.rules });
        case 'DELETE /__admin/scenario':
          this.scenario.clear();
          return reply(200, { rules: [] });
        case 'POST /__admin/clock':
          if (typeof body.advanceSeconds !== 'number') return reply(400, { error: 'advanceSeconds' });
          this.advance(body.advanceSeconds);
          return reply(200, { nowMs: this.now() });
        case 'GET /__admin/clock':
          return reply(200, { nowMs: this.now() });
        case 'GET /__admin/state':
          return reply(200, this.state());
        case 'GET /__admin/requests':
          return reply(200, { requests: this.log });
        case 'POST /__admin/reset':
          this.reset();
          return reply(200, { ok: true });
        default:
          return reply(404, { error: `no admin route ${method} ${url.pathname}` });
      }
    } catch (e) {
      return reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

const OPS: Record<string, Op> = {
  '/router/tuangou/receipt/prepare': 'prepare',
  '/router/tuangou/receipt/consume': 'consume',
  '/router/tuangou/receipt/getconsumed': 'getconsumed',
  '/router/tuangou/receipt/reverseconsume': 'reverse',
};
const PUBLIC = new Set(['app_key', 'timestamp', 'session', 'format', 'v', 'sign_method', 'sign']);

/** md5_hex(secret + k1v1k2v2… sorted by key + secret), as PLATFORMS §4 (a) gives it. */
export function meituanSign(entries: [string, string][], secret: string): string {
  const concat = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}${v}`).join('');
  return createHash('md5').update(`${secret}${concat}${secret}`, 'utf8').digest('hex');
}

function upcValid(code: string): boolean {
  let sum = 0;
  for (let i = code.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += Number(code[i]) * w;
  return (10 - (sum % 10)) % 10 === Number(code[code.length - 1]);
}

function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

async function main(): Promise<void> {
  const fake = await MeituanFake.start({ port: Number(cliArg('--port') ?? 8722) });
  const demo = fake.addVoucher({ title: '单人下午茶套餐', unitValueFen: 3900, uses: 3 });
  console.log(`Meituan/Dianping voucher simulator on ${fake.url} (Ctrl+C to stop)`);
  console.log(`  app_key ${fake.appKey}  app_secret ${fake.appSecret}  session ${fake.session}  open_shop_uuid ${fake.openShopUuid}`);
  console.log(`  demo voucher (3 uses, ¥39 each): ${demo.code}`);
  console.log(`  control API: ${fake.url}/__admin/{vouchers,scenario,clock,state,requests,reset}`);
  closeOnSignals(fake);
}

runIfMain(import.meta.url, main);
