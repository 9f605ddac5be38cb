// Crash recovery: a till SIGKILLed between the charge and the sale's commit (a child process, against the
// WeChat simulator over HTTP), restarted on the same database: start-up recovery settles what was left
// open, tells the cashier (payments.recovered), the payment screen shows the money as received
// (payments.forCart), and the sale is paid with it — once; the simulator holds one charge.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WechatPayFake } from '../../fakes/wechat-pay';
import { payTill, rid, wechatCode, type PayTill } from '../../support/payment-till';

const root = resolve(import.meta.dirname, '..', '..', '..');
let fake: WechatPayFake;
let configFile: string;
const dirs: string[] = [];
let t: PayTill | undefined;

beforeAll(async () => {
  fake = await WechatPayFake.start();
  const d = mkdtempSync(join(tmpdir(), 'pay-kill-cfg-'));
  dirs.push(d);
  configFile = join(d, 'wechat.json');
  writeFileSync(configFile, JSON.stringify(fake.clientConfig()), { mode: 0o600 });
});
afterEach(() => {
  t?.close();
  t = undefined;
  fake.reset();
});
afterAll(async () => {
  await fake.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the child until it printed the pay call's answer, then SIGKILLs it. */
function chargeAndKill(dataDir: string): Promise<{ attemptId: string; state: string; amountFen: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/support/payment-kill-child.ts'), dataDir, fake.url, configFile], {
      cwd: root,
      env: { ...process.env, TILL_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let got: { attemptId: string; state: string; amountFen: number } | null = null;
    const deadline = setTimeout(() => fail(new Error(`child made no progress in 30 s: ${stderr}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^STATE (\S+) (\S+) (\d+)$/.exec(line);
      if (!m || got) return;
      got = { attemptId: m[1], state: m[2], amountFen: Number(m[3]) };
      child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL' && got) done(got);
      else fail(new Error(`child exited by itself (${code}): ${stderr}`));
    });
  });
}

function newDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pay-kill-'));
  dirs.push(d);
  return d;
}

async function restart(dataDir: string): Promise<PayTill> {
  t = payTill({ wechat: fake, dataDir });
  const report = await t.svc.recover();
  expect(report.running).toBe(false);
  await t.loginAs('cashier');
  return t;
}

async function payWithReceived(p: PayTill, amountFen: number) {
  const cart = await p.call('payments.forCart');
  expect(cart.receivedFen).toBe(amountFen);
  expect(cart.dueFen).toBe(amountFen);
  // Paying without the received money is refused: it would charge the customer twice.
  await expect(p.call('sales.pay', { requestId: rid(), payments: [{ method: 'cash', amountFen }] })).rejects.toMatchObject({ code: 'PAYMENT_RECEIVED_UNUSED' });
  return p.call('sales.pay', { requestId: rid(), payments: cart.toInclude });
}

describe('crash between the charge and the sale', () => {
  it('SIGKILLed after SUCCESS, before sales.pay: after the restart the money shows as received and the sale is paid once', { timeout: 60_000 }, async () => {
    const dataDir = newDir();
    fake.setScenario({ op: 'codepay', outcome: 'SUCCESS' });
    const charged = await chargeAndKill(dataDir);
    expect(charged.state).toBe('SUCCESS');
    const p = await restart(dataDir);
    const sale = await payWithReceived(p, charged.amountFen);
    expect(sale.totalFen).toBe(charged.amountFen);
    const trades = fake.listTrades();
    expect(trades).toHaveLength(1);
    expect(trades[0].charges).toHaveLength(1);
    const linked = p.till.sqlite.prepare('SELECT sale_id AS saleId FROM payment_attempts WHERE id = ?').get(charged.attemptId) as { saleId: string };
    expect(linked.saleId).toBe(sale.saleId);
    // The cart is gone with its sale; nothing is left received or pending.
    expect((await p.call('payments.forCart')).receivedFen).toBe(0);
  });

  it('SIGKILLed while the customer types the password: recovery queries, finds it paid, tells the cashier; paid once', { timeout: 60_000 }, async () => {
    const dataDir = newDir();
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING' });
    const charged = await chargeAndKill(dataDir);
    expect(charged.state).toBe('USERPAYING');
    const outTradeNo = fake.listTrades()[0].outTradeNo;
    fake.customerPays(outTradeNo); // the customer finishes while the till is down
    const p = await restart(dataDir);
    const report = await p.call('payments.recovered');
    expect(report.items).toEqual([expect.objectContaining({ attemptId: charged.attemptId, from: 'USERPAYING', to: 'SUCCESS', words: '已收款' })]);
    await payWithReceived(p, charged.amountFen);
    expect(fake.listTrades()[0].charges).toHaveLength(1);
  });

  it('SIGKILLed while waiting, and the customer never pays: recovery reverses it (≥ 15 s after the charge), the cart is free for another tender', { timeout: 60_000 }, async () => {
    const dataDir = newDir();
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING' });
    const charged = await chargeAndKill(dataDir);
    const p = await restart(dataDir);
    const report = await p.call('payments.recovered');
    expect(report.items[0]).toMatchObject({ from: 'USERPAYING', to: 'REVOKED' });
    expect(fake.listTrades()[0]).toMatchObject({ state: 'REVOKED', charges: [] });
    const cart = await p.call('payments.forCart');
    expect(cart.pending).toBeNull();
    const sale = await p.call('sales.pay', { requestId: rid(), payments: [{ method: 'cash', amountFen: charged.amountFen }] });
    expect(sale.totalFen).toBe(charged.amountFen);
  });

  it('in-process: closed mid-poll, reopened: the attempt is settled before the next electronic payment is taken', async () => {
    const dataDir = newDir();
    t = payTill({ wechat: fake, dataDir });
    await t.loginAs('cashier');
    const cart = await t.ringUp([7]);
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING', settleTo: 'SUCCESS', settleAfterSeconds: 20 });
    const a = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: cart.priced.totalFen });
    expect(a.state).toBe('USERPAYING');
    t.close();
    t = payTill({ wechat: fake, dataDir });
    await t.loginAs('cashier');
    const recovering = t.svc.recover();
    await expect(t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: 1 })).rejects.toMatchObject({ code: 'PAYMENTS_RECOVERING' });
    const report = await recovering;
    expect(report.items[0]).toMatchObject({ attemptId: a.id, to: 'SUCCESS' });
    await payWithReceived(t, cart.priced.totalFen);
  });
});
