// Payment attempts: the store's rules (an event row per change, final states stay final, SUCCESS →
// REFUNDED only), the bad input the issue lists (an 18-digit code with an unknown prefix, a UnionPay
// code, amount 0, the same code twice, a reused request id), the code never stored in full, a manager's
// explicit and audited abandon, reconciliation order, and the manager's query / reverse (audited).
// Against the WeChat simulator over HTTP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAttempt, getAttempt, reserveForSale, transition } from '../../../electron/payments/attempts';
import { WechatPayFake } from '../../fakes/wechat-pay';
import { demoBarcode } from '../../../electron/till/seed';
import { payTill, rid, wechatCode, type PayTill } from '../../support/payment-till';

let fake: WechatPayFake;
let t: PayTill;

beforeAll(async () => {
  fake = await WechatPayFake.start();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  t?.cleanup();
  fake.reset();
});

async function start(items = [1, 2]) {
  t = payTill({ wechat: fake });
  await t.loginAs('cashier');
  const cart = await t.ringUp(items);
  return cart.priced.totalFen;
}

const count = (sql: string, ...args: unknown[]) => (t.till.sqlite.prepare(sql).get(...args) as { n: number }).n;

describe('the attempt store', () => {
  it('writes one event per state change with the attempt, keeps final states final (SUCCESS → REFUNDED only)', async () => {
    await start();
    const a = createAttempt(t.till, { provider: 'wechat', kind: 'code', cartId: 'c1', amountFen: 100, createdBy: null });
    expect(a.state).toBe('CREATED');
    transition(t.till, a.id, 'PENDING', { chargedAt: 5 });
    transition(t.till, a.id, 'PENDING', { detail: 'again' }); // same state: no event
    transition(t.till, a.id, 'SUCCESS', { transactionId: 'tx1' });
    expect(transition(t.till, a.id, 'FAILED').changed).toBe(false);
    expect(getAttempt(t.till, a.id).state).toBe('SUCCESS');
    expect(transition(t.till, a.id, 'REFUNDED').changed).toBe(true);
    expect(transition(t.till, a.id, 'SUCCESS').changed).toBe(false);
    const events = t.till.sqlite.prepare('SELECT seq, from_state AS f, to_state AS s FROM payment_attempt_events WHERE attempt_id = ? ORDER BY seq').all(a.id);
    expect(events).toEqual([
      { seq: 1, f: null, s: 'CREATED' },
      { seq: 2, f: 'CREATED', s: 'PENDING' },
      { seq: 3, f: 'PENDING', s: 'SUCCESS' },
      { seq: 4, f: 'SUCCESS', s: 'REFUNDED' },
    ]);
    const row = getAttempt(t.till, a.id);
    expect(row).toMatchObject({ final: 1, chargedAt: 5, transactionId: 'tx1' });
    expect(() => createAttempt(t.till, { provider: 'wechat', kind: 'code', cartId: 'c1', amountFen: 0, createdBy: null })).toThrow(/大于 0/);
  });
});

describe('bad input through the API changes nothing', () => {
  it('an 18-digit code with an unknown prefix, a UnionPay code, amount 0, an empty code: refused in Chinese, nothing stored or sent', async () => {
    const due = await start();
    await expect(t.call('payments.codePay', { requestId: rid(), code: '190000000000000001', amountFen: due })).rejects.toMatchObject({
      code: 'NOT_A_PAYMENT_CODE', message: expect.stringContaining('付款码'),
    });
    await expect(t.call('payments.codePay', { requestId: rid(), code: '6200000000000000001', amountFen: due })).rejects.toMatchObject({
      code: 'UNIONPAY_NOT_CONFIGURED', message: expect.stringContaining('云闪付'),
    });
    await expect(t.callRaw('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: 0 })).rejects.toMatchObject({
      message: expect.stringContaining('金额须大于 0'),
    });
    await expect(t.callRaw('payments.codePay', { requestId: rid(), code: '', amountFen: due })).rejects.toMatchObject({ message: expect.stringContaining('付款码') });
    await expect(t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: due + 1 })).rejects.toMatchObject({ code: 'AMOUNT_OVER_DUE' });
    expect(count('SELECT count(*) AS n FROM payment_attempts')).toBe(0);
    expect(fake.requests()).toHaveLength(0);
  });

  it('an empty cart takes no payment', async () => {
    await start([]);
    await expect(t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: 100 })).rejects.toMatchObject({ code: 'CART_EMPTY' });
  });

  it('the same code scanned twice is refused; a retried request returns the same attempt; a reused request id for another amount is refused', async () => {
    const due = await start();
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING' });
    const code = wechatCode();
    const requestId = rid();
    const first = await t.call('payments.codePay', { requestId, code, amountFen: due });
    const retry = await t.call('payments.codePay', { requestId, code, amountFen: due });
    expect(retry.id).toBe(first.id);
    await expect(t.call('payments.codePay', { requestId, code, amountFen: due - 1 })).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    await expect(t.call('payments.codePay', { requestId: rid(), code, amountFen: due })).rejects.toMatchObject({ code: 'DUPLICATE_CODE' });
    expect(fake.requests().filter((r) => r.op === 'codepay')).toHaveLength(1);
    expect(count('SELECT count(*) AS n FROM payment_attempts')).toBe(1);
    await t.svc.settled(first.id);
  });

  it('the payment code is never stored in full (database file and WAL), only its mask', async () => {
    const due = await start();
    fake.setScenario({ op: 'codepay', outcome: 'SUCCESS' });
    const code = wechatCode();
    const a = await t.call('payments.codePay', { requestId: rid(), code, amountFen: due });
    expect(a.codeMask).toBe(`${code.slice(0, 4)}**********${code.slice(-4)}`);
    t.till.sqlite.pragma('wal_checkpoint(FULL)');
    for (const f of ['till.db', 'till.db-wal']) {
      let bytes = '';
      try {
        bytes = readFileSync(join(t.dataDir, f)).toString('latin1');
      } catch {
        continue;
      }
      expect(bytes.includes(code)).toBe(false);
    }
  });
});

