// Serial device protocols and classes, without hardware: pure parsers/builders on literal bytes,
// and the device classes against serialport's MockBinding.
import { once } from 'node:events';
import type { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { interpretUidResponse } from '../../../electron/devices/cardreader/apdu.js';
import { CustomerDisplay } from '../../../electron/devices/serial/customer-display.js';
import {
  cd5220Lines,
  formatFen,
  layoutLine,
  price8Clear,
  price8Digits,
  price8Show,
  toDisplayAscii,
} from '../../../electron/devices/serial/display-protocols.js';
import { SerialDrawerBox } from '../../../electron/devices/serial/drawer-box.js';
import { LineSplitter } from '../../../electron/devices/serial/line-splitter.js';
import {
  buildTextFrame,
  buildToledoFrame,
  parseScaleFrame,
  parseTextFrame,
  parseToledoFrame,
  ScaleFramer,
  toGrams,
} from '../../../electron/devices/serial/scale-protocols.js';
import { StabilityTracker } from '../../../electron/devices/serial/scale-stability.js';
import { SerialScale } from '../../../electron/devices/serial/scale.js';
import { parseScanLine, SerialScanner } from '../../../electron/devices/serial/scanner.js';
import type { PortFactory, WeightEvent } from '../../../electron/devices/serial/types.js';
import { decodeDisplay } from '../../fakes/serial-display.js';

// Not `import { MockBinding } from '@serialport/binding-mock'`: that ESM copy is a different module
// instance from the CJS one SerialPortMock uses (dual-package hazard), so its ports would be invisible.
const MockBinding = SerialPortMock.binding;
const hex = (b: Buffer) => b.toString('hex');
const toledo = (s: string) => Buffer.from(s, 'latin1');

// ------------------------------------------------------------------ scale protocols

describe('text scale frames (ST,GS,+  1.234kg)', () => {
  it('parses stable gross kilograms into integer grams', () => {
    expect(parseTextFrame('ST,GS,+  1.234kg')).toEqual({
      ok: true,
      reading: { grams: 1234, stable: true, overload: false, net: false, tareGrams: null },
    });
  });

  it('parses unstable, net, negative and gram frames', () => {
    const us = parseTextFrame('US,NT,-  0.010kg');
    expect(us.ok && us.reading).toEqual({ grams: -10, stable: false, overload: false, net: true, tareGrams: null });
    const g = parseTextFrame('ST,GS,+   500g');
    expect(g.ok && g.reading.grams).toBe(500);
    const twoDecimals = parseTextFrame('ST,GS,+001.23kg');
    expect(twoDecimals.ok && twoDecimals.reading.grams).toBe(1230);
    const zero = parseTextFrame('ST,GS,+  0.000kg');
    expect(zero.ok && Object.is(zero.reading.grams, 0)).toBe(true);
  });

  it('reports overload frames even when the digits are dashes', () => {
    const ol = parseTextFrame('OL,GS,+ --.---kg');
    expect(ol.ok && ol.reading.overload).toBe(true);
    expect(ol.ok && ol.reading.stable).toBe(false);
  });

  it('refuses pounds by default and converts them when asked', () => {
    expect(parseTextFrame('ST,GS,+  1.000lb')).toMatchObject({ ok: false, reason: 'unit' });
    const conv = parseTextFrame('ST,GS,+  1.000lb', 'convert');
    expect(conv.ok && conv.reading.grams).toBe(454);
  });

  it('rejects garbage', () => {
    for (const line of ['hello', 'ST,GS,+   .kg', 'XX,GS,+  1.000kg', 'ST,GS,+  1.000oz', '']) {
      expect(parseTextFrame(line)).toMatchObject({ ok: false, reason: 'garbage' });
    }
  });

  it('builds the exact documented frame', () => {
    expect(buildTextFrame(1234).toString('latin1')).toBe('ST,GS,+  1.234kg\r\n');
    expect(buildTextFrame(-5, { stable: false, net: true }).toString('latin1')).toBe('US,NT,-  0.005kg\r\n');
  });

  it('round-trips every weight through builder and parser', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999, max: 999_999 }), fc.boolean(), (grams, stable) => {
        const r = parseScaleFrame(buildTextFrame(grams, { stable }).subarray(0, -2));
        return r.ok && r.reading.grams === grams && r.reading.stable === stable;
      }),
    );
  });

  it('converts decimals exactly (no float drift)', () => {
    expect(toGrams(1005, 3, 'kg')).toBe(1005);
    expect(toGrams(12345, 4, 'kg')).toBe(1235);
    expect(toGrams(29, 2, 'kg')).toBe(290); // 0.29 * 1000 = 290.00000000000006 in floats
    expect(toGrams(12, -2, 'kg')).toBe(1_200_000);
  });
});

