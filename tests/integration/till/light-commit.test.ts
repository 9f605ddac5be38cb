// Cart edits commit without an fsync (electron/till/light-commit.ts), everything else with one. The
// rule: a killed process loses nothing it acknowledged, cart edits included (the WAL write is in the
// OS's hands when the commit returns); a power cut may take back the last cart edits, never a sale,
// payment or stock move. Here: (1) after any mix of cart edits, approved ones and refused ones, the
// sale's own commit runs at synchronous=FULL and the connection is left at FULL; (2) a child process
// killed with SIGKILL right after its cart edits were acknowledged keeps every one of them.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { approveAsk, refusal } from '../../support/till-asserts';
import { askOf } from '../../../shared/approvals';

const FULL = 2;
const NORMAL = 1;
let t: TempTill | undefined;
afterEach(() => t?.cleanup());

describe('light commits of the cart', () => {
  it('a sale after cart edits (approved, refused) commits with synchronous=FULL', async () => {
    t = tempTill();
    const tt = t;
    await tt.loginAs('cashier');
    await tt.call('shift.open', { openingCashFen: 50000 });
    const mode = () => tt.till.sqlite.pragma('synchronous', { simple: true }) as number;
    /** synchronous as each transaction's body runs, and the statements it ran (by table). */
    const commits: { mode: number; what: string }[] = [];
    const tx = tt.till.tx.bind(tt.till);
    let what = '';
    tt.till.tx = <T>(fn: () => T): T => {
      const m = mode();
      const r = tx(fn);
      commits.push({ mode: m, what });
      return r;
    };
    expect(mode()).toBe(FULL); // the till opens at FULL

    what = 'cart';
    let view = await tt.call('cart.scan', { code: demoBarcode(1) });
    view = await tt.call('cart.scan', { code: demoBarcode(2), multiplier: 3 });
    const lineId = 'lines' in view ? view.lines[1].id : '';
    await tt.call('cart.setQty', { lineId, qty: 2000 });
    // A discount over the cashier's limit: refused, then approved by the manager's PIN.
    const refused = await refusal(tt.call('cart.setLineDiscount', { lineId, discount: { kind: 'percent', bp: 5000 } }));
    expect(refused.code).toBe('APPROVAL_REQUIRED');
    expect(mode()).toBe(FULL); // a refused edit leaves the connection at FULL
    what = 'approve';
    const token = await approveAsk(tt, askOf(refused.details)!);
    what = 'cart';
    await tt.call('cart.setLineDiscount', { lineId, discount: { kind: 'percent', bp: 5000 }, approval: token });
    await refusal(tt.call('cart.setQty', { lineId: 'gone', qty: 1000 }));
    expect(mode()).toBe(FULL);
    const cartCommits = commits.filter((c) => c.what === 'cart');
    expect(cartCommits.length).toBeGreaterThan(3);
    expect(cartCommits.every((c) => c.mode === NORMAL)).toBe(true); // the unpaid cart waits for no disk

    what = 'sale';
    const total = (await tt.call('cart.get')).priced.totalFen;
    await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: total }] });
    const sale = commits.filter((c) => c.what === 'sale');
    expect(sale.length).toBeGreaterThan(0);
    expect(sale.every((c) => c.mode === FULL)).toBe(true); // the sale, its payment and stock moves wait for the disk
    expect(mode()).toBe(FULL);
  });

  it('a process killed right after its cart edits were acknowledged keeps every one of them', async () => {
    const root = resolve(import.meta.dirname, '..', '..', '..');
    const dataDir = mkdtempSync(join(tmpdir(), 'till-light-'));
    try {
      const EDITS = 8;
      // The child scans EDITS items, printing ACK after each scan returned, then waits to be killed.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `
          import { createRegistry } from ${JSON.stringify(join(root, 'electron/api/handlers/index.ts'))};
          import { demoBarcode } from ${JSON.stringify(join(root, 'electron/till/seed.ts'))};
          import { Till } from ${JSON.stringify(join(root, 'electron/till/till.ts'))};
          const till = new Till({ dataDir: ${JSON.stringify(dataDir)}, seedDemo: true });
          const registry = createRegistry({ till, devices: null }, 'browser');
          const call = async (name, input = {}) => {
            const r = await registry.call(name, input);
            if (!r.ok) throw new Error(name + ': ' + r.error.code);
            return r.result;
          };
          const cashier = till.sqlite.prepare("SELECT id FROM users WHERE role_id = 'cashier' LIMIT 1").get();
          await call('auth.login', { userId: cashier.id, pin: '1111' });
          for (let i = 1; i <= ${EDITS}; i++) {
            const v = await call('cart.scan', { code: demoBarcode(i) });
            process.stdout.write('ACK ' + v.lines.length + '\\n');
          }
          setInterval(() => undefined, 1000);
          `,
        ],
        { cwd: root, env: { ...process.env, TILL_LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const acked = await new Promise<number>((done, fail) => {
        let last = 0;
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const m = /^ACK (\d+)$/.exec(line);
          if (m) last = Number(m[1]);
          if (last === EDITS) child.kill('SIGKILL'); // at once: no clean close, no checkpoint
        });
        child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? done(last) : fail(new Error(`child ended by itself: ${stderr}`))));
      });
      expect(acked).toBe(EDITS);
      const db = new Database(join(dataDir, 'till.db'));
      try {
        expect((db.pragma('integrity_check', { simple: true }) as string)).toBe('ok');
        const row = db.prepare(`SELECT data FROM carts WHERE status = 'active'`).get() as { data: string };
        expect((JSON.parse(row.data) as { lines: unknown[] }).lines).toHaveLength(EDITS);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
