// The order inbox's calls (shared/api/orders.ts), in one place.
import type { OrdersListInput } from '../../../../shared/api/orders';
import { call } from '../../api/client';

export const ordersApi = {
  list: (input: OrdersListInput) => call('orders.list', input),
  get: (id: string) => call('orders.get', { id }),
  sellable: (skuId: string) => call('sellable.get', { skuId }),
  resolveReview: (id: string, returnStock: boolean) => call('orders.resolveReview', { id, returnStock }),
};
