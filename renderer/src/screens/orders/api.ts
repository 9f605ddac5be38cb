// The order inbox's calls (shared/api/orders.ts). Typed by the contract's own types; the call goes
// through the client by name so the screen builds while the contract joins the API map.
import type { OnlineOrderDetail, OnlineOrderPage, OrdersListInput, SellableView } from '../../../../shared/api/orders';
import { call } from '../../api/client';

const byName = call as unknown as <T>(name: string, input: unknown) => Promise<T>;

export const ordersApi = {
  list: (input: OrdersListInput) => byName<OnlineOrderPage>('orders.list', input),
  get: (id: string) => byName<OnlineOrderDetail>('orders.get', { id }),
  sellable: (skuId: string) => byName<SellableView>('sellable.get', { skuId }),
};
