// The victim of tests/integration/payments/recovery.test.ts: a till with WeChat Pay pointed at the
// parent's simulator. It rings up a cart, scans a payment code and prints the attempt's state after
// the pay call answered (`STATE <attemptId> <state> <amountFen>`); then it waits to be SIGKILLed
// between the charge and the sale's commit (it never calls sales.pay).
// Usage: node --import tsx payment-kill-child.ts <dataDir> <simulator URL> <client config JSON file>
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRegistry } from '../../electron/api/handlers';
import { PaymentService } from '../../electron/payments/service';
import { createWechatProvider } from '../../electron/payments/wechat';
import { demoBarcode } from '../../electron/till/seed';
import { Till } from '../../electron/till/till';

const [dataDir, url, configFile] = process.argv.slice(2);
if (!dataDir || !url || !configFile) throw new Error('usage: payment-kill-child.ts <dataDir> <url> <config.json>');
const till = new Till({ dataDir, seedDemo: true });
const wechat = createWechatProvider(JSON.parse(readFileSync(configFile, 'utf8')), { baseUrl: url, timeoutMs: 2_000 });
const payments = new PaymentService(till, (n) => (n === 'wechat' ? wechat : null), { flow: { pollMs: 200, unknownQueryDelayMs: 200 } });
const registry = createRegistry({ till, devices: null, payments }, 'browser');

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

const cashier = till.sqlite.prepare(`SELECT id FROM users WHERE role_id = 'cashier' LIMIT 1`).get() as { id: string };
await call('auth.login', { userId: cashier.id, pin: '1111' });
if (!(await call('shift.current'))) await call('shift.open', { openingCashFen: 10000 });
let cart = { priced: { totalFen: 0 } };
for (const i of [3, 4, 5]) cart = await call('cart.scan', { code: demoBarcode(i) });
const code = `13${String(Math.floor(Math.random() * 1e16)).padStart(16, '0')}`;
const a = await call<{ id: string; state: string; amountFen: number }>('payments.codePay', { requestId: randomUUID(), code, amountFen: cart.priced.totalFen });
process.stdout.write(`STATE ${a.id} ${a.state} ${a.amountFen}\n`);
setInterval(() => undefined, 1_000); // wait for the SIGKILL
