// Crash: a till SIGKILLed while its verify is out (the platform applied it and holds the answer), restarted
// on the same database: start-up recovery finds the redemption stored before the call, sends the same
// verify_token and params again, and records the platform's first outcome — redeemed once, here and there.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Till } from '../../../electron/till/till';
import { VoucherService } from '../../../electron/vouchers/service';
import { DouyinLifeFake } from '../../fakes/douyin-life';
import { startFakes, connectorsFor, type Fakes } from './voucher-till';

const root = resolve(import.meta.dirname, '..', '..', '..');
let f: Fakes;
const dirs: string[] = [];
beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function killDuringVerify(fake: DouyinLifeFake, dataDir: string, code: string): Promise<void> {
  const config = JSON.stringify({ clientKey: fake.clientKey, clientSecret: fake.clientSecret, poiId: fake.poiId });
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/integration/vouchers/kill-child.ts'), dataDir, fake.url, config, code], {
      cwd: root,
      env: { ...process.env, TILL_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // Kill once the simulator has the verify (applied, its answer held).
    const poll = setInterval(() => {
      if (fake.requests().some((r) => r.op === 'verify')) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 20);
    const deadline = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      fail(new Error(`child made no progress in 60 s: ${out} ${stderr}`));
    }, 60_000);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      clearInterval(poll);
      if (signal === 'SIGKILL' && !out.includes('ANSWERED')) done();
      else fail(new Error(`child was not killed mid-call: ${out} ${stderr}`));
    });
  });
}

it('killed mid-verify, restarted: the same call is sent again and the voucher is redeemed exactly once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voucher-kill-'));
  dirs.push(dataDir);
  const v = f.douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800 });
  f.douyin.setScenario({ op: 'verify', fault: 'timeout', delayMs: 120_000 });
  await killDuringVerify(f.douyin, dataDir, v.code);
  expect(f.douyin.appliedVerifies).toBe(1);

  const till = new Till({ dataDir, seedDemo: true, now: () => f.douyin.now() });
  try {
    const before = till.sqlite.prepare('SELECT state, pending_params AS p FROM voucher_redemptions').all() as { state: string; p: string }[];
    expect(before).toHaveLength(1);
    expect(before[0].state).toBe('PENDING'); // stored before the call, its outcome not yet known
    const svc = new VoucherService(till, connectorsFor(f), { retryDelaysMs: [5, 5, 5] });
    const recovered = await svc.recover();
    expect(recovered.map((r) => [r.state, r.valueFen])).toEqual([['REDEEMED', 8800]]);
    expect(f.douyin.appliedVerifies).toBe(1);
    const verifies = f.douyin.requests().filter((r) => r.op === 'verify');
    expect(verifies).toHaveLength(2); // the first (held) and the retry (replayed)
    svc.stop();
  } finally {
    till.close();
  }
});
