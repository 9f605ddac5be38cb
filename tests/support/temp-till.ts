// A till on a real SQLite file in a fresh temporary folder, for integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../../electron/api/handlers';
import type { Registry } from '../../electron/api/registry';
import { Till } from '../../electron/till/till';
import { demoUsers } from '../../electron/till/demo-catalog';
import type { ApiInput, ApiName, ApiOutput } from '../../shared/api';

export interface TempTill {
  till: Till;
  registry: Registry;
  dataDir: string;
  /** Calls an endpoint of the contract with its typed input; returns its typed result, throwing the {code, message} on refusal. */
  call<N extends ApiName>(name: N, input?: ApiInput<N>): Promise<ApiOutput<N>>;
  /** Untyped call, for tests that deliberately send what the contract forbids (bad input, unknown names). */
  callRaw<T = any>(name: string, input?: unknown): Promise<T>;
  loginAs(role: 'cashier' | 'manager' | 'owner'): Promise<void>;
  userId(role: 'cashier' | 'manager' | 'owner'): string;
  reopen(): TempTill;
  cleanup(): void;
}

export function tempTill(opts: { dataDir?: string; seedDemo?: boolean; now?: () => number } = {}): TempTill {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'till-it-'));
  const till = new Till({ dataDir, seedDemo: opts.seedDemo ?? true, now: opts.now });
  const registry = createRegistry({ till, devices: null }, 'browser');
  const t: TempTill = {
    till,
    registry,
    dataDir,
    call: (name, input) => t.callRaw(name, input),
    async callRaw(name, input = {}) {
      const r = await registry.call(name, input);
      if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
      return r.result as never;
    },
    async loginAs(role) {
      const pin = demoUsers.find((u) => u.role === role)!.pin;
      await t.call('auth.login', { userId: t.userId(role), pin });
    },
    userId(role) {
      const row = till.sqlite.prepare('SELECT id FROM users WHERE role_id = ? ORDER BY created_at LIMIT 1').get(role) as { id: string };
      return row.id;
    },
    reopen() {
      till.close();
      return tempTill({ ...opts, dataDir });
    },
    cleanup() {
      try {
        till.close();
      } catch {
        // already closed
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
