// Connectors built from plain settings (what crosses into the worker thread). Base URLs are settings,
// so a person can point a till at a fake shop and watch it sync.
import type { ShopConnector } from './connector';
import { DoudianConnector } from './doudian/connector';
import type { DoudianConfig } from './doudian/wire';
import { YouzanConnector } from './youzan/connector';
import type { YouzanConfig } from './youzan/wire';

export type ConnectorSettings = ({ platform: 'doudian' } & Omit<DoudianConfig, 'now'>) | ({ platform: 'youzan' } & Omit<YouzanConfig, 'now'>);

export function buildConnector(s: ConnectorSettings, now?: () => number): ShopConnector {
  switch (s.platform) {
    case 'doudian':
      return new DoudianConnector({ ...s, now });
    case 'youzan':
      return new YouzanConnector({ ...s, now });
  }
}
