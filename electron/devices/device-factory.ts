// Builds one running device from its configuration and turns its events into till events: the
// serial scanner's codes ('scan'), the scale's readings ('weight'), the card reader's cards
// ('card'). Serial devices and the card reader reconnect by themselves; a printer is only built
// here (the status poller and the print queue talk to it). Nothing here blocks: opening is async.
import { join } from 'node:path';
import type { DeviceConfig } from '../../shared/api/devices';
import { log } from '../api/log';
import { resolveResource } from '../till/paths';
import type { TillBus } from '../till/till';
import { PcscCardReader } from './cardreader/card-reader';
import { SerializedPrinter, type Of, type Running } from './fleet';
import { NetworkPrinter, SerialPrinter, UsbPrinter, VirtualPrinter, type ReceiptPrinter } from './printer';
import { CustomerDisplay } from './serial/customer-display';
import { SerialDrawerBox } from './serial/drawer-box';
import { SerialScale } from './serial/scale';
import { SerialScanner } from './serial/scanner';
import type { DeviceStatus } from './serial/types';

export interface DeviceHooks {
  events: TillBus;
  /** False once the device belongs to a replaced configuration: its events are dropped. */
  live(): boolean;
  /** The device's connection status changed. */
  status(s: DeviceStatus): void;
  /** A customer display (re)opened: send it what it should show. */
  displayOpened(): void;
  /** The folder of a virtual printer. */
  virtualDir(id: string): string;
  /** Serial devices' reconnect period (ms). */
  reconnectMs?: number;
}

/** The printer driver a configuration names. */
function printerFor(c: Extract<DeviceConfig, { kind: 'printer' }>, virtualDir: string): { inner: ReceiptPrinter; virtual: VirtualPrinter | null } {
  const d = c.driver;
  if (d.type === 'network') return { inner: new NetworkPrinter({ host: d.host, port: d.port }), virtual: null };
  if (d.type === 'usb') return { inner: new UsbPrinter({ path: d.path }), virtual: null };
  if (d.type === 'serial') return { inner: new SerialPrinter({ path: d.path, baudRate: d.baud }), virtual: null };
  const virtual = new VirtualPrinter({ dir: virtualDir, paper: c.paper });
  return { inner: virtual, virtual };
}

/** Builds the device, subscribes to its events and starts opening it. */
export function openDevice(c: DeviceConfig, h: DeviceHooks): Running {
  const reconnectMs = h.reconnectMs;
  const onStatus = (s: DeviceStatus) => {
    if (h.live()) h.status(s);
  };
  switch (c.kind) {
    case 'printer': {
      const { inner, virtual } = printerFor(c, h.virtualDir(c.id));
      return { kind: c.kind, config: c, printer: new SerializedPrinter(inner), virtual };
    }
    case 'drawer_box': {
      const dev = new SerialDrawerBox({ path: c.driver.path, baudRate: c.driver.baud, reconnectMs, label: c.name });
      dev.on('status', onStatus);
      void dev.open();
      return { kind: c.kind, config: c, dev };
    }
    case 'customer_display': {
      const dev = new CustomerDisplay({
        path: c.driver.path,
        baudRate: c.driver.baud,
        model: c.driver.protocol,
        reconnectMs,
        label: c.name,
        idleLines: ['WELCOME', ''],
      });
      dev.on('status', onStatus);
      void dev.open().then(() => h.displayOpened());
      return { kind: c.kind, config: c, dev };
    }
    case 'scale': {
      const dev = new SerialScale({ path: c.driver.path, baudRate: c.driver.baud, protocol: c.driver.protocol, reconnectMs, label: c.name });
      dev.on('status', onStatus);
      dev.on('weight', (w) => {
        if (!h.live()) return;
        h.events.emit('weight', { grams: w.grams, stable: w.stable, tareGrams: w.tareGrams, net: w.net, overload: w.overload });
      });
      void dev.open();
      return { kind: c.kind, config: c, dev };
    }
    case 'scanner': {
      const dev = new SerialScanner({ path: c.driver.path, baudRate: c.driver.baud, reconnectMs, label: c.name });
      const r: Of<'scanner'> = { kind: c.kind, config: c, dev };
      dev.on('status', onStatus);
      dev.on('scan', (code) => {
        if (!h.live()) return;
        r.lastCode = code;
        h.events.emit('scan', { code, source: 'serial' });
      });
      void dev.open();
      return r;
    }
    case 'card_reader': {
      const filter = c.driver.readerFilter;
      const dev = new PcscCardReader({
        workerPath: resolveResource(join('electron', 'devices', 'cardreader', 'pcsc-worker.cjs')),
        readerFilter: filter ? (n) => n.includes(filter) : undefined,
      });
      const r: Of<'card_reader'> = { kind: c.kind, config: c, dev };
      dev.on('status', onStatus);
      dev.on('card', (e) => {
        if (!h.live()) return;
        r.lastUid = e.uid;
        h.events.emit('card', { uid: e.uid, reader: e.reader });
      });
      dev.on('cardRemoved', (e) => {
        if (h.live()) h.events.emit('card', { uid: null, reader: e.reader });
      });
      dev.on('cardError', (e) => log.info('card not read', { reader: e.reader, sw: e.sw }));
      void dev.open();
      return r;
    }
  }
}
