// 聚合订单 and 可售 endpoints (shared/api/orders.ts): thin wrappers over electron/sync/{inbox,
// reservations,sellable}.ts, on the till's own connection (the sync worker writes the same tables on
// its own; every write here is one immediate transaction). Settings changes are audited.
import type { ordersApi, OrderPlatform, SafetySettingsView, SellableView } from '../../../shared/api/orders';
import { TillError } from '../../../shared/errors';
import { getOrder, listOrders, orderForViewer } from '../../sync/inbox';
import { handOver, queueFigure, resolveReview } from '../../sync/reservations';
import { safetySettings, sellableFigures, setRule } from '../../sync/sellable';
import { audit } from '../../till/audit';
import type { Till } from '../../till/till';
import type { Handlers } from '../registry';

const settingsView = (till: Till) => safetySettings(till.db) as SafetySettingsView;

const forViewer = <T extends { buyerPhone: string | null }>(till: Till, order: T) => orderForViewer(order, till.auth.session?.role);
const orderFor = (till: Till, id: string) => forViewer(till, getOrder(till.db, id));

export const ordersHandlers: Handlers<typeof ordersApi> = {
  'orders.list': (input, { till }) => {
    const page = listOrders(till.db, input);
    return { ...page, items: page.items.map((o) => forViewer(till, o)) };
  },
  'orders.get': ({ id }, { till }) => orderFor(till, id),
  'orders.handOver': (input, { till }) => {
    const session = till.auth.requireSession();
    const now = till.now();
    const r = handOver(till.db, { id: input.id, lines: input.lines, key: input.key, userId: session.userId, now, businessDay: till.businessDay(now) });
    return { ...r, order: orderFor(till, input.id) };
  },
  'orders.resolveReview': ({ id, returnStock }, { till }) => {
    const session = till.auth.requireSession();
    const now = till.now();
    till.tx(() => {
      resolveReview(till.db, id, returnStock, session.userId, now, till.businessDay(now));
      audit(till.sqlite, { userId: session.userId, action: 'orders.resolveReview', target: id, details: { returnStock } }, now);
    });
    return orderFor(till, id);
  },
  'sellable.get': ({ skuId }, { till }) => {
    const v = sellableFigures(till.db, skuId);
    if (!v) throw new TillError('UNKNOWN_SKU', '商品不存在');
    return v as SellableView;
  },
  'sellable.settings': (_i, { till }) => settingsView(till),
  'sellable.setSafety': (input, { till }) => {
    const session = till.auth.requireSession();
    const now = till.now();
    if (input.scope === 'category' && !till.sqlite.prepare(`SELECT 1 FROM categories WHERE id = ?`).get(input.id)) throw new TillError('UNKNOWN_CATEGORY', '分类不存在');
    if (input.scope === 'sku' && !till.sqlite.prepare(`SELECT 1 FROM skus WHERE id = ?`).get(input.id)) throw new TillError('UNKNOWN_SKU', '商品不存在');
    till.tx(() => {
      const kind = input.scope === 'shop' ? 'safety_shop' : input.scope === 'category' ? 'safety_category' : 'safety_sku';
      const before = settingsView(till);
      queueFigure(till.db, setRule(till.db, kind, input.id ?? '', input.qty, session.userId, now));
      audit(till.sqlite, { userId: session.userId, action: 'sellable.setSafety', target: input.id ?? 'shop', details: { scope: input.scope, qty: input.qty, before: before.shopDefault } }, now);
    });
    return settingsView(till);
  },
  'sellable.setShare': ({ platform, percent }, { till }) => {
    const session = till.auth.requireSession();
    const now = till.now();
    till.tx(() => {
      queueFigure(till.db, setRule(till.db, 'share', platform satisfies OrderPlatform, percent, session.userId, now));
      audit(till.sqlite, { userId: session.userId, action: 'sellable.setShare', target: platform, details: { percent } }, now);
    });
    return settingsView(till);
  },
};
