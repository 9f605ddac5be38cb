// Fake continuous-output scale: writes a frame every 100 ms (10 Hz) to a pty, like a real retail
// scale in "continuous send" mode. Weight and stability are settable; it understands one tare
// command (default "T\r\n") after which it reports NT frames, like a scale that tares itself.
// Standalone: node --import tsx tests/fakes/serial-scale.ts --path /tmp/ttyB [--grams 1234] [--protocol text|toledo]
import { pathToFileURL } from 'node:url';
import type { SerialPort } from 'serialport';
import { buildTextFrame, buildToledoFrame } from '../../electron/devices/serial/scale-protocols.js';
import { cliArg, closePort, openDeviceEnd, writeAll } from './serial-port.js';

export interface FakeScaleOptions {
  path: string;
  protocol?: 'text' | 'toledo';
  /** Frames per second. Default 10. */
  hz?: number;
  tareCommand?: Buffer;
}

export class FakeSerialScale {
  private port: SerialPort | null = null;
  private timer: NodeJS.Timeout | null = null;
  private grams = 0;
  private stable = true;
  private overload = false;
  private tare = 0;
  /** Everything the till sent to the scale. */
  received = Buffer.alloc(0);
  framesSent = 0;

  constructor(private readonly o: FakeScaleOptions) {}

  async open(): Promise<void> {
    this.port = await openDeviceEnd(this.o.path);
    this.port.on('data', (d: Buffer) => this.onCommand(d));
    this.timer = setInterval(() => void this.sendFrame(), 1000 / (this.o.hz ?? 10));
  }

  /** Gross weight on the pan. */
  set(grams: number, o: { stable?: boolean; overload?: boolean } = {}): void {
    this.grams = grams;
    this.stable = o.stable ?? true;
    this.overload = o.overload ?? false;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.port) await closePort(this.port);
    this.port = null;
  }

  frame(): Buffer {
    const net = this.tare !== 0;
    const shown = this.grams - this.tare;
    const o = { stable: this.stable, overload: this.overload, net };
    return this.o.protocol === 'toledo'
      ? buildToledoFrame(shown, { ...o, tareGrams: this.tare })
      : buildTextFrame(shown, o);
  }

  private async sendFrame(): Promise<void> {
    if (!this.port?.isOpen) return;
    try {
      await writeAll(this.port, this.frame());
      this.framesSent++;
    } catch {
      // port closing under us
    }
  }

  private onCommand(d: Buffer): void {
    this.received = Buffer.concat([this.received, d]);
    const cmd = this.o.tareCommand ?? Buffer.from('T\r\n');
    const at = this.received.lastIndexOf(cmd);
    if (at >= 0) {
      this.tare = this.grams;
      this.received = this.received.subarray(at + cmd.length);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = cliArg('path');
  if (!path) throw new Error('usage: serial-scale.ts --path /tmp/ttyB [--grams 1234] [--protocol text|toledo]');
  const scale = new FakeSerialScale({ path, protocol: cliArg('protocol') === 'toledo' ? 'toledo' : 'text' });
  scale.set(Number(cliArg('grams') ?? 0));
  await scale.open();
  console.log('scale sending; Ctrl-C to stop');
  process.on('SIGINT', () => void scale.close().then(() => process.exit(0)));
}
