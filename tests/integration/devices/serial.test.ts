// Serial devices over REAL virtual serial ports: socat links two ptys, the app class opens one end
// (with the real serialport binding) and the fake device the other.
import { once } from 'node:events';
import type { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerDisplay } from '../../../electron/devices/serial/customer-display.js';
import { SerialDrawerBox } from '../../../electron/devices/serial/drawer-box.js';
import { SerialScale } from '../../../electron/devices/serial/scale.js';
import { SerialScanner } from '../../../electron/devices/serial/scanner.js';
import type { DeviceStatus, WeightEvent } from '../../../electron/devices/serial/types.js';
import { FakeDisplayReader } from '../../fakes/serial-display.js';
import { FakeSerialScale } from '../../fakes/serial-scale.js';
import { FakeSerialScanner } from '../../fakes/serial-scanner.js';
import { startSerialPair, waitFor, type SerialPair } from '../../support/peers.js';

function nextEvent<T>(emitter: EventEmitter, name: string, timeoutMs = 5000): Promise<T> {
  return once(emitter, name, { signal: AbortSignal.timeout(timeoutMs) }).then((a) => a[0] as T);
}

describe('serial devices on socat virtual ports', () => {
  let pair: SerialPair;
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    pair = await startSerialPair();
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    await pair.stop();
  });

  it('scanner: codes written by the device arrive as scan events, CR and CRLF alike', async () => {
    const scanner = new SerialScanner({ path: pair.a });
    cleanups.push(() => scanner.close());
    await scanner.open();
    expect(scanner.status().state).toBe('ok');
    const device = new FakeSerialScanner(pair.b);
    await device.open();
    cleanups.push(() => device.close());

    const codes: string[] = [];
    scanner.on('scan', (c) => codes.push(c));
    await device.scan('6901234567892');
    await device.scan('4006381333931', { crlf: true });
    await device.raw(Buffer.from('\x00\x7f\r')); // noise
    await device.scan('ABC-123');
    await waitFor(() => codes.length >= 3, { what: '3 scans' });
    expect(codes).toEqual(['6901234567892', '4006381333931', 'ABC-123']);
  });

  it('scanner: reconnects after the port vanishes and comes back', async () => {
    const scanner = new SerialScanner({ path: pair.a, reconnectMs: 100 });
    cleanups.push(() => scanner.close());
    const statuses: DeviceStatus[] = [];
    scanner.on('status', (s) => statuses.push(s));
    await scanner.open();
    const device1 = new FakeSerialScanner(pair.b);
    await device1.open();
    const first = nextEvent<string>(scanner, 'scan');
    await device1.scan('111'); // in use before the cable is pulled
    expect(await first).toBe('111');
    await device1.close();

    await pair.stop(); // cable pulled: the pty and its link disappear
    await waitFor(() => scanner.status().state === 'missing', { what: 'missing after unplug' });
    expect(statuses.map((s) => s.state)).toEqual(['ok', 'offline', 'missing']);

    pair = await startSerialPair({ a: pair.a, b: pair.b }); // plugged back in on the same path
    await waitFor(() => scanner.status().state === 'ok', { what: 'reconnect' });
    const device = new FakeSerialScanner(pair.b);
    await device.open();
    cleanups.push(() => device.close());
    const scan = nextEvent<string>(scanner, 'scan');
    await device.scan('6920202888888');
    expect(await scan).toBe('6920202888888');
  });

  it('scale (text protocol): unstable frames, then a settled weight; software tare', async () => {
    const device = new FakeSerialScale({ path: pair.b, protocol: 'text' });
    device.set(800, { stable: false });
    await device.open();
    cleanups.push(() => device.close());
    const scale = new SerialScale({ path: pair.a, stableFrames: 3, toleranceGrams: 2 });
    cleanups.push(() => scale.close());
    const weights: WeightEvent[] = [];
    const stables: WeightEvent[] = [];
    scale.on('weight', (w) => weights.push(w));
    scale.on('stable', (w) => stables.push(w));
    await scale.open();

    await waitFor(() => weights.some((w) => w.grams === 800), { what: 'unstable 800 g' });
    const framesAtStart = device.framesSent;
    await waitFor(() => device.framesSent >= framesAtStart + 5, { what: '5 more unstable frames' });
    expect(stables).toEqual([]);
    expect(weights.every((w) => !w.stable)).toBe(true);

    device.set(1234);
    const settled = await nextEvent<WeightEvent>(scale, 'stable');
    expect(settled).toEqual({ grams: 1234, grossGrams: 1234, stable: true, tareGrams: 0, net: false, overload: false });
    // the unstable 800 g was seen first, and 1234 g was first reported unsettled (debounce)
    const first1234 = weights.findIndex((w) => w.grams === 1234);
    expect(weights.slice(0, first1234).some((w) => w.grams === 800 && !w.stable)).toBe(true);
    expect(weights[first1234].stable).toBe(false);

    expect(await scale.tare()).toBe(1234);
    expect(scale.current()).toMatchObject({ grams: 0, tareGrams: 1234, net: true });
    device.set(1734, { stable: false });
    await waitFor(() => scale.current()?.grams === 500 && !scale.current()?.stable, { what: 'unstable net 500' });
    device.set(1734);
    const net = await nextEvent<WeightEvent>(scale, 'stable');
    expect(net).toEqual({ grams: 500, grossGrams: 1734, stable: true, tareGrams: 1234, net: true, overload: false });
    expect(stables).toHaveLength(2);
  });

  it('scale (Toledo protocol): the tare command goes to the scale, which then reports net', async () => {
    const device = new FakeSerialScale({ path: pair.b, protocol: 'toledo' });
    device.set(2500);
    await device.open();
    cleanups.push(() => device.close());
    const scale = new SerialScale({ path: pair.a, protocol: 'toledo', tareCommand: Buffer.from('T\r\n') });
    cleanups.push(() => scale.close());
    await scale.open();
    const first = await nextEvent<WeightEvent>(scale, 'stable');
    expect(first).toMatchObject({ grams: 2500, net: false, tareGrams: 0 });

    expect(await scale.tare()).toBeNull();
    await waitFor(() => scale.current()?.net === true, { what: 'scale-side tare' });
    device.set(3000);
    await waitFor(() => scale.current()?.grams === 500 && scale.current()?.stable, { what: 'net 500 settled' });
    expect(scale.current()).toEqual({ grams: 500, grossGrams: 3000, stable: true, tareGrams: 2500, net: true, overload: false });
  });

  it('CD5220 display: the device receives init and the lines of a sale', async () => {
    const device = new FakeDisplayReader(pair.b);
    await device.open();
    cleanups.push(() => device.close());
    const display = new CustomerDisplay({ path: pair.a, model: 'cd5220', idleLines: ['WELCOME', 'XIAODIAN'] });
    cleanups.push(() => display.close());
    await display.open();
    await waitFor(() => device.screen().lower === 'XIAODIAN'.padEnd(20), { what: 'idle screen' });
    expect(device.commands().slice(0, 2)).toEqual([{ cmd: 'init' }, { cmd: 'clear' }]);

    device.reset();
    expect(await display.showItem('可口可乐 Coke 330ml', 350)).toBe(true);
    await display.showTotal(1230);
    await display.showPaid(2000);
    await display.showChange(770);
    await waitFor(() => device.commands().length >= 8, { what: '8 line commands' });
    expect(device.commands()).toEqual([
      { cmd: 'lineA', text: 'Coke 330ml          ' },
      { cmd: 'lineB', text: 'PRICE           3.50' },
      { cmd: 'lineA', text: 'TOTAL          12.30' },
      { cmd: 'lineB', text: '                    ' },
      { cmd: 'lineA', text: 'TOTAL          12.30' },
      { cmd: 'lineB', text: 'PAID           20.00' },
      { cmd: 'lineA', text: 'PAID           20.00' },
      { cmd: 'lineB', text: 'CHANGE          7.70' },
    ]);
  });

  it('8-digit price display: lamps and digits for a sale', async () => {
    const device = new FakeDisplayReader(pair.b);
    await device.open();
    cleanups.push(() => device.close());
    const display = new CustomerDisplay({ path: pair.a, model: 'price8' });
    cleanups.push(() => display.close());
    await display.open();
    await waitFor(() => device.commands().length >= 5, { what: 'init' });
    device.reset();
    await display.showTotal(1230);
    await display.showPaid(2000);
    await display.showChange(770);
    await waitFor(() => device.commands().length >= 6, { what: '6 commands' });
    expect(device.commands()).toEqual([
      { cmd: 'lamp', n: '2' },
      { cmd: 'lineA', text: '12.30' },
      { cmd: 'lamp', n: '3' },
      { cmd: 'lineA', text: '20.00' },
      { cmd: 'lamp', n: '4' },
      { cmd: 'lineA', text: '7.70' },
    ]);
  });

  it('drawer box: the trigger byte reaches the device', async () => {
    const device = new FakeDisplayReader(pair.b); // any byte collector will do
    await device.open();
    cleanups.push(() => device.close());
    const box = new SerialDrawerBox({ path: pair.a });
    cleanups.push(() => box.close());
    await box.open();
    await box.openDrawer();
    await waitFor(() => device.bytes.length >= 1, { what: 'trigger byte' });
    expect(device.bytes.toString('hex')).toBe('07');
  });
});
