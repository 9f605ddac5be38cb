// 日结 and backup endpoints (shared/api/day.ts): thin wrappers over electron/till/day-close.ts,
// backup.ts and restore.ts. The day's backup is taken after the close has committed: a failed
// backup never undoes a close, it is reported and kept on the day's row.
import type { dayApi } from '../../../shared/api/day';
import { audit } from '../../till/audit';
import { backupDir, checkBackup, listBackups, takeBackup } from '../../till/backup';
import { closeDay, dayStatus, listDays, previewDay, recordDayBackup, reprintDay, storedDayReport } from '../../till/day-close';
import { restoreBackup, type DeviceHooks } from '../../till/restore';
import { startDevices, type DeviceManager } from '../../devices/manager';
import type { Handlers } from '../registry';
import type { Services } from '../services';
import { statusOf } from './app';

function wake(services: Services): void {
  try {
    services.devices?.printQueue().wake();
  } catch {
    // no print queue running: the job waits in the table for it
  }
}

function backupSettings(till: Services['till']) {
  return { dir: backupDir(till), keep: till.settings.get('backup.keep'), secondDir: till.settings.get('backup.secondDir') };
}

/** Stop and restart of the device manager around a restore (it holds the database connection). */
function deviceHooks(services: Services): DeviceHooks | null {
  if (!services.devices) return null;
  const mutable = services as { devices: DeviceManager | null };
  return {
    stop: () => services.devices!.stop(),
    start: () => {
      mutable.devices = startDevices(services.till, { onLightChange: () => services.till.events.emit('status', statusOf(services)) });
    },
  };
}

export const dayHandlers: Handlers<typeof dayApi> = {
  'day.status': (_i, { till }) => dayStatus(till),
  'day.preview': ({ businessDay }, { till }) => previewDay(till, businessDay),
  'day.close': async ({ businessDay }, services) => {
    const { till } = services;
    const closed = closeDay(till, businessDay);
    wake(services);
    const backup = await takeBackup(till, 'day_close', businessDay);
    recordDayBackup(till, businessDay, backup);
    till.events.emit('status', statusOf(services));
    return { ...closed, backup };
  },
  'day.list': ({ limit }, { till }) => listDays(till, limit),
  'day.report': ({ businessDay }, { till }) => storedDayReport(till, businessDay),
  'day.reprint': ({ businessDay }, services) => {
    const r = reprintDay(services.till, businessDay);
    wake(services);
    return r;
  },
  'backup.settings': (_i, { till }) => backupSettings(till),
  'backup.saveSettings': (input, { till }) => {
    const session = till.auth.requireSession();
    const before = backupSettings(till);
    till.tx(() => {
      if (input.keep !== undefined) till.settings.set('backup.keep', input.keep, till.now());
      if (input.secondDir !== undefined) till.settings.set('backup.secondDir', input.secondDir, till.now());
      audit(till.sqlite, { userId: session.userId, action: 'backup.settings', details: { before, after: backupSettings(till) } }, till.now());
    });
    return backupSettings(till);
  },
  'backup.list': (_i, { till }) => listBackups(till),
  'backup.now': async (_i, { till }) => {
    const session = till.auth.requireSession();
    const outcome = await takeBackup(till, 'manual');
    audit(till.sqlite, { userId: session.userId, action: outcome.ok ? 'backup.manual' : 'backup.failed', details: outcome }, till.now());
    return outcome;
  },
  'backup.check': ({ name, where }, { till }) => checkBackup(till, name, where),
  'backup.restore': async ({ name, where }, services) => {
    const r = await restoreBackup(services.till, { name, where }, deviceHooks(services));
    services.till.events.emit('status', statusOf(services));
    return r;
  },
};
