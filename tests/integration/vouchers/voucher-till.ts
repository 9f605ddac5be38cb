// A till with voucher redemption pointed at the Douyin 来客 and Meituan simulators over real HTTP. The
// till's clock is the Douyin fake's clock; advance() moves both fakes (and so the till) together, so the
// 1-hour undo window is crossed without waiting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../../../electron/api/handlers';
import type { Registry } from '../../../electron/api/registry';
import { demoUsers } from '../../../electron/till/demo-catalog';
import { demoBarcode } from '../../../electron/till/seed';
import { Till } from '../../../electron/till/till';
import type { VoucherConnector } from '../../../electron/vouchers/connector';
import { createDouyinConnector } from '../../../electron/vouchers/douyin/wire';
import { createMeituanConnector } from '../../../electron/vouchers/meituan/wire';
import { VoucherService, type VoucherServiceOptions } from '../../../electron/vouchers/service';
import type { ApiInput, ApiName, ApiOutput, CartView, Role } from '../../../shared/api';
import { DouyinLifeFake } from '../../fakes/douyin-life';
import { MeituanFake } from '../../fakes/meituan';

export interface VoucherTill {
  till: Till;
  svc: VoucherService;
  registry: Registry;
  dataDir: string;
  call<N extends ApiName>(name: N, input?: ApiInput<N>): Promise<ApiOutput<N>>;
  callRaw<T = any>(name: string, input?: unknown): Promise<T>;
  loginAs(role: Role): Promise<void>;
  userId(role: Role): string;
  ringUp(items: number[]): Promise<CartView>;
  /** Rows in voucher_redemptions (what "nothing recorded" checks). */
  count(state?: string): number;
  /** A second service on the same till (a restart's recovery), with its own options. */
  newService(opts?: VoucherServiceOptions): VoucherService;
  cleanup(): void;
}

export interface Fakes {
  douyin: DouyinLifeFake;
  meituan: MeituanFake;
  /** Moves both simulators' clocks (the till's clock follows the Douyin one). */
  advance(seconds: number): void;
  close(): Promise<void>;
}

export async function startFakes(): Promise<Fakes> {
  const douyin = await DouyinLifeFake.start();
  const meituan = await MeituanFake.start();
  return {
    douyin,
    meituan,
    advance(s) {
      douyin.advance(s);
      meituan.advance(s);
    },
    close: async () => {
      await douyin.close();
      await meituan.close();
    },
  };
}

/** The connectors pointed at the fakes; `timeoutMs` is each HTTP call's limit (a held answer beyond it is a timeout). */
export function connectorsFor(f: Fakes, timeoutMs = 1_500, now: () => number = () => f.douyin.now()) {
  const douyin = createDouyinConnector(
    { clientKey: f.douyin.clientKey, clientSecret: f.douyin.clientSecret, poiId: f.douyin.poiId, baseUrl: f.douyin.url, shortLinkBase: f.douyin.url },
    { timeoutMs, now },
  );
  const meituan = createMeituanConnector(
    { appKey: f.meituan.appKey, appSecret: f.meituan.appSecret, session: f.meituan.session, openShopUuid: f.meituan.openShopUuid, baseUrl: f.meituan.url },
    { timeoutMs, now },
  );
  return (p: 'douyin' | 'meituan'): VoucherConnector => (p === 'douyin' ? douyin : meituan);
}

export function voucherTill(f: Fakes, opts: VoucherServiceOptions & { now?: () => number } = {}): VoucherTill {
  const dataDir = mkdtempSync(join(tmpdir(), 'till-vouchers-'));
  const now = opts.now ?? (() => f.douyin.now());
  const till = new Till({ dataDir, seedDemo: true, now });
  const connectors = connectorsFor(f, 1_500, now);
  const svc = new VoucherService(till, connectors, { retryDelaysMs: [5, 5, 5], ...opts });
  const registry = createRegistry({ till, devices: null, vouchers: svc }, 'browser');
  const t: VoucherTill = {
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
    userId(role) {
      return (till.sqlite.prepare('SELECT id FROM users WHERE role_id = ? ORDER BY created_at LIMIT 1').get(role) as { id: string }).id;
    },
    async loginAs(role) {
      await t.call('auth.login', { userId: t.userId(role), pin: demoUsers.find((u) => u.role === role)!.pin });
    },
    async ringUp(items) {
      if (!(await t.call('shift.current'))) await t.call('shift.open', { openingCashFen: 10_000 });
      let cart = await t.call('cart.get');
      for (const i of items) cart = (await t.call('cart.scan', { code: demoBarcode(i) })) as CartView;
      return cart;
    },
    count(state) {
      const row = state
        ? till.sqlite.prepare('SELECT count(*) AS n FROM voucher_redemptions WHERE state = ?').get(state)
        : till.sqlite.prepare('SELECT count(*) AS n FROM voucher_redemptions').get();
      return (row as { n: number }).n;
    },
    newService(o = {}) {
      t.svc.stop();
      return new VoucherService(till, connectors, { retryDelaysMs: [5, 5, 5], ...o });
    },
    cleanup() {
      svc.stop();
      try {
        till.close();
      } catch {
        // closed already
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
