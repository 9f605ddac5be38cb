// 撤销核销 on the spot: the cashier presses 撤销, the manager types their PIN on the same screen
// (auth.approve for the ask vouchers.undo sent), and the undo is retried with the single-use token. The
// token is bound to that redemption: it cannot undo another one. A manager's own session needs none.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { askOf } from '../../../shared/approvals';
import { startFakes, voucherTill, type Fakes, type VoucherTill } from './voucher-till';

let f: Fakes;
let t: VoucherTill;

beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
});
beforeEach(async () => {
  f.douyin.reset();
  f.meituan.reset();
  t = voucherTill(f);
  await t.loginAs('cashier');
});
afterEach(() => t.cleanup());

async function redeemDouyin(title: string) {
  const v = f.douyin.addVoucher({ title, unitValueFen: 8800 });
  const p = await t.call('vouchers.prepare', { code: v.url });
  return t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 });
}

const cancels = () => f.douyin.requests().filter((x) => x.op === 'cancel');
const undoAudit = () =>
  t.till.sqlite.prepare("SELECT user_id AS userId, approver_id AS approverId, target FROM audit_log WHERE action = 'voucher.undo'").all();

/** The ask of a refused undo, approved with the manager's PIN: the token. */
async function approveUndo(id: string): Promise<string> {
  const err = await t.callRaw('vouchers.undo', { id }).catch((e) => e);
  expect(err).toMatchObject({ code: 'APPROVAL_REQUIRED', message: expect.stringContaining('店长授权') });
  const ask = askOf(err.details)!;
  expect(ask).toMatchObject({ action: 'voucher_undo', subject: { redemptionId: id } });
  expect(ask.summary).toContain('双人套餐');
  return (await t.call('auth.approve', { askId: ask.id, pin: '2222' })).token;
}

describe('voucher undo approved on the spot', () => {
  it('a cashier undoes with the manager approval for that redemption; the audit names cashier and manager; the token is single-use', async () => {
    const r = await redeemDouyin('双人套餐');
    const token = await approveUndo(r.id);
    const u = await t.call('vouchers.undo', { id: r.id, approval: token, reason: '顾客改期' });
    expect(u.state).toBe('UNDONE');
    expect(f.douyin.appliedVerifies).toBe(0);
    expect(undoAudit()).toEqual([{ userId: t.userId('cashier'), approverId: t.userId('manager'), target: r.id }]);
    // Spent: the same token does not approve anything again.
    const again = await redeemDouyin('双人套餐');
    await expect(t.call('vouchers.undo', { id: again.id, approval: token })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect((await t.call('vouchers.get', { id: again.id })).state).toBe('REDEEMED');
  });

  it('an approval for one redemption cannot undo another: refused, nothing sent to the platform, the token still works for its own', async () => {
    const a = await redeemDouyin('双人套餐');
    const b = await redeemDouyin('双人套餐');
    const tokenA = await approveUndo(a.id);
    await expect(t.call('vouchers.undo', { id: b.id, approval: tokenA })).rejects.toMatchObject({
      code: 'APPROVAL_MISMATCH',
      message: expect.stringMatching(/[\u4e00-\u9fff]/),
    });
    expect((await t.call('vouchers.get', { id: b.id })).state).toBe('REDEEMED');
    expect(cancels()).toHaveLength(0);
    expect(undoAudit()).toEqual([]);
    expect((await t.call('vouchers.undo', { id: a.id, approval: tokenA })).state).toBe('UNDONE');
    expect((await t.call('vouchers.get', { id: b.id })).state).toBe('REDEEMED');
    expect(f.douyin.appliedVerifies).toBe(1);
  });

  it('an undo that cannot happen (past the hour) is refused with its reason before a manager is asked', async () => {
    const r = await redeemDouyin('双人套餐');
    f.advance(61 * 60);
    await expect(t.call('vouchers.undo', { id: r.id })).rejects.toMatchObject({ code: 'VOUCHER_UNDO_WINDOW' });
    expect(t.till.auth.approvals.outstanding().asks).toBe(0);
    expect(cancels()).toHaveLength(0);
  });

  it('a manager session still undoes without a token (audited with themselves as approver)', async () => {
    const r = await redeemDouyin('双人套餐');
    await t.loginAs('manager');
    expect((await t.call('vouchers.undo', { id: r.id })).state).toBe('UNDONE');
    expect(undoAudit()).toEqual([{ userId: t.userId('manager'), approverId: t.userId('manager'), target: r.id }]);
  });
});
