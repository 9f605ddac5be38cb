// payment_overhead_ms: the till's own time per code payment (付款码) on top of the simulator's answer
// time, p95. Each payment is payments.codePay through the API registry (validation, the cart's checks,
// the attempt stored before the call, the request signed, the answer's signature verified, each state
// change written with its event row) against the WeChat Pay simulator over loopback HTTP, answering
// SUCCESS at once. The simulator's own time for that request (arrival → answer handed to the socket,
// tests/fakes/wechat-pay.ts serverMs) is subtracted; what is left is the till's.
import { percentile, round, type BenchResult } from './lib';

const PAYMENTS = 300;
const WARMUP = 30;

export async function run(): Promise<BenchResult[]> {
  process.env.TILL_LOG_LEVEL ??= 'warn'; // one JSON line per state change would be timed too
  const { WechatPayFake } = await import('../fakes/wechat-pay');
  const { payTill, rid } = await import('../support/payment-till');
  const wechat = await WechatPayFake.start();
  const t = payTill({ wechat, timeoutMs: 10_000 });
  try {
    await t.loginAs('cashier');
    const overhead: number[] = [];
    const simulator: number[] = [];
    for (let i = 0; i < PAYMENTS + WARMUP; i++) {
      const cart = await t.ringUp([1 + (i % 5)]);
      const due = cart.priced.totalFen;
      const code = `13${String(1e15 + i).padStart(16, '0')}`; // a new code each time (the same code twice is refused)
      const before = wechat.requests().length;
      const start = performance.now();
      const a = await t.call('payments.codePay', { requestId: rid(), code, amountFen: due });
      const total = performance.now() - start;
      await new Promise((r) => setImmediate(r)); // the simulator's 'finish' has fired
      if (a.state !== 'SUCCESS') throw new Error(`payment ${i}: ${a.state} ${a.detail ?? ''}`);
      const calls = wechat.requests().slice(before);
      if (calls.length !== 1 || calls[0].serverMs === undefined) throw new Error(`payment ${i}: ${calls.length} simulator calls`);
      if (i >= WARMUP) {
        overhead.push(total - calls[0].serverMs);
        simulator.push(calls[0].serverMs);
      }
      await t.call('sales.pay', { requestId: rid(), payments: [{ method: 'wechat', amountFen: due, attemptId: a.id }] });
    }
    return [
      {
        name: 'payment_overhead_ms',
        value: round(percentile(overhead, 95)),
        unit: 'ms',
        note: `p95 of ${PAYMENTS} WeChat code payments (p50 ${round(percentile(overhead, 50))}); simulator's own answer p95 ${round(percentile(simulator, 95))} ms subtracted`,
      },
    ];
  } finally {
    t.cleanup();
    await wechat.close();
  }
}
