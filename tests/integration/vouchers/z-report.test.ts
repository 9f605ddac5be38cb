// The day's group-buy redemptions and self-pickups in the Z report (日结): redeemed per platform (count,
// uses, value) and undone equal the redemption log (vouchers.log) filtered to the same business day;
// pickups (orders, hand-overs, pieces) equal the pickup log's rows of the day; both print on 58 and 80 mm.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dayReportDoc } from '../../../electron/devices/receipt/report-templates';
import { renderEscpos } from '../../../electron/devices/receipt/escpos';
import { yuan } from '../../../electron/devices/receipt/templates';
import { decodeEscpos } from '../../fakes/escpos-decoder';
import { sampleSettings } from '../../fakes/render-samples';
import { startFakes, voucherTill, type Fakes, type VoucherTill } from './voucher-till';

let f: Fakes;
let t: VoucherTill;

beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
});
afterEach(() => t?.cleanup());

async function redeem(code: string, uses = 1) {
  const p = await t.call('vouchers.prepare', { code });
  return t.call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses });
}

describe('Z report: redemptions and pickups', () => {
  it('equal the redemption log and the pickup log of the day, and print on 58 and 80 mm', async () => {
    f.douyin.reset();
    f.meituan.reset();
    t = voucherTill(f);
    await t.loginAs('cashier');
    const d1 = await redeem(f.douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800 }).url);
    const d2 = await redeem(f.douyin.addVoucher({ title: '单人餐', unitValueFen: 3000, uses: 3 }).url, 2);
    await redeem(f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900 }).code);
    expect([d1.state, d2.state]).toEqual(['REDEEMED', 'REDEEMED']);
    await t.loginAs('manager');
    await t.call('vouchers.undo', { id: d1.id, reason: '顾客改期' });

    // Two hand-overs of one Youzan self-pickup order (2 pieces, then 1) and one of another (fixture rows).
    const now = t.till.now();
    const order = t.till.sqlite.prepare(
      `INSERT INTO online_orders (id, platform, platform_order_id, status, platform_status, delivery_type, pay_amount_fen, lines, platform_created_at, platform_updated_at, first_seen_at, updated_at)
       VALUES (?, 'youzan', ?, 'paid', 'WAIT_SELLER_SEND_GOODS', 'self_pickup', 900, '[]', ?, ?, ?, ?)`,
    );
    order.run('o1', 'E1', now, now, now, now);
    order.run('o2', 'E2', now, now, now, now);
    const handover = t.till.sqlite.prepare(`INSERT INTO online_handovers (key, order_id, moved, user_id, created_at) VALUES (?, ?, ?, NULL, ?)`);
    handover.run('k1', 'o1', JSON.stringify([{ lineNo: 0, qty: 2 }]), now);
    handover.run('k2', 'o1', JSON.stringify([{ lineNo: 1, qty: 1 }]), now + 1000);
    handover.run('k3', 'o2', JSON.stringify([{ lineNo: 0, qty: 4 }]), now + 2000);

    const day = t.till.businessDay();
    const z = await t.call('day.preview', { businessDay: day });
    const log = await t.call('vouchers.log', { from: day, to: day, pageSize: 200 });
    const undone = await t.call('vouchers.log', { from: day, to: day, result: 'undone', pageSize: 200 });

    // Redeemed (still) per platform = the log's totals; undone = the log's undone rows.
    const zRedeemed = z.vouchers!.filter((v) => v.count > 0).map((v) => ({ platform: v.platform, redemptions: v.count, uses: v.uses, valueFen: v.valueFen }));
    expect(zRedeemed).toEqual([...log.totals].sort((a, b) => a.platform.localeCompare(b.platform)));
    for (const v of z.vouchers!) {
      const u = undone.rows.filter((r) => r.platform === v.platform);
      expect([v.undoneCount, v.undoneFen]).toEqual([u.length, u.reduce((s, r) => s + r.valueFen, 0)]);
    }
    // The hand-worked figures: Douyin 1 redemption of 2 uses ¥60 still, 1 undone ¥88; Meituan 1 × ¥39.
    expect(z.vouchers).toEqual([
      { platform: 'douyin', label: '抖音团购', count: 1, uses: 2, valueFen: 6000, undoneCount: 1, undoneFen: 8800 },
      { platform: 'meituan', label: '美团/点评', count: 1, uses: 1, valueFen: 3900, undoneCount: 0, undoneFen: 0 },
    ]);

    const pickups = await t.call('pickup.log', { limit: 200 });
    const ofDay = pickups.rows.filter((r) => t.till.businessDay(r.at) === day);
    expect(z.pickups).toEqual([
      { platform: 'youzan', label: '有赞', orders: new Set(ofDay.map((r) => r.orderId)).size, handovers: ofDay.length, pieces: ofDay.reduce((s, r) => s + r.pieces, 0) },
    ]);
    expect(z.pickups![0]).toMatchObject({ orders: 2, handovers: 3, pieces: 7 });

    // Printed: both layouts carry the sections and figures.
    for (const paper of [58, 80] as const) {
      const job = decodeEscpos(renderEscpos(dayReportDoc({ ...z, printedAt: now }, sampleSettings(paper, false))));
      expect(job.errors).toEqual([]);
      const text = job.lines.map((l) => l.text).join('\n');
      expect(text).toContain('团购券核销');
      expect(text).toMatch(/抖音团购 *1笔[ /]*2张 +￥60\.00/);
      expect(text).toContain(yuan(8800));
      expect(text).toContain('自提核销');
      expect(text).toMatch(/有赞 2单（3次交付） +7件/);
    }
  });
});
