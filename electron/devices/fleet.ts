// The devices that run now and how jobs reach them: one entry per enabled device (built by
// device-factory.ts), and the routing of print roles (receipt / label / kitchen) to printers — the
// first enabled printer with a role gets that role's jobs. Every other device module looks devices
// up here; the manager replaces the whole fleet on reconfigure.
import type { DeviceConfig } from '../../shared/api/devices';
import type { PcscCardReader } from './cardreader/card-reader';
import type { PrinterStatus, ReceiptPrinter, VirtualPrinter } from './printer';
import type { CustomerDisplay } from './serial/customer-display';
import type { SerialDrawerBox } from './serial/drawer-box';
import type { SerialScale } from './serial/scale';
import type { SerialScanner } from './serial/scanner';

type Config<K extends DeviceConfig['kind']> = Extract<DeviceConfig, { kind: K }>;

/** Serializes a printer's calls: a status query never races a job on the same connection/port. */
export class SerializedPrinter implements ReceiptPrinter {
  readonly name: string;
  private chain: Promise<unknown> = Promise.resolve();
  constructor(readonly inner: ReceiptPrinter) {
    this.name = inner.name;
  }
  private run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }
  status(): Promise<PrinterStatus> {
    return this.run(() => this.inner.status());
  }
  print(bytes: Buffer): Promise<void> {
    return this.run(() => this.inner.print(bytes));
  }
  close(): Promise<void> {
    return this.run(async () => this.inner.close?.());
  }
}

export type RunningPrinter = { kind: 'printer'; config: Config<'printer'>; printer: SerializedPrinter; virtual: VirtualPrinter | null };
/** A running device; `kind` repeats config.kind so that a switch on it narrows the whole entry. */
export type Running =
  | RunningPrinter
  | { kind: 'drawer_box'; config: Config<'drawer_box'>; dev: SerialDrawerBox }
  | { kind: 'customer_display'; config: Config<'customer_display'>; dev: CustomerDisplay }
  | { kind: 'scale'; config: Config<'scale'>; dev: SerialScale }
  | { kind: 'scanner'; config: Config<'scanner'>; dev: SerialScanner; lastCode?: string }
  | { kind: 'card_reader'; config: Config<'card_reader'>; dev: PcscCardReader; lastUid?: string };

export type Of<K extends DeviceConfig['kind']> = Extract<Running, { kind: K }>;

export class Fleet {
  readonly running = new Map<string, Running>();
  private readonly byRole = new Map<string, RunningPrinter>();

  add(r: Running): void {
    this.running.set(r.config.id, r);
  }

  /** Routes each role to the first running printer that has it (call after adding). */
  route(): void {
    this.byRole.clear();
    for (const r of this.printers()) {
      for (const role of r.config.roles) if (!this.byRole.has(role)) this.byRole.set(role, r);
    }
  }

  clear(): void {
    this.running.clear();
    this.byRole.clear();
  }

  get(id: string): Running | undefined {
    return this.running.get(id);
  }

  printers(): RunningPrinter[] {
    return [...this.running.values()].filter(isPrinter);
  }

  /** The printer that gets a role's jobs. */
  printerFor(role: string): RunningPrinter | undefined {
    return this.byRole.get(role);
  }

  /** Role → printer, for the print queue. */
  routes(): [string, RunningPrinter][] {
    return [...this.byRole];
  }

  /** The roles this printer is routed for (a printer listed second for a role gets none of it). */
  rolesOf(r: RunningPrinter): string[] {
    return r.config.roles.filter((role) => this.byRole.get(role) === r);
  }

  private first<K extends Exclude<DeviceConfig['kind'], 'printer'>>(kind: K): Of<K> | undefined {
    for (const r of this.running.values()) if (r.kind === kind) return r as Of<K>;
    return undefined;
  }

  drawerBox(): SerialDrawerBox | null {
    return this.first('drawer_box')?.dev ?? null;
  }

  scale(): SerialScale | null {
    return this.first('scale')?.dev ?? null;
  }

  customerDisplay(): CustomerDisplay | null {
    return this.first('customer_display')?.dev ?? null;
  }
}

export const isPrinter = (r: Running): r is RunningPrinter => r.kind === 'printer';
