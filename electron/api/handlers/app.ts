import type { StatusInfo, appApi } from '../../../shared/api/app';
import { driversInfo } from '../../devices/drivers';
import { currentShift } from '../../till/shift';
import type { Handlers } from '../registry';
import type { Services } from '../services';

declare const __APP_VERSION__: string | undefined;
const version = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : (process.env.npm_package_version ?? 'dev');

export function statusOf({ till, devices }: Services): StatusInfo {
  const shift = currentShift(till);
  return {
    // The receipt printer's live status (DLE EOT), from the device manager.
    printer: devices?.printerLight() ?? { state: 'none', message: '设备未启动', code: 'no_devices' },
    sync: { state: 'none', message: '未连接网店平台', code: 'not_connected' },
    drivers: driversInfo(),
    shift: { open: !!shift, openedAt: shift?.openedAt ?? null, userName: shift?.userName ?? null },
  };
}

export const appHandlers = (transport: 'electron' | 'browser'): Handlers<typeof appApi> => ({
  'app.info': (_input, { till }) => ({
    version,
    shopName: till.settings.get('shop.name'),
    tillId: till.tillId,
    dataDir: till.options.dataDir,
    transport,
    businessDay: till.businessDay(),
  }),
  'app.status': (_input, services) => statusOf(services),
});
