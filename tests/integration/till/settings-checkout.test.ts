// 收银设置 on the main side, through the handler map on a real SQLite file: a cashier reads but may not
// save; a manager's save takes effect on the next cart (抹零 to the jiao), writes every value in one
// transaction with ONE audit row listing [from, to] per changed key; a bad value (a scale layout
// without a PLU) is refused in Chinese, saying which layout and why, and nothing changes.
import { afterEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { CheckoutSettings, SaveCheckoutResult } from '../../../shared/api/settings';
import { makeScaleBarcode } from '../../../shared/barcode';
import { verifyAuditChain } from '../../../electron/till/audit';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView, refusal } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

const COKE_330 = demoBarcode(1); // 可口可乐 330ml ¥3.00
// 红富士苹果 (PLU 00001) ¥6.98/斤 on the default weight layout: 1.234 kg = 2.468 斤 → round(698 × 2.468) = ¥17.23
const APPLES_1234G = makeScaleBarcode('2FPPPPPWWWWWC', { plu: '00001', weightGrams: 1234, flag: 0 });

/** Every stored setting row and the audit rows about settings: what "nothing changed" compares. */
const snapshot = (tt: TempTill) => ({
  settings: tt.till.sqlite.prepare('SELECT key, value, updated_at FROM settings ORDER BY key').all(),
  audits: tt.till.sqlite.prepare(`SELECT seq FROM audit_log WHERE action = 'settings.checkout'`).all(),
});
const settingsAudits = (tt: TempTill) =>
  tt.till.sqlite
    .prepare(`SELECT user_id AS userId, details FROM audit_log WHERE action = 'settings.checkout' ORDER BY seq`)
    .all()
    .map((r) => {
      const row = r as { userId: string; details: string };
      return { userId: row.userId, details: JSON.parse(row.details) as { changed: Record<string, [unknown, unknown]> } };
    });

async function cartTotal(tt: TempTill): Promise<CartView['priced']> {
  await tt.call('cart.scan', { code: COKE_330 });
  const cart = cartView(await tt.call('cart.scan', { code: APPLES_1234G }));
  expect(cart.lines.map((l) => l.name).join(' ')).toMatch(/可口可乐.*苹果/);
  return cart.priced;
}