describe('Mettler-Toledo continuous frames', () => {
  // SWA '-' = 0x2D: bit5 + count-by-1 + decimal code 5 (XXX.XXX); SWB '0' = 0x30: bit5 + kg; SWC ' ' = 0x20.
  it('parses a stable gross kg frame', () => {
    expect(parseToledoFrame(toledo('\x02-0 001234000000'))).toEqual({
      ok: true,
      reading: { grams: 1234, stable: true, overload: false, net: false, tareGrams: 0 },
    });
  });

  it('reads motion (SWB bit 3), sign (bit 1), net (bit 0), overload (bit 2) and tare', () => {
    const motion = parseToledoFrame(toledo('\x02-8 001234000000'));
    expect(motion.ok && motion.reading.stable).toBe(false);
    const neg = parseToledoFrame(toledo('\x02-2 001234000000'));
    expect(neg.ok && neg.reading.grams).toBe(-1234);
    const net = parseToledoFrame(toledo('\x02-1 000734000500'));
    expect(net.ok && net.reading).toMatchObject({ grams: 734, net: true, tareGrams: 500 });
    const over = parseToledoFrame(toledo('\x02-4 999999000000'));
    expect(over.ok && over.reading.overload).toBe(true);
  });

  it('places the decimal point from SWA bits 0-2 and honours grams in SWC', () => {
    const twoDecimals = parseToledoFrame(toledo('\x02,0 001234000000')); // code 4: XXXX.XX kg
    expect(twoDecimals.ok && twoDecimals.reading.grams).toBe(12340);
    const hundreds = parseToledoFrame(toledo('\x02(0 000012000000')); // code 0: XXXX00 kg
    expect(hundreds.ok && hundreds.reading.grams).toBe(1_200_000);
    const grams = parseToledoFrame(toledo('\x02*0!001234000000')); // code 2 integer, SWC unit 1 = g
    expect(grams.ok && grams.reading.grams).toBe(1234);
    const blanks = parseToledoFrame(toledo('\x02-0    250     0')); // leading blanks instead of zeros
    expect(blanks.ok && blanks.reading.grams).toBe(250);
  });

  it('masks a parity bit, refuses lb, rejects garbage', () => {
    const parity = Buffer.from(toledo('\x02-0 001234000000'));
    parity[1] |= 0x80;
    parity[3] |= 0x80;
    expect(parseToledoFrame(parity)).toMatchObject({ ok: true, reading: { grams: 1234 } });
    expect(parseToledoFrame(toledo('\x02-  001234000000'))).toMatchObject({ ok: false, reason: 'unit' }); // SWB 0x20: lb
    expect(parseToledoFrame(toledo('\x02-0 0012x4000000'))).toMatchObject({ ok: false, reason: 'garbage' });
    expect(parseToledoFrame(toledo('\x02\x050 001234000000'))).toMatchObject({ ok: false, reason: 'garbage' }); // SWA bit5 clear
    expect(parseToledoFrame(toledo('\x02-0 0012'))).toMatchObject({ ok: false, reason: 'garbage' });
  });

  it('builder output parses back (fake scale and parser agree with the literal layout)', () => {
    expect(buildToledoFrame(1234).toString('latin1')).toBe('\x02-0 001234000000\r');
    const r = parseScaleFrame(buildToledoFrame(-750, { stable: false, net: true, tareGrams: 100 }).subarray(0, -1));
    expect(r.ok && r.reading).toEqual({ grams: -750, stable: false, overload: false, net: true, tareGrams: 100 });
  });
});

