// The victim of kill.test.ts: a till redeeming a Douyin voucher against the parent's simulator, which
// applies the verify and holds its answer; the parent SIGKILLs this process while the call is out.
// Usage: node --import tsx kill-child.ts <dataDir> <simulator URL> <config JSON> <voucher code>
import { randomUUID } from 'node:crypto';
import { createRegistry } from '../../../electron/api/handlers';
import { Till } from '../../../electron/till/till';
import { createDouyinConnector } from '../../../electron/vouchers/douyin/wire';
import { VoucherService } from '../../../electron/vouchers/service';

const [dataDir, url, config, code] = process.argv.slice(2);
if (!dataDir || !url || !config || !code) throw new Error('usage: kill-child.ts <dataDir> <url> <config> <code>');
const till = new Till({ dataDir, seedDemo: true });
const douyin = createDouyinConnector({ ...JSON.parse(config), baseUrl: url, shortLinkBase: url }, { timeoutMs: 120_000 });
const vouchers = new VoucherService(till, (p) => (p === 'douyin' ? douyin : null));
const registry = createRegistry({ till, devices: null, vouchers }, 'browser');

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

const cashier = till.sqlite.prepare(`SELECT id FROM users WHERE role_id = 'cashier' LIMIT 1`).get() as { id: string };
await call('auth.login', { userId: cashier.id, pin: '1111' });
const p = await call<{ prepareId: string }>('vouchers.prepare', { code });
process.stdout.write('PREPARED\n');
await call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 }); // killed while this waits
process.stdout.write('ANSWERED\n');
