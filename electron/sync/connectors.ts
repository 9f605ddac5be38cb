// Connectors built from plain settings (what crosses into the worker thread). Base URLs are settings,
// so a person can point a till at a fake shop and watch it sync.
import type { ShopConnector } from './connector';
import { DoudianConnector } from './doudian/connector';
import type { DoudianConfig } from './doudian/wire';
import { YouzanConnector } from './youzan/connector';
import type { YouzanConfig } from './youzan/wire';
import { WeidianConnector } from './weidian/connector';
import type { WeidianConfig } from './weidian/wire';

export type ConnectorSettings =
  | ({ platform: 'doudian' } & Omit<DoudianConfig, 'now'>)
  | ({ platform: 'youzan' } & Omit<YouzanConfig, 'now'>)
  | ({ platform: 'weidian' } & Omit<WeidianConfig, 'now'>);

export function buildConnector(s: ConnectorSettings, now?: () => number): ShopConnector {
  switch (s.platform) {
    case 'doudian':
      return new DoudianConnector({ ...s, now });
    case 'youzan':
      return new YouzanConnector({ ...s, now });
    case 'weidian':
      return new WeidianConnector({ ...s, now });
  }
}
