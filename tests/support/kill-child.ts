// The victim of tests/integration/till/kill.test.ts: opens the till on the given folder and commits cash
// sales in a loop through the handler map, printing `ACK <saleId> <lines>` after each commit returned.
// The parent kills it with SIGKILL at random moments. Usage: node --import tsx kill-child.ts <dataDir>
import { randomUUID } from 'node:crypto';
import { createRegistry } from '../../electron/api/handlers';
import { demoBarcode } from '../../electron/till/seed';
import { Till } from '../../electron/till/till';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kill-child.ts <dataDir>');
const till = new Till({ dataDir, seedDemo: true });
const registry = createRegistry({ till, devices: null }, 'browser');

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

const cashier = till.sqlite.prepare(`SELECT id FROM users WHERE role_id = 'cashier' LIMIT 1`).get() as { id: string };
await call('auth.login', { userId: cashier.id, pin: '1111' });
if (!(await call('shift.current'))) await call('shift.open', { openingCashFen: 10000 });
process.stdout.write('READY\n');

for (;;) {
  // A cart left over from a killed run is simply part of this sale.
  const n = 1 + Math.floor(Math.random() * 5);
  let cart = { lines: [] as unknown[], priced: { totalFen: 0 } };
  for (let i = 0; i < n; i++) {
    cart = await call('cart.scan', { code: demoBarcode(1 + Math.floor(Math.random() * 60)), multiplier: 1 + Math.floor(Math.random() * 3) });
  }
  const r = await call<{ saleId: string }>('sales.pay', {
    requestId: randomUUID(),
    payments: [{ method: 'cash', amountFen: cart.priced.totalFen + Math.floor(Math.random() * 1000) }],
  });
  process.stdout.write(`ACK ${r.saleId} ${cart.lines.length}\n`);
}