describe('ScaleFramer', () => {
  it('reassembles frames fed one byte at a time', () => {
    const framer = new ScaleFramer();
    const stream = Buffer.concat([buildTextFrame(1000), buildTextFrame(2000, { stable: false })]);
    const frames: Buffer[] = [];
    for (const b of stream) frames.push(...framer.push(Buffer.from([b])));
    expect(frames.map((f) => f.toString('latin1'))).toEqual(['ST,GS,+  1.000kg', 'US,GS,+  2.000kg']);
  });

  it('drops a Toledo checksum byte sitting before the next STX', () => {
    const framer = new ScaleFramer();
    const frames = framer.push(Buffer.concat([buildToledoFrame(100), Buffer.from([0x55]), buildToledoFrame(200)]));
    expect(frames.map((f) => parseScaleFrame(f)).map((r) => r.ok && r.reading.grams)).toEqual([100, 200]);
  });
});

describe('StabilityTracker', () => {
  const s = (grams: number, stable = true) => ({ grams, stable, overload: false });

  it('settles only after N agreeing stable frames, and announces once', () => {
    const t = new StabilityTracker({ frames: 3, toleranceGrams: 2 });
    expect(t.push(s(1000, false))).toEqual({ settled: false, newlySettled: false });
    expect(t.push(s(1000))).toEqual({ settled: false, newlySettled: false });
    expect(t.push(s(1001))).toEqual({ settled: false, newlySettled: false }); // window still holds the unstable frame
    expect(t.push(s(1002))).toEqual({ settled: true, newlySettled: true });
    expect(t.push(s(1001))).toEqual({ settled: true, newlySettled: false });
  });

  it('does not settle when frames spread beyond the tolerance, re-announces a new weight', () => {
    const t = new StabilityTracker({ frames: 2, toleranceGrams: 2 });
    t.push(s(500));
    expect(t.push(s(500)).newlySettled).toBe(true);
    expect(t.push(s(503)).settled).toBe(false);
    expect(t.push(s(503))).toEqual({ settled: true, newlySettled: true });
  });

  it('with one frame, a jump is a new settled weight', () => {
    const t = new StabilityTracker({ frames: 1, toleranceGrams: 0 });
    expect(t.push(s(10)).newlySettled).toBe(true);
    expect(t.push(s(10)).newlySettled).toBe(false);
    expect(t.push(s(20)).newlySettled).toBe(true);
  });
});

// ------------------------------------------------------------------ display bytes

