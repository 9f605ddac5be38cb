// A till with electronic payments pointed at the local simulators (tests/fakes/wechat-pay.ts, alipay.ts)
// over real HTTP, for the payments integration tests. Time: the till's clock IS the WeChat fake's clock,
// and the flow's waits move it (and the Alipay fake's) instead of sleeping, so a 45 s give-up and the
// 15 s reverse rule run in milliseconds while every rule is still checked by the simulator itself.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../../electron/api/handlers';
import type { Registry } from '../../electron/api/registry';
import { createAlipayProvider, type AlipayConfig } from '../../electron/payments/alipay/client';
import type { FlowOptions } from '../../electron/payments/flow';
import type { PaymentProvider } from '../../electron/payments/provider';
import { PaymentService } from '../../electron/payments/service';
import { createWechatProvider } from '../../electron/payments/wechat';
import { demoUsers } from '../../electron/till/demo-catalog';
import { demoBarcode } from '../../electron/till/seed';
import { Till } from '../../electron/till/till';
import type { ApiInput, ApiName, ApiOutput, CartView } from '../../shared/api';
import { FakeAlipay } from '../fakes/alipay';
import { makePaymentKeys } from '../fakes/payment-keys';
import type { WechatPayFake } from '../fakes/wechat-pay';

export interface PayTill {
  till: Till;
  svc: PaymentService;
  registry: Registry;
  dataDir: string;
  call<N extends ApiName>(name: N, input?: ApiInput<N>): Promise<ApiOutput<N>>;
  callRaw<T = any>(name: string, input?: unknown): Promise<T>;
  loginAs(role: 'cashier' | 'manager' | 'owner'): Promise<void>;
  /** Logs the cashier in, opens a shift if none, and rings up `items` demo SKUs; returns the cart. */
  ringUp(items: number[]): Promise<CartView>;
  /** Closes this till (its payment loops stop where they are, as a killed till would) and opens it again on the same file. */
  restart(): PayTill;
  close(): void;
  cleanup(): void;
}

export interface PayTillOptions {
  wechat: WechatPayFake;
  alipay?: { fake: FakeAlipay; config: AlipayConfig };
  dataDir?: string;
  flow?: Partial<FlowOptions>;
  /** Wraps each provider (a test that makes one call path fail on the till's side). */
  wrap?: (p: PaymentProvider) => PaymentProvider;
  /** The HTTP clients' per-call timeout (real ms): a held answer beyond it is a timeout. */
  timeoutMs?: number;
}

/** Fast waits: every wait moves both simulators' clocks (= the till's clock) and yields a moment. */
export function virtualSleep(o: Pick<PayTillOptions, 'wechat' | 'alipay'>) {
  return async (ms: number) => {
    o.wechat.advance(ms / 1000);
    o.alipay?.fake.advance(ms / 1000);
    await new Promise((r) => setTimeout(r, 1));
  };
}

/** An Alipay simulator with throw-away keys, and the client config that talks to it. */
export async function startAlipayFake(): Promise<{ fake: FakeAlipay; config: AlipayConfig }> {
  const keys = makePaymentKeys();
  const appId = '2021000000000001';
  const fake = await FakeAlipay.start({ appPublicKeyPem: keys.merchant.publicKeyPem, alipayPrivateKeyPem: keys.platform.privateKeyPem, appId });
  return { fake, config: { appId, appPrivateKeyPem: keys.merchant.privateKeyPem, alipayPublicKeyPem: keys.platform.publicKeyPem } };
}

export function payTill(opts: PayTillOptions): PayTill {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'till-pay-'));
  const now = () => opts.wechat.now();
  const till = new Till({ dataDir, seedDemo: true, now });
  const timeoutMs = opts.timeoutMs ?? 1_000;
  const wrap = opts.wrap ?? ((p: PaymentProvider) => p);
  const wechat = wrap(createWechatProvider(opts.wechat.clientConfig(), { baseUrl: opts.wechat.url, timeoutMs, now }));
  const alipay: PaymentProvider | null = opts.alipay
    ? wrap(createAlipayProvider(opts.alipay.config, { baseUrl: opts.alipay.fake.url, timeoutMs, now }))
    : null;
  const svc = new PaymentService(till, (name) => (name === 'wechat' ? wechat : alipay), {
    flow: {
      pollMs: 5_000,
      unknownQueryDelayMs: 5_000,
      maxBackoffMs: 20_000,
      giveUpMs: 45_000,
      reverseMinMs: 15_000,
      reverseGiveUpMs: 120_000,
      sleep: virtualSleep(opts),
      ...opts.flow,
    },
  });
  const registry = createRegistry({ till, devices: null, payments: svc }, 'browser');
  const t: PayTill = {
    till,
    svc,
    registry,
    dataDir,
    call: (name, input) => t.callRaw(name, input),
    async callRaw(name, input = {}) {
      const r = await registry.call(name, input);
      if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), r.error);
      return r.result as never;
    },
    async loginAs(role) {
      const u = demoUsers.find((x) => x.role === role)!;
      const row = till.sqlite.prepare('SELECT id FROM users WHERE role_id = ? ORDER BY created_at LIMIT 1').get(role) as { id: string };
      await t.call('auth.login', { userId: row.id, pin: u.pin });
    },
    async ringUp(items) {
      if (!(await t.call('shift.current'))) await t.call('shift.open', { openingCashFen: 10_000 });
      let cart = await t.call('cart.get');
      for (const i of items) cart = (await t.call('cart.scan', { code: demoBarcode(i) })) as CartView;
      return cart;
    },
    restart() {
      t.close();
      return payTill({ ...opts, dataDir });
    },
    close() {
      svc.stop();
      try {
        till.close();
      } catch {
        // already closed
      }
    },
    cleanup() {
      t.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export const rid = (): string => randomUUID();

/** A WeChat payment code of the published shape (18 digits, 10–15), different each call. */
export function wechatCode(): string {
  return `13${String(Math.floor(Math.random() * 1e16)).padStart(16, '0')}`;
}

/** An Alipay payment code (18 digits starting 28). */
export function alipayCode(): string {
  return `28${String(Math.floor(Math.random() * 1e16)).padStart(16, '0')}`;
}
