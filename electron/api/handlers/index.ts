// Registers every domain's handlers on one registry.
import type { Till } from '../../till/till';
import { Registry } from '../registry';
import { appHandlers } from './app';
import { authHandlers } from './auth';
import { cartHandlers } from './cart';
import { catalogHandlers } from './catalog';
import { devicesHandlers } from './devices';
import { salesHandlers } from './sales';
import { settingsHandlers } from './settings';
import { shiftHandlers } from './shift';

export function createRegistry(till: Till, transport: 'electron' | 'browser'): Registry {
  const registry = new Registry(till);
  registry.implement(appHandlers(transport));
  registry.implement(authHandlers);
  registry.implement(catalogHandlers);
  registry.implement(devicesHandlers);
  registry.implement(shiftHandlers);
  registry.implement(cartHandlers);
  registry.implement(salesHandlers);
  registry.implement(settingsHandlers);
  return registry;
}
