// Every domain's handlers in one complete map (AllHandlers: a missing endpoint does not compile).
import { Registry, type AllHandlers } from '../registry';
import type { Services } from '../services';
import { appHandlers } from './app';
import { authHandlers } from './auth';
import { cartHandlers } from './cart';
import { catalogHandlers } from './catalog';
import { dayHandlers } from './day';
import { devicesHandlers } from './devices';
import { memberLinksHandlers } from './member-links';
import { ordersHandlers } from './orders';
import { orderBalanceHandlers } from './order-balance';
import { paymentsHandlers } from './payments';
import { paymentSettingsHandlers } from './payment-settings';
import { pickupHandlers } from './pickup';
import { posterHandlers } from './poster';
import { reportsHandlers } from './reports';
import { salesHandlers } from './sales';
import { settingsHandlers } from './settings';
import { shiftHandlers } from './shift';
import { syncHandlers } from './sync';
import { vouchersHandlers } from './vouchers';

export function createRegistry(services: Services, transport: 'electron' | 'browser'): Registry {
  const handlers: AllHandlers = {
    ...appHandlers(transport),
    ...authHandlers,
    ...catalogHandlers,
    ...devicesHandlers,
    ...shiftHandlers,
    ...cartHandlers,
    ...salesHandlers,
    ...settingsHandlers,
    ...reportsHandlers,
    ...dayHandlers,
    ...paymentsHandlers,
    ...paymentSettingsHandlers,
    ...posterHandlers,
    ...ordersHandlers,
    ...syncHandlers,
    ...vouchersHandlers,
    ...memberLinksHandlers,
    ...pickupHandlers,
    ...orderBalanceHandlers,
  };
  return new Registry(services, handlers);
}