describe('customer display byte builders', () => {
  it('formats fen with integer math', () => {
    expect(formatFen(1230)).toBe('12.30');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(-150)).toBe('-1.50');
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('lays out exactly 20 ASCII columns', () => {
    expect(layoutLine('TOTAL', '12.30')).toBe('TOTAL          12.30');
    expect(layoutLine('A very long product name here', '9.99')).toBe('A very long pro 9.99');
    expect(toDisplayAscii('可口可乐 Cola 330ml')).toBe('Cola 330ml');
  });

  it('CD5220: ESC Q A <upper> CR ESC Q B <lower> CR', () => {
    expect(hex(cd5220Lines('HI', 'X'))).toBe(
      '1b5141' + hex(Buffer.from('HI'.padEnd(20))) + '0d' + '1b5142' + hex(Buffer.from('X'.padEnd(20))) + '0d',
    );
  });

  it('8-digit display: lamp by ESC s n, digits by ESC Q A', () => {
    expect(hex(price8Show(1230, 'total'))).toBe('1b7332' + '1b5141' + hex(Buffer.from('12.30')) + '0d');
    expect(hex(price8Show(50, 'change'))).toBe('1b7334' + '1b5141' + hex(Buffer.from('0.50')) + '0d');
    expect(hex(price8Clear())).toBe('0c1b7330');
    expect(price8Digits(99_999_999)).toBe('999999.99');
    expect(() => price8Digits(100_000_000)).toThrow(RangeError);
  });
});

describe('misc pure helpers', () => {
  it('LineSplitter handles CR, CRLF, LF and split chunks', () => {
    const ls = new LineSplitter();
    const out = [...ls.push(Buffer.from('123\r45')), ...ls.push(Buffer.from('6\r\n789\n')), ...ls.push(Buffer.from('\r\n'))];
    expect(out.map(String)).toEqual(['123', '456', '789']);
  });

  it('parseScanLine trims and rejects control characters', () => {
    expect(parseScanLine(Buffer.from('  6901234567892 '))).toBe('6901234567892');
    expect(parseScanLine(Buffer.from('69\x0012'))).toBeNull();
    expect(parseScanLine(Buffer.from('   '))).toBeNull();
    expect(parseScanLine(Buffer.from([0xff, 0x41]))).toBeNull();
  });

  it('interprets FF CA responses', () => {
    expect(interpretUidResponse('04A1B2C3D4E5F69000')).toEqual({ ok: true, uid: '04A1B2C3D4E5F6' });
    expect(interpretUidResponse('6a81')).toMatchObject({ ok: false, sw: '6A81', message: expect.stringContaining('不支持') });
    expect(interpretUidResponse('9000')).toMatchObject({ ok: false, sw: '9000' });
    expect(interpretUidResponse('6F00')).toMatchObject({ ok: false, sw: '6F00', message: expect.stringContaining('6F00') });
    expect(interpretUidResponse('zz')).toMatchObject({ ok: false, sw: null });
  });
});

// ------------------------------------------------------------------ classes on MockBinding

/** Factory that remembers the last mock port so tests can play the device. */
function mockFactory() {
  const made: SerialPortMock[] = [];
  const factory: PortFactory = (o) => {
    const p = new SerialPortMock({ ...o, autoOpen: false });
    made.push(p);
    return p;
  };
  return {
    factory,
    /** The binding of the currently open port: emitData() plays the device, recording is what we wrote. */
    binding: () => {
      const open = made.filter((p) => p.isOpen).at(-1);
      if (!open?.port) throw new Error('no open mock port');
      return open.port;
    },
  };
}

function nextEvent<T>(emitter: EventEmitter, name: string, timeoutMs = 2000): Promise<T> {
  return once(emitter, name, { signal: AbortSignal.timeout(timeoutMs) }).then((args) => args[0] as T);
}

describe('device classes on MockBinding', () => {
  const devices: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(d: T) => (devices.push(d), d);

  beforeEach(() => MockBinding.reset());
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.close()));
    MockBinding.reset();
  });

  it('scanner emits trimmed codes for CR and CRLF lines and ignores noise', async () => {
    MockBinding.createPort('/dev/SCAN', { echo: false, record: true });
    const m = mockFactory();
    const scanner = track(new SerialScanner({ path: '/dev/SCAN', portFactory: m.factory }));
    const statuses: string[] = [];
    scanner.on('status', (s) => statuses.push(s.state));
    await scanner.open();
    expect(scanner.status()).toEqual({ state: 'ok', message: '扫码枪已连接' });
    expect(statuses).toEqual(['ok']);

    const codes: string[] = [];
    scanner.on('scan', (c) => codes.push(c));
    m.binding().emitData('6901234567892\r\x00\x13\r\n  ');
    m.binding().emitData('4006381333931 \r\n');
    m.binding().emitData('ABC-');
    m.binding().emitData('123\r');
    await vi.waitFor(() => expect(codes).toHaveLength(3));
    expect(codes).toEqual(['6901234567892', '4006381333931', 'ABC-123']);
  });

  it('scanner opens at 9600 8N1', async () => {
    MockBinding.createPort('/dev/SCAN', { echo: false, record: true });
    const m = mockFactory();
    const scanner = track(new SerialScanner({ path: '/dev/SCAN', portFactory: m.factory }));
    await scanner.open();
    expect(m.binding().openOptions).toMatchObject({ baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none' });
  });

  it('scanner reports a missing port, then connects when it appears', async () => {
    const m = mockFactory();
    const scanner = track(new SerialScanner({ path: '/dev/LATE', portFactory: m.factory, reconnectMs: 30 }));
    await scanner.open();
    expect(scanner.status().state).toBe('missing');
    expect(scanner.status().message).toContain('/dev/LATE');
    MockBinding.createPort('/dev/LATE', { echo: false, record: true });
    await vi.waitFor(() => expect(scanner.status().state).toBe('ok'));
    const scan = nextEvent<string>(scanner, 'scan');
    m.binding().emitData('123\r');
    expect(await scan).toBe('123');
  });

  it('scanner goes offline when the port disappears and reconnects when it is back', async () => {
    MockBinding.createPort('/dev/SCAN', { echo: false, record: true });
    const m = mockFactory();
    const scanner = track(new SerialScanner({ path: '/dev/SCAN', portFactory: m.factory, reconnectMs: 30 }));
    await scanner.open();
    m.binding().emitData('HALF'); // half a code before the cable goes
    await new Promise((r) => setImmediate(r));
    MockBinding.reset(); // the device is gone for reopen attempts…
    const offline = nextEvent(scanner, 'status');
    // …and the pending read fails like a real unplug (not a cancel), which serialport turns into a disconnect.
    (m.binding() as unknown as { pendingRead: (e: Error) => void }).pendingRead(new Error('EIO'));
    expect(await offline).toEqual({ state: 'offline', message: '扫码枪已断开，正在重新连接…' });
    await vi.waitFor(() => expect(scanner.status().state).toBe('missing'));
    MockBinding.createPort('/dev/SCAN', { echo: false, record: true });
    await vi.waitFor(() => expect(scanner.status().state).toBe('ok'));
    const scan = nextEvent<string>(scanner, 'scan');
    m.binding().emitData('999\r');
    expect(await scan).toBe('999'); // not "HALF999"
  });

  function feed(m: ReturnType<typeof mockFactory>, frames: Buffer[]) {
    m.binding().emitData(Buffer.concat(frames));
  }

  it('scale: unstable frames, then stable frames → one stable event at the settled weight', async () => {
    MockBinding.createPort('/dev/SCALE', { echo: false, record: true });
    const m = mockFactory();
    const scale = track(new SerialScale({ path: '/dev/SCALE', portFactory: m.factory, stableFrames: 3, toleranceGrams: 2 }));
    await scale.open();
    const weights: WeightEvent[] = [];
    const stables: WeightEvent[] = [];
    scale.on('weight', (w) => weights.push(w));
    scale.on('stable', (w) => stables.push(w));

    feed(m, [buildTextFrame(300, { stable: false }), buildTextFrame(1100, { stable: false }), buildTextFrame(1234)]);
    await vi.waitFor(() => expect(weights.at(-1)?.grams).toBe(1234));
    expect(stables).toHaveLength(0); // scale says ST but only one agreeing frame so far
    expect(weights.at(-1)?.stable).toBe(false);

    feed(m, [buildTextFrame(1235), buildTextFrame(1234), buildTextFrame(1234), buildTextFrame(1234)]);
    await vi.waitFor(() => expect(stables).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(stables).toEqual([{ grams: 1234, grossGrams: 1234, stable: true, tareGrams: 0, net: false, overload: false }]);
    // identical frames do not repeat weight events
    expect(weights.filter((w) => w.grams === 1234 && w.stable)).toHaveLength(1);
    expect(scale.current()).toMatchObject({ grams: 1234, stable: true });
  });

  it('scale: software tare needs a settled weight, then reports net', async () => {
    MockBinding.createPort('/dev/SCALE', { echo: false, record: true });
    const m = mockFactory();
    const scale = track(new SerialScale({ path: '/dev/SCALE', portFactory: m.factory, stableFrames: 2 }));
    await scale.open();
    await expect(scale.tare()).rejects.toThrow('没有数据');
    feed(m, [buildTextFrame(150, { stable: false })]);
    await vi.waitFor(() => expect(scale.current()?.grams).toBe(150));
    await expect(scale.tare()).rejects.toThrow('不稳定');

    feed(m, [buildTextFrame(150), buildTextFrame(150)]);
    await vi.waitFor(() => expect(scale.current()?.stable).toBe(true));
    const afterTare = nextEvent<WeightEvent>(scale, 'weight');
    expect(await scale.tare()).toBe(150);
    expect(await afterTare).toMatchObject({ grams: 0, tareGrams: 150, net: true });

    feed(m, [buildTextFrame(650), buildTextFrame(650)]);
    const settled = await nextEvent<WeightEvent>(scale, 'stable');
    expect(settled).toEqual({ grams: 500, grossGrams: 650, stable: true, tareGrams: 150, net: true, overload: false });
    expect(m.binding().recording.length).toBe(0); // software tare sends nothing

    await scale.clearTare();
    expect(scale.current()).toMatchObject({ grams: 650, tareGrams: 0, net: false });
  });

  it('scale: configured tare command is sent to the scale instead', async () => {
    MockBinding.createPort('/dev/SCALE', { echo: false, record: true });
    const m = mockFactory();
    const scale = track(new SerialScale({ path: '/dev/SCALE', portFactory: m.factory, tareCommand: Buffer.from('T\r\n') }));
    await scale.open();
    expect(await scale.tare()).toBeNull();
    expect(m.binding().recording.toString()).toBe('T\r\n');
    feed(m, [buildToledoFrame(200, { net: true, tareGrams: 80 })]);
    await vi.waitFor(() => expect(scale.current()).toMatchObject({ grams: 200, grossGrams: 280, tareGrams: 80, net: true }));
  });

  it('scale: lb frames set an error status, a silent scale times out to error, frames bring it back', async () => {
    MockBinding.createPort('/dev/SCALE', { echo: false, record: true });
    const m = mockFactory();
    const scale = track(new SerialScale({ path: '/dev/SCALE', portFactory: m.factory, noDataMs: 150 }));
    await scale.open();
    m.binding().emitData('ST,GS,+  1.000lb\r\n');
    await vi.waitFor(() => expect(scale.status().message).toContain('磅'));
    expect(scale.status().state).toBe('error');
    feed(m, [buildTextFrame(10)]);
    await vi.waitFor(() => expect(scale.status().state).toBe('ok'));
    await vi.waitFor(() => expect(scale.status().message).toContain('没有数据'), { timeout: 1000 });
    expect(scale.current()).toBeNull();
    feed(m, [buildTextFrame(10)]);
    await vi.waitFor(() => expect(scale.status().state).toBe('ok'));
  });

  it('scale: overload never settles', async () => {
    MockBinding.createPort('/dev/SCALE', { echo: false, record: true });
    const m = mockFactory();
    const scale = track(new SerialScale({ path: '/dev/SCALE', portFactory: m.factory, stableFrames: 2 }));
    await scale.open();
    const stables: WeightEvent[] = [];
    scale.on('stable', (w) => stables.push(w));
    m.binding().emitData('OL,GS,+ --.---kg\r\nOL,GS,+ --.---kg\r\nOL,GS,+ --.---kg\r\n');
    await vi.waitFor(() => expect(scale.current()?.overload).toBe(true));
    feed(m, [buildTextFrame(5), buildTextFrame(5)]);
    await vi.waitFor(() => expect(stables).toHaveLength(1));
    expect(stables[0].grams).toBe(5);
  });

  it('CD5220 display: init on open, then a sale', async () => {
    MockBinding.createPort('/dev/VFD', { echo: false, record: true });
    const m = mockFactory();
    const display = track(new CustomerDisplay({ path: '/dev/VFD', portFactory: m.factory, model: 'cd5220', idleLines: ['WELCOME', '欢迎 HELLO'] }));
    await display.open();
    expect(decodeDisplay(m.binding().recording).commands).toEqual([
      { cmd: 'init' },
      { cmd: 'clear' },
      { cmd: 'lineA', text: 'WELCOME'.padEnd(20) },
      { cmd: 'lineB', text: 'HELLO'.padEnd(20) },
    ]);
    m.binding().recording = Buffer.alloc(0);
    expect(await display.showItem('可乐 Cola', 350)).toBe(true);
    await display.showItem('苹果', 1280); // no ASCII at all → placeholder
    await display.showTotal(1630);
    await display.showPaid(2000);
    await display.showChange(370);
    await display.clear();
    const lines = decodeDisplay(m.binding().recording).commands.map((c) => ('text' in c ? c.text : c.cmd));
    expect(lines).toEqual([
      'Cola'.padEnd(20),
      'PRICE           3.50',
      'ITEM'.padEnd(20),
      'PRICE          12.80',
      'TOTAL          16.30',
      ''.padEnd(20),
      'TOTAL          16.30',
      'PAID           20.00',
      'PAID           20.00',
      'CHANGE          3.70',
      ''.padEnd(20),
      ''.padEnd(20),
    ]);
  });

  it('8-digit price display: lamps and digits per step', async () => {
    MockBinding.createPort('/dev/LED', { echo: false, record: true });
    const m = mockFactory();
    const display = track(new CustomerDisplay({ path: '/dev/LED', portFactory: m.factory, model: 'price8' }));
    await display.open();
    expect(decodeDisplay(m.binding().recording).commands).toEqual([
      { cmd: 'init' },
      { cmd: 'clear' },
      { cmd: 'lamp', n: '0' },
      { cmd: 'clear' },
      { cmd: 'lamp', n: '0' },
    ]);
    m.binding().recording = Buffer.alloc(0);
    await display.showItem('苹果', 1280);
    await display.showTotal(1630);
    await display.showPaid(2000);
    await display.showChange(370);
    expect(decodeDisplay(m.binding().recording).commands).toEqual([
      { cmd: 'lamp', n: '1' },
      { cmd: 'lineA', text: '12.80' },
      { cmd: 'lamp', n: '2' },
      { cmd: 'lineA', text: '16.30' },
      { cmd: 'lamp', n: '3' },
      { cmd: 'lineA', text: '20.00' },
      { cmd: 'lamp', n: '4' },
      { cmd: 'lineA', text: '3.70' },
    ]);
  });

  it('display: an offline display never blocks the sale, and shows the current screen once connected', async () => {
    const m = mockFactory();
    const display = track(new CustomerDisplay({ path: '/dev/LED', portFactory: m.factory, model: 'price8', reconnectMs: 30 }));
    await display.open();
    expect(display.status().state).toBe('missing');
    expect(await display.showTotal(999)).toBe(false);
    MockBinding.createPort('/dev/LED', { echo: false, record: true });
    await vi.waitFor(() => expect(display.status().state).toBe('ok'));
    await vi.waitFor(() => expect(decodeDisplay(m.binding().recording).commands.at(-1)).toEqual({ cmd: 'lineA', text: '9.99' }));
  });

  it('drawer box sends its trigger bytes and rejects when not connected', async () => {
    MockBinding.createPort('/dev/DRAWER', { echo: false, record: true });
    const m = mockFactory();
    const box = track(new SerialDrawerBox({ path: '/dev/DRAWER', portFactory: m.factory, triggerBytes: Buffer.from([0x1b, 0x70]) }));
    await expect(box.openDrawer()).rejects.toThrow('钱箱未连接');
    await box.open();
    await box.openDrawer();
    expect(hex(m.binding().recording)).toBe('1b70');
    const plain = track(new SerialDrawerBox({ path: '/dev/DRAWER2', portFactory: m.factory }));
    MockBinding.createPort('/dev/DRAWER2', { echo: false, record: true });
    await plain.open();
    await plain.openDrawer();
    expect(hex(m.binding().recording)).toBe('07');
  });

  it('close() stops the device and its retries', async () => {
    const m = mockFactory();
    const scanner = track(new SerialScanner({ path: '/dev/NONE', portFactory: m.factory, reconnectMs: 20 }));
    await scanner.open();
    expect(scanner.status().state).toBe('missing');
    await scanner.close();
    expect(scanner.status().state).toBe('offline');
    MockBinding.createPort('/dev/NONE', { echo: false, record: true });
    await new Promise((r) => setTimeout(r, 100)); // several retry periods: a live retry loop would have reopened
    expect(scanner.isOpen()).toBe(false);
  });
});
