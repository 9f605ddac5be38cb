// The whole API: one map, combined from the domains. Adding a domain = one file + one line here.
import type { z } from 'zod';
import { appApi } from './app';
import { authApi } from './auth';
import { cartApi } from './cart';
import { catalogApi } from './catalog';
import { devicesApi } from './devices';
import { dayApi } from './day';
import { combine, type Endpoint } from './endpoint';
import { memberLinksApi } from './member-links';
import { ordersApi } from './orders';
import { paymentsApi } from './payments';
import { pickupApi } from './pickup';
import { paymentSettingsApi } from './payment-settings';
import { posterApi } from './poster';
import { reportsApi } from './reports';
import { salesApi } from './sales';
import { settingsApi } from './settings';
import { shiftApi } from './shift';
import { syncApi } from './sync';
import { vouchersApi } from './vouchers';

export const api = combine(appApi, authApi, catalogApi, shiftApi, cartApi, salesApi, devicesApi, settingsApi, dayApi, reportsApi, paymentsApi, paymentSettingsApi, posterApi, syncApi, ordersApi, vouchersApi, memberLinksApi, pickupApi);

export type Api = typeof api;
export type ApiName = keyof Api & string;
export type ApiInput<N extends ApiName> = z.input<Api[N]['input']>;
export type ApiParsed<N extends ApiName> = z.output<Api[N]['input']>;
export type ApiOutput<N extends ApiName> = Api[N] extends Endpoint<z.ZodType, infer O> ? O : never;

export { ROLE_RANK, type Role } from './endpoint';
export type * from './app';
export type * from './auth';
export type * from './cart';
export type * from './catalog';
export type * from './day';
export type * from './devices';
export type * from './member-links';
export type * from './orders';
export type * from './payments';
export type * from './pickup';
export type * from './reports';
export type * from './sales';
export type * from './settings';
export type * from './shift';
export type * from './sync';
export type * from './vouchers';
export type { TillEvents } from './events';
