// Starts the till for either transport: opens the database (seeding the demo shop on a new one),
// builds the handler map. Plain Node; the Electron shell and the browser host both call this.
import { mkdirSync } from 'node:fs';
import { createRegistry } from '../api/handlers';
import { statusOf } from '../api/handlers/app';
import type { Registry } from '../api/registry';
import { startDevices } from '../devices/manager';
import { Till } from '../till/till';

export interface Booted {
  till: Till;
  registry: Registry;
}

export function boot(opts: { dataDir: string; transport: 'electron' | 'browser'; seedDemo?: boolean }): Booted {
  mkdirSync(opts.dataDir, { recursive: true });
  const till = new Till({ dataDir: opts.dataDir, seedDemo: opts.seedDemo ?? true, transport: opts.transport });
  const registry = createRegistry(till, opts.transport);
  // Printers, print queue, serial devices, card reader, customer display feed (stopped on till.close).
  startDevices(till, { onLightChange: () => till.events.emit('status', statusOf(till)) });
  return { till, registry };
}
