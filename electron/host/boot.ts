// Starts the till for either transport: opens the database (seeding the demo shop on a new one),
// starts the devices and builds the service context and the handler map. Plain Node; the Electron
// shell and the browser host both call this.
import { watchOrderBalances } from '../sync/order-balance';
import { mkdirSync } from 'node:fs';
import { createRegistry } from '../api/handlers';
import { statusOf } from '../api/handlers/app';
import type { Registry } from '../api/registry';
import type { Services } from '../api/services';
import { startDevices } from '../devices/manager';
import { providersFromSettings } from '../payments/providers';
import { PaymentService } from '../payments/service';
import { SyncService } from '../sync/service';
import { startReportJobs } from '../till/reports/jobs';
import { Till } from '../till/till';
import { startVouchers } from '../vouchers/start';

export interface Booted {
  till: Till;
  services: Services;
  registry: Registry;
}

export function boot(opts: { dataDir: string; transport: 'electron' | 'browser'; seedDemo?: boolean }): Booted {
  mkdirSync(opts.dataDir, { recursive: true });
  const till = new Till({ dataDir: opts.dataDir, seedDemo: opts.seedDemo ?? true, transport: opts.transport });
  const services: { -readonly [K in keyof Services]: Services[K] } = { till, devices: null };
  // Printers, print queue, serial devices, card reader, customer display feed (stopped on till.close).
  // The first light change comes while starting, hence the context exists before.
  services.devices = startDevices(till, { onLightChange: () => till.events.emit('status', statusOf(services)) });
  services.reports = startReportJobs(till); // the worker itself starts on the first report
  // Electronic payments: what the last run left open is settled (queried, reversed) before the next one is taken.
  services.payments = new PaymentService(till, providersFromSettings(till), { refundTrackMs: 60_000 });
  void services.payments.recover();
  watchOrderBalances(services.payments); // 尾款: a paid order balance clears the order's balance
  // Sync with the online shops: a worker thread, started only when a platform is enabled (selling never waits on it).
  services.sync = new SyncService(till);
  void services.sync.start();
  // Group-buy vouchers (团购券): redemptions the last run left open are retried with the same call first.
  services.vouchers = startVouchers(till);
  const registry = createRegistry(services, opts.transport);
  return { till, services, registry };
}
