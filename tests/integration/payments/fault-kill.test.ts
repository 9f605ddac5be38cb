// The randomized fault run's SIGKILL half: baskets paid by WeChat code (seeded outcomes and faults, as in
// fault-run.test.ts) by a till in a child process (tests/support/payment-fault-child.ts) that this test
// SIGKILLs at random moments — after a random number of steps and a random few milliseconds, so mid-call
// and mid-transaction as often as between steps. Each new child recovers from the file and carries on.
// Fewer child processes than kills would need one per basket: each child runs baskets until it is killed.
// After the run: the simulator never holds two charges for one basket, every basket is sold once, every
// received payment is in its basket's sale, and the till agrees with the simulator to the fen.
// Replay with PAY_FAULT_SEED=<seed>; PAY_KILL_BASKETS sets the size (default 40; 100 under CI).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Till } from '../../../electron/till/till';
import { WechatPayFake } from '../../fakes/wechat-pay';
import { seededRandom } from '../../../electron/sync/backoff';
import { runKillableChild } from '../../support/killable-child';

const SEED = Number(process.env.PAY_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const BASKETS = Number(process.env.PAY_KILL_BASKETS ?? (process.env.CI ? 100 : 40));
const root = join(import.meta.dirname, '..', '..', '..');

let fake: WechatPayFake;
let dir: string;
// The child bundled once (our TypeScript only; packages stay in node_modules), so a restart after a kill
// starts plain node in a fraction of the time tsx would take to load the sources again.
const childJs = join(root, 'node_modules', '.cache', 'payment-fault-child.mjs');
beforeAll(async () => {
  fake = await WechatPayFake.start();
  dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'till-pay-kill-'));
  await build({
    entryPoints: [join(root, 'tests/support/payment-fault-child.ts')],
    outfile: childJs,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one child until it prints DONE (→ true) or until the kill after `killAfter` steps (→ false). */
const runChild = (args: string[], killAfter: number, killDelayMs: number) =>
  runKillableChild([childJs, ...args], { cwd: root, env: { ...process.env, TILL_LOG_LEVEL: 'error' }, killAfter, killDelayMs });

describe(`payment fault run with SIGKILLed till processes (seed ${SEED})`, () => {
  it(`${BASKETS} baskets: never two charges for one basket, each sold once, till and simulator agree to the fen`, { timeout: Math.max(240_000, BASKETS * 3_000) }, async () => {
    console.log(`payments kill run: PAY_FAULT_SEED=${SEED} PAY_KILL_BASKETS=${BASKETS}`);
    const dataDir = join(dir, 'till');
    const configFile = join(dir, 'wechat.json');
    writeFileSync(configFile, JSON.stringify(fake.clientConfig()));
    const rnd = seededRandom(SEED);
    let kills = 0;
    try {
      for (let child = 0; ; child++) {
        if (child > BASKETS * 4) throw new Error('too many children: the run does not move on');
        // Killed after 1–40 steps (a basket is 3–6), 0–40 ms into the next one.
        const r = await runChild([dataDir, fake.url, configFile, String(SEED), String(BASKETS)], 1 + Math.floor(rnd() * 40), Math.floor(rnd() * 40));
        if (r.done) break;
        kills++;
      }
      console.log(`payments kill run: ${BASKETS} baskets, ${kills} SIGKILLs, ${fake.listTrades().length} simulator trades`);

      const till = new Till({ dataDir, seedDemo: false });
      try {
        const db = till.sqlite;
        const attempts = db.prepare(`SELECT out_trade_no AS no, cart_id AS cartId, sale_id AS saleId, state, amount_fen AS fen, final FROM payment_attempts`).all() as {
          no: string; cartId: string; saleId: string | null; state: string; fen: number; final: number;
        }[];
        expect(attempts.filter((a) => !a.final)).toEqual([]);
        const byNo = new Map(attempts.map((a) => [a.no, a]));
        const trades = fake.listTrades();
        const netOf = (tr: (typeof trades)[number]) => tr.charges.reduce((s, c) => s + c.amountFen, 0) - tr.refunds.reduce((s, x) => s + x.amountFen, 0);
        const keptPerCart = new Map<string, number>();
        for (const tr of trades) {
          const a = byNo.get(tr.outTradeNo);
          expect(a, `simulator trade ${tr.outTradeNo} unknown to the till`).toBeDefined();
          expect(tr.charges.length, `trade ${tr.outTradeNo} charged more than once`).toBeLessThanOrEqual(1);
          const net = netOf(tr);
          expect(net, `trade ${tr.outTradeNo}: till says ${a!.state}`).toBe(a!.state === 'SUCCESS' ? a!.fen : 0);
          if (net > 0) keptPerCart.set(a!.cartId, (keptPerCart.get(a!.cartId) ?? 0) + 1);
        }
        for (const [cartId, n] of keptPerCart) expect(n, `basket ${cartId} holds ${n} successful charges`).toBe(1);
        const saleIds = new Set((db.prepare(`SELECT id FROM sales WHERE kind = 'sale'`).all() as { id: string }[]).map((s) => s.id));
        expect(saleIds.size).toBe(BASKETS);
        for (const a of attempts.filter((x) => x.state === 'SUCCESS')) expect(saleIds.has(a.saleId ?? ''), `received ${a.no} not in a sale`).toBe(true);
        // One sale per basket: no cart's payments went into two sales.
        const salesPerCart = db.prepare(`SELECT cart_id AS c, count(DISTINCT sale_id) AS n FROM payment_attempts WHERE sale_id IS NOT NULL AND state = 'SUCCESS' GROUP BY cart_id HAVING n > 1`).all();
        expect(salesPerCart).toEqual([]);
        const tillWechat = (db.prepare(`SELECT coalesce(sum(amount_fen), 0) AS s FROM payments WHERE method = 'wechat'`).get() as { s: number }).s;
        expect(tillWechat).toBe(trades.reduce((s, tr) => s + netOf(tr), 0));
        for (const s of db.prepare(`SELECT total_fen AS total, paid_fen AS paid, change_fen AS change FROM sales WHERE kind = 'sale'`).all() as { total: number; paid: number; change: number }[]) {
          expect(s.paid - s.change).toBe(s.total);
        }
      } finally {
        till.close();
      }
    } catch (e) {
      console.error(`payments kill run FAILED — replay with PAY_FAULT_SEED=${SEED} PAY_KILL_BASKETS=${BASKETS}`);
      throw e;
    }
  });
});
