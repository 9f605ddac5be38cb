// The victim of tests/integration/payments/fault-kill.test.ts: a till (its own process, its own file)
// paying seeded baskets by WeChat code against the parent's simulator, resumable: whatever step the
// parent SIGKILLs it at, the next child starts from the database (recovery first), finishes the basket
// in progress and goes on. Each step prints `STEP <n>`; `DONE` when every basket is sold and nothing is
// left open. The till's clock is the simulator's: every wait of the flow moves both (no real sleeping).
// Usage: node --import tsx payment-fault-child.ts <dataDir> <simulator URL> <client config JSON file> <seed> <baskets>
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRegistry } from '../../electron/api/handlers';
import { openAttempts } from '../../electron/payments/attempts';
import { PaymentService } from '../../electron/payments/service';
import { createWechatProvider } from '../../electron/payments/wechat';
import { demoBarcode } from '../../electron/till/seed';
import { Till } from '../../electron/till/till';
import type { CartPaymentsView, PaymentAttemptView } from '../../shared/api/payments';
import type { ScenarioRule } from '../fakes/wechat-pay';
import { seededRandom } from '../../electron/sync/backoff';

const [dataDir, url, configFile, seedArg, basketsArg] = process.argv.slice(2);
const SEED = Number(seedArg);
const BASKETS = Number(basketsArg);

async function admin(path: string, method: string, body?: unknown): Promise<any> {
  const r = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return r.json().catch(() => null);
}

let offset = (await admin('/__admin/clock', 'GET')).nowMs - Date.now();
const now = () => Date.now() + offset;
const till = new Till({ dataDir, seedDemo: true, now });
const wechat = createWechatProvider(JSON.parse(readFileSync(configFile, 'utf8')), { baseUrl: url, timeoutMs: 150, now });
const payments = new PaymentService(till, (n) => (n === 'wechat' ? wechat : null), {
  flow: {
    pollMs: 10_000, unknownQueryDelayMs: 5_000, maxBackoffMs: 20_000, giveUpMs: 45_000, reverseMinMs: 15_000, reverseGiveUpMs: 120_000,
    sleep: async (ms) => {
      offset += ms;
      await admin('/__admin/clock', 'POST', { advanceSeconds: ms / 1000 });
    },
  },
});
const registry = createRegistry({ till, devices: null, payments }, 'browser');
async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}
let step = 0;
const mark = () => process.stdout.write(`STEP ${++step}\n`);

const cashier = till.sqlite.prepare(`SELECT id FROM users WHERE role_id = 'cashier' LIMIT 1`).get() as { id: string };
await call('auth.login', { userId: cashier.id, pin: '1111' });
// No shift: the run moves the clock by days, and a shift open over a business day's end is refused as stale.
till.settings.set('checkout.requireShift', false);
await payments.recover(); // what the killed child left open is settled first
mark();

const sold = () => (till.sqlite.prepare(`SELECT count(*) AS n FROM sales WHERE kind = 'sale'`).get() as { n: number }).n;
for (;;) {
  const b = sold();
  if (b >= BASKETS) break;
  let cp = await call<CartPaymentsView>('payments.forCart');
  if (cp.dueFen === 0) {
    const rnd = seededRandom(SEED * 7919 + b);
    const items = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => 1 + Math.floor(rnd() * 40));
    for (const i of items) await call('cart.scan', { code: demoBarcode(i) });
    mark();
    cp = await call<CartPaymentsView>('payments.forCart');
  }
  if (cp.pending) {
    await admin('/__admin/scenario', 'DELETE');
    await payments.settled(cp.pending.id); // the platform answers again: settle it
    mark();
    continue;
  }
  const tries = (till.sqlite.prepare('SELECT count(*) AS n FROM payment_attempts WHERE cart_id = ?').get(cp.cartId) as { n: number }).n;
  if (cp.receivedFen > 0 || tries >= 2) {
    // Received money goes into the sale (the rest in cash); after two tries the customer pays cash.
    const rest = cp.dueFen - cp.receivedFen;
    await call('sales.pay', { requestId: randomUUID(), payments: [...cp.toInclude, ...(rest > 0 ? [{ method: 'cash', amountFen: rest }] : [])] });
    mark();
    continue;
  }
  const rnd = seededRandom(SEED * 7919 + b * 31 + tries + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const outcome = pick(['SUCCESS', 'SUCCESS', 'PASSWORD_OK', 'PASSWORD_FAIL', 'NEVER', 'PAYERROR'] as const);
  const payFault = pick([undefined, undefined, undefined, 'timeout', 'drop', 'server_error', 'rate_limited', 'bad_signature'] as const);
  const base: ScenarioRule =
    outcome === 'SUCCESS' ? { outcome: 'SUCCESS' }
    : outcome === 'PASSWORD_OK' ? { outcome: 'USERPAYING', settleTo: 'SUCCESS', settleAfterSeconds: 5 + Math.floor(rnd() * 35) }
    : outcome === 'PASSWORD_FAIL' ? { outcome: 'USERPAYING', settleTo: 'PAYERROR', settleAfterSeconds: 5 + Math.floor(rnd() * 20) }
    : outcome === 'NEVER' ? { outcome: 'USERPAYING' }
    : { outcome: 'PAYERROR' };
  const rules: ScenarioRule[] = [{ op: 'codepay', ...base, ...(payFault ? { fault: payFault, delayMs: 200 } : {}) }];
  if (rnd() < 0.4) rules.push({ op: 'query', fault: pick(['server_error', 'rate_limited', 'timeout', 'drop'] as const), times: 1 + Math.floor(rnd() * 3), delayMs: 200 });
  if (rnd() < 0.3) rules.push({ op: 'reverse', fault: pick(['server_error', 'rate_limited'] as const), times: 1 + Math.floor(rnd() * 2) });
  await admin('/__admin/scenario', 'PUT', { rules });
  const code = `14${String(SEED % 1_000_000).padStart(6, '0')}${String(b * 10 + tries).padStart(10, '0')}`;
  const a = await call<PaymentAttemptView>('payments.codePay', { requestId: randomUUID(), code, amountFen: cp.dueFen });
  mark();
  if (!a.final) await payments.settled(a.id);
  mark();
}
// Nothing left open (a reverse that got no answer is settled now that the platform answers again).
await admin('/__admin/scenario', 'DELETE');
for (const a of openAttempts(till)) await payments.settled(a.id);
process.stdout.write(`DONE ${openAttempts(till).length}\n`);
payments.stop();
till.close();
process.exit(0);