describe('settings: 收银设置', () => {
  it('a cashier reads the settings but saving is FORBIDDEN and changes nothing', async () => {
    t = tempTill();
    await t.loginAs('cashier');
    const read = await t.call('settings.checkout');
    expect(read['checkout.rounding']).toBe('none');
    expect(read['checkout.scaleLayouts']).toContain('2FPPPPPWWWWWC'.replace('F', '0'));
    expect(read['till.id']).toBe('T01');
    const before = snapshot(t);
    const r = await refusal(t.call('settings.saveCheckout', { 'checkout.rounding': 'yuan', 'checkout.requireShift': false }));
    expect(r.code).toBe('FORBIDDEN');
    expect(r.message).toBe('需要店长权限');
    expect(snapshot(t)).toEqual(before);
    expect((await t.call('settings.checkout'))['checkout.rounding']).toBe('none');
  });

  it("a manager saves 抹到角: the cashier's next cart rounds its total down to the jiao", async () => {
    t = tempTill();
    // Before: no rounding, the total keeps its fen.
    await t.loginAs('cashier');
    await t.call('shift.open', { openingCashFen: 20_000 });
    const plain = await cartTotal(t);
    expect(plain.subtotalFen).toBe(300 + 1723);
    expect(plain.totalFen).toBe(2023);
    expect(plain.roundingFen).toBe(0);
    await t.call('auth.logout');

    await t.loginAs('manager');
    const saved = await t.call('settings.saveCheckout', { 'checkout.rounding': 'jiao' });
    expect(saved.changed).toEqual({ 'checkout.rounding': ['none', 'jiao'] });
    expect(saved.settings['checkout.rounding']).toBe('jiao');
    await t.call('auth.logout');

    await t.loginAs('cashier');
    expect((await t.call('settings.checkout'))['checkout.rounding']).toBe('jiao');
    // The cart held at logout (under the cashier) is priced with the new rule once recalled, and so is
    // the next scan: 3.00 + 17.23 + 3.00 = 23.23 → 23.20.
    const [held] = await t.call('cart.held');
    const same = await t.call('cart.recall', { heldId: held.id });
    expect(same.priced.subtotalFen).toBe(2023);
    expect(same.priced.totalFen).toBe(2020);
    const rounded = (cartView(await t.call('cart.scan', { code: COKE_330 }))).priced;
    expect(rounded.subtotalFen).toBe(2323);
    expect(rounded.roundingFen).toBe(-3);
    expect(rounded.totalFen).toBe(2320);
    expect(rounded.lines.reduce((sum, l) => sum + l.payableFen, 0)).toBe(2320);
    // The setting is stored, not held in memory: it survives a restart.
    t = t.reopen();
    await t.loginAs('cashier');
    expect((await t.call('settings.checkout'))['checkout.rounding']).toBe('jiao');
  });

  it('refuses a bad scale layout in Chinese (which one and why) and saves none of the other values', async () => {
    t = tempTill();
    await t.loginAs('manager');
    const before = snapshot(t);
    const r = await refusal(
      t.call('settings.saveCheckout', {
        'checkout.rounding': 'yuan',
        'till.id': 'T09',
        'checkout.scaleLayouts': ['2FPPPPPWWWWWC', '2FWWWWWWWWWWC'],
      }),
    );
    expect(r.code).toBe('BAD_INPUT');
    // The sentence names the layout and why; which entry it was stays in details (never a path on screen).
    expect(r.message).toBe('条码秤格式缺少商品码 (P)：2FWWWWWWWWWWC');
    expect(r.details.issues[0].path).toEqual(['checkout.scaleLayouts', 1]);
    expect(snapshot(t)).toEqual(before);
    const now = await t.call('settings.checkout');
    expect(now['checkout.rounding']).toBe('none');
    expect(now['till.id']).toBe('T01');

    // Other rules of the same schemas, each refused with its own Chinese words.
    const cases: [Record<string, unknown>, string][] = [
      [{ 'checkout.scaleLayouts': ['2FPPPPPC'] }, '缺少重量 (W) 或金额 ($)'],
      [{ 'checkout.scaleLayouts': ['2FPPPPPWWWWW'] }, '条码秤格式无效：2FPPPPPWWWWW'],
      [{ 'day.cutoffHour': 13 }, '营业日切换时间最大为 12 点'],
      [{ 'auth.maxPinFailures': 2 }, 'PIN 连续错误锁定次数最小为 3 次'],
      [{ 'checkout.cashierDiscountLimitBp': 10_001 }, '收银员折扣上限最大为 100%'],
      [{ 'till.id': 't1' }, '收银台编号须为 2–6 位大写字母或数字'],
      [{ 'checkout.rounding': 'fen' }, '抹零方式无效'],
      [{ 'checkout.cashOverConfirmFen': -1 }, '大额找零确认最小为 ¥0.00'],
      [{ 'checkout.cashOverConfirmFen': 10_000_001 }, '大额找零确认最大为 ¥100000.00'],
    ];
    for (const [input, words] of cases) {
      const bad = await refusal(t.call('settings.saveCheckout', input));
      expect(bad.code).toBe('BAD_INPUT');
      expect(bad.message).toContain(words);
    }
    expect(snapshot(t)).toEqual(before);
  });

  it('大额找零确认 (the change above which the payment screen checks the cash typed) is ¥1000 until a manager changes it', async () => {
    t = tempTill();
    await t.loginAs('cashier'); // the payment screen reads it as the cashier
    expect((await t.call('settings.checkout'))['checkout.cashOverConfirmFen']).toBe(100_000);
    await t.call('auth.logout');
    await t.loginAs('manager');
    const saved = await t.call('settings.saveCheckout', { 'checkout.cashOverConfirmFen': 50_000 });
    expect(saved.changed).toEqual({ 'checkout.cashOverConfirmFen': [100_000, 50_000] });
    expect(saved.settings['checkout.cashOverConfirmFen']).toBe(50_000);
  });

  it('one save = one transaction and ONE audit row listing each changed key [from, to]', async () => {
    t = tempTill();
    await t.loginAs('manager');
    const manager = t.userId('manager');
    const layouts = ['2FPPPPPWWWWWC', '2FPPPPP$$$$$C', '28PPPPPPWWWWWC'];
    const saved = await t.call('settings.saveCheckout', {
      'checkout.rounding': 'jiao_half',
      'checkout.mergeRepeatScans': false,
      'checkout.cashierDiscountLimitBp': 1500,
      'checkout.cashierDiscountLimitFen': 2000,
      'checkout.requireShift': false,
      'checkout.scaleLayouts': layouts,
      'till.id': 'T02',
      'day.cutoffHour': 5,
      'auth.maxPinFailures': 3,
      'auth.lockoutMinutes': 10,
    });
    const expected = {
      'checkout.rounding': ['none', 'jiao_half'],
      'checkout.mergeRepeatScans': [true, false],
      'checkout.cashierDiscountLimitBp': [1000, 1500],
      'checkout.cashierDiscountLimitFen': [5000, 2000],
      'checkout.requireShift': [true, false],
      'checkout.scaleLayouts': [saved.changed['checkout.scaleLayouts']?.[0], layouts],
      'till.id': ['T01', 'T02'],
      'day.cutoffHour': [4, 5],
      'auth.maxPinFailures': [5, 3],
      'auth.lockoutMinutes': [5, 10],
    };
    expect(saved.changed).toEqual(expected);
    expect((saved.changed['checkout.scaleLayouts']?.[0] as string[]).length).toBe(10); // the ten defaults
    const rows = settingsAudits(t);
    expect(rows).toHaveLength(1);
    expect(rows[0].userId).toBe(manager);
    expect(rows[0].details).toEqual({ changed: expected });
    expect(verifyAuditChain(t.till.sqlite)).toBeNull();
    // All written with one timestamp, in one transaction.
    const stamps = t.till.sqlite.prepare(`SELECT DISTINCT updated_at FROM settings WHERE key IN (${Object.keys(expected).map(() => '?').join(',')})`).all(...Object.keys(expected));
    expect(stamps).toHaveLength(1);
    // The till uses them at once: the till number in app.info.
    expect((await t.call('app.info')).tillId).toBe('T02');

    // Saving a value it already has, or the same values again: nothing changes, no audit row.
    const again = await t.call('settings.saveCheckout', { 'till.id': 'T02', 'day.cutoffHour': 5 });
    expect(again.changed).toEqual({});
    expect(settingsAudits(t)).toHaveLength(1);
    // A second real change is its own row listing only what changed.
    await t.call('settings.saveCheckout', { 'till.id': 'T02', 'auth.lockoutMinutes': 15 });
    expect(settingsAudits(t).map((r) => r.details)).toEqual([{ changed: expected }, { changed: { 'auth.lockoutMinutes': [10, 15] } }]);
  });

  it('the saved PIN lockout applies to the next logins', async () => {
    t = tempTill();
    await t.loginAs('manager');
    await t.call('settings.saveCheckout', { 'auth.maxPinFailures': 3 });
    await t.call('auth.logout');
    const cashier = t.userId('cashier');
    for (let i = 0; i < 2; i++) expect((await refusal(t.call('auth.login', { userId: cashier, pin: '0000' }))).code).toBe('BAD_PIN');
    const third = await refusal(t.call('auth.login', { userId: cashier, pin: '0000' }));
    expect(third.code).toBe('LOCKED');
    expect(third.message).toContain('连续错误 3 次');
  });
});