describe('waiting, abandoning, reconciling', () => {
  it('a pending attempt blocks the cart; a cashier needs a manager to abandon it; abandoned is not failed and stays in reconciliation, UNKNOWN first', async () => {
    const due = await start();
    // Everything times out: the till cannot learn the outcome.
    fake.setScenario([
      { op: 'codepay', outcome: 'SUCCESS', fault: 'timeout', delayMs: 2500 },
      { op: 'any', fault: 'server_error', times: 0 },
    ]);
    const a = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: due });
    const settled = await t.svc.settled(a.id);
    expect(settled.state).toBe('UNKNOWN');
    expect(settled.final).toBe(false);
    await expect(t.call('payments.qrCreate', { requestId: rid(), provider: 'wechat', amountFen: due })).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
    const refused = await t.call('payments.abandon', { id: a.id }).catch((e) => e);
    expect(refused.code).toBe('APPROVAL_REQUIRED');
    const approval = await t.call('auth.approve', { pin: '2222', askId: refused.details.ask.id });
    const abandoned = await t.call('payments.abandon', { id: a.id, approval: approval.token });
    expect(abandoned).toMatchObject({ state: 'UNKNOWN', final: false, abandoned: true });
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'payment.abandon' AND target = ? AND approver_id IS NOT NULL`, a.id)).toBe(1);
    expect((await t.call('payments.forCart')).pending).toBeNull();

    // A final attempt of another cart, for the ordering.
    fake.reset();
    await t.loginAs('manager');
    const rec = await t.call('payments.reconcile', {});
    expect(rec.rows[0]).toMatchObject({ id: a.id, state: 'UNKNOWN', issues: expect.arrayContaining(['unknown', 'abandoned']) });
    expect(rec.totals).toContainEqual({ provider: 'wechat', state: 'UNKNOWN', count: 1, amountFen: due });
    // The manager's query (the platform forgot it after the reset: no such order) and reverse are audited.
    await t.call('payments.query', { id: a.id });
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'payment.query' AND target = ?`, a.id)).toBe(1);
  });

  it('reconcile and reverse are manager endpoints', async () => {
    await start();
    await expect(t.call('payments.reconcile', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.call('payments.reverse', { id: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a received payment no sale took blocks cart changes until a manager refunds it (payments.reverse → 原路退款)', async () => {
    const due = await start();
    fake.setScenario({ op: 'codepay', outcome: 'SUCCESS' });
    const a = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: due });
    expect(a.state).toBe('SUCCESS');
    await t.loginAs('manager');
    const reversed = await t.call('payments.reverse', { id: a.id });
    expect(reversed.state).toBe('REFUNDED');
    const tr = fake.listTrades()[0];
    expect(tr.refunds.reduce((s, r) => s + r.amountFen, 0)).toBe(due);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'payment.reverse' AND target = ?`, a.id)).toBe(1);
  });

  it('while a payment is pending the cart takes no cash and no changes; once received, it cannot be changed or voided, only paid with it', async () => {
    const due = await start();
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING' });
    const a = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: due });
    await expect(t.call('sales.pay', { requestId: rid(), payments: [{ method: 'cash', amountFen: due }] })).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
    await expect(t.call('cart.scan', { code: demoBarcode(3) })).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
    await expect(t.call('cart.hold', {})).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
    fake.customerPays(a.outTradeNo);
    expect((await t.svc.settled(a.id)).state).toBe('SUCCESS');
    await expect(t.call('cart.scan', { code: demoBarcode(3) })).rejects.toMatchObject({ code: 'PAYMENT_RECEIVED' });
    await expect(t.call('cart.void', {})).rejects.toMatchObject({ code: 'PAYMENT_RECEIVED' });
    // Another cart's attempt cannot pay this sale; the amount must be the attempt's.
    await expect(t.call('sales.pay', { requestId: rid(), payments: [{ method: 'wechat', amountFen: due - 1, attemptId: a.id }, { method: 'cash', amountFen: 1 }] })).rejects.toMatchObject({
      code: 'PAYMENT_AMOUNT_MISMATCH',
    });
    const sale = await t.call('sales.pay', { requestId: rid(), payments: [{ method: 'wechat', amountFen: due, attemptId: a.id }] });
    expect(getAttempt(t.till, a.id).saleId).toBe(sale.saleId);
    // Used once: a second sale cannot take it again.
    expect((await t.ringUp([1, 2])).priced.totalFen).toBe(due);
    await expect(t.call('sales.pay', { requestId: rid(), payments: [{ method: 'wechat', amountFen: due, attemptId: a.id }] })).rejects.toMatchObject({
      code: 'PAYMENT_ALREADY_USED',
    });
  });

  it('a received payment reserved by a sale that never committed (killed, refused) is still received, and pays the sale once', async () => {
    const due = await start();
    fake.setScenario({ op: 'codepay', outcome: 'SUCCESS' });
    const a = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: due });
    expect(reserveForSale(t.till, a.id, 'a-sale-that-never-committed')).toBe(true);
    const cart = await t.call('payments.forCart');
    expect(cart.toInclude).toEqual([{ method: 'wechat', amountFen: due, attemptId: a.id }]);
    const sale = await t.call('sales.pay', { requestId: rid(), payments: cart.toInclude });
    expect(getAttempt(t.till, a.id).saleId).toBe(sale.saleId);
    expect(reserveForSale(t.till, a.id, 'another-sale')).toBe(false);
  });
});
