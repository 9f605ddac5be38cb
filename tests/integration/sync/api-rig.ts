// A till with the sync service in its service context (the real worker thread, started by the
// service from the saved settings), both shop fakes, and calls through the API's handlers.
import { createRegistry } from '../../../electron/api/handlers';
import type { Registry } from '../../../electron/api/registry';
import { SyncService, type SyncServiceOptions } from '../../../electron/sync/service';
import type { ApiInput, ApiName, ApiOutput } from '../../../shared/api';
import { DoudianFake } from '../../fakes/doudian';
import { YouzanFake } from '../../fakes/youzan';
import { tempTill, type TempTill } from '../../support/temp-till';

export interface ApiRig {
  tt: TempTill;
  sync: SyncService;
  registry: Registry;
  youzan: YouzanFake;
  doudian: DoudianFake;
  call<N extends ApiName>(name: N, input?: ApiInput<N>): Promise<ApiOutput<N>>;
  callRaw<T = any>(name: string, input?: unknown): Promise<T>;
  /** Owner saves both platforms pointing at the fakes, enabled. */
  enableBoth(): Promise<void>;
  skuOf(barcode: string): string;
  /** On-hand whole pieces of a SKU (what the platforms should show with no reservation or safety stock). */
  pieces(skuId: string): number;
  close(): Promise<void>;
}

export const FAST_POLICY = { defaultCallsPerSecond: 50, pollEveryMs: 1_000, idleCheckMs: 100, backoff: { baseMs: 100, capMs: 1_000 }, rateLimitPauseMs: 200 };

export async function apiRig(opts: SyncServiceOptions = {}): Promise<ApiRig> {
  process.env.TILL_SECRET_STORE = 'file'; // never the OS key store in tests
  const tt = tempTill();
  const youzan = await YouzanFake.start();
  const doudian = await DoudianFake.start();
  const sync = new SyncService(tt.till, { policy: FAST_POLICY, reconcileEveryMs: 0, timeoutMs: 3_000, restartAfterMs: 300, ...opts });
  const registry = createRegistry({ till: tt.till, devices: null, sync }, 'browser');
  const rig: ApiRig = {
    tt,
    sync,
    registry,
    youzan,
    doudian,
    call: (name, input) => rig.callRaw(name, input),
    async callRaw(name, input = {}) {
      const r = await registry.call(name, input);
      if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
      return r.result as never;
    },
    async enableBoth() {
      await tt.loginAs('owner');
      const y = youzan.clientConfig();
      const d = doudian.clientConfig();
      await rig.call('sync.saveSettings', { platform: 'youzan', enabled: true, baseUrl: y.baseUrl, clientId: y.clientId, clientSecret: y.clientSecret, grantId: y.grantId });
      await rig.call('sync.saveSettings', { platform: 'doudian', enabled: true, baseUrl: d.baseUrl, appKey: d.appKey, appSecret: d.appSecret, shopId: d.shopId });
      await sync.settled();
    },
    skuOf(barcode) {
      return (tt.till.sqlite.prepare(`SELECT sku_id FROM barcodes WHERE code = ?`).get(barcode) as { sku_id: string }).sku_id;
    },
    pieces(skuId) {
      return Math.floor((tt.till.sqlite.prepare(`SELECT stock_qty FROM skus WHERE id = ?`).get(skuId) as { stock_qty: number }).stock_qty / 1000);
    },
    async close() {
      await sync.stop();
      await Promise.all([youzan.close(), doudian.close()]);
      tt.cleanup();
    },
  };
  return rig;
}

/** Waits (polling) until `check` holds; fails with `what` and the last value after `ms`. Not a timing assertion: a deadline for a background thread. */
export async function until<T>(what: string, read: () => T | Promise<T>, check: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!check(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}
