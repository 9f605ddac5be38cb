// Device configurations the device tests start the till with.
import type { DeviceConfigInput } from '../../shared/api/devices';

/** A network receipt printer on 127.0.0.1:`port` (the fake printer), 58 mm, drawer on pin 2. */
export const networkPrinter = (port: number, extra: Partial<DeviceConfigInput> = {}): DeviceConfigInput =>
  ({
    id: 'p1',
    name: '前台小票机',
    kind: 'printer',
    enabled: true,
    driver: { type: 'network', host: '127.0.0.1', port },
    roles: ['receipt'],
    paper: 58,
    drawerPin: 2,
    ...extra,
  }) as DeviceConfigInput;
