// A virtual contactless member card for pcscd's vpcd driver (vsmartcard-vpcd).
// vpcd listens on 127.0.0.1:35963 (reader "Virtual PCD 00 00"); a card is a TCP client.
// Every message is a 2-byte big-endian length + payload. 1-byte payloads are control messages:
// 0 power off, 1 power on, 2 reset (no reply), 4 "send ATR" (reply with the ATR).
// Longer payloads are APDUs; we answer FF CA 00 00 00 (get UID) and refuse everything else.
//
// Standalone: node --import tsx tests/fakes/vcard.ts --uid 04A1B2C3D4E5F6 [--port 35963] [--sw 6A81]
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export const DEFAULT_ATR = '3B8F8001804F0CA000000306030001000000006A';

export interface VirtualCardOptions {
  /** Hex UID, e.g. 04A1B2C3D4E5F6. */
  uid: string;
  host?: string;
  /** 35963 = reader 00 00, 35964 = reader 00 01. */
  port?: number;
  atr?: string;
  /** Status word for FF CA; anything but 9000 simulates a card without UID support (e.g. 6A81). */
  uidSw?: string;
}

export class VirtualCard {
  readonly apdus: Buffer[] = [];
  readonly controls: number[] = [];
  private socket: net.Socket | null = null;
  private buf = Buffer.alloc(0);
  private readonly o: Required<VirtualCardOptions>;

  constructor(options: VirtualCardOptions) {
    // Explicit ?? so an undefined option (e.g. a missing CLI flag) keeps the default.
    this.o = {
      uid: options.uid,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 35963,
      atr: options.atr ?? DEFAULT_ATR,
      uidSw: options.uidSw ?? '9000',
    };
  }

  get inserted(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  /** Put the card on the reader: connect, retrying while vpcd is not listening yet. */
  async insert(timeoutMs = 10_000): Promise<void> {
    if (this.inserted) return;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.socket = await this.connectOnce();
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`vcard: cannot reach vpcd on ${this.o.host}:${this.o.port}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    this.buf = Buffer.alloc(0);
    this.socket.on('data', (d) => this.onData(d));
    this.socket.on('error', () => undefined);
  }

  /** Take the card away: closing the socket is what vpcd sees as removal. */
  async remove(): Promise<void> {
    const s = this.socket;
    this.socket = null;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.end();
      s.destroy();
    });
  }

  private connectOnce(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: this.o.host, port: this.o.port });
      s.once('connect', () => {
        s.removeListener('error', reject);
        s.setNoDelay(true);
        resolve(s);
      });
      s.once('error', reject);
    });
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 2) {
      const len = this.buf.readUInt16BE(0);
      if (this.buf.length < 2 + len) return;
      const msg = this.buf.subarray(2, 2 + len);
      this.buf = this.buf.subarray(2 + len);
      this.handle(Buffer.from(msg));
    }
  }

  private handle(msg: Buffer): void {
    if (msg.length === 1) {
      this.controls.push(msg[0]);
      if (msg[0] === 4) this.reply(Buffer.from(this.o.atr, 'hex'));
      return; // 0 off, 1 on, 2 reset: no reply
    }
    this.apdus.push(msg);
    const isGetUid = msg.length >= 4 && msg[0] === 0xff && msg[1] === 0xca && msg[2] === 0x00 && msg[3] === 0x00;
    if (isGetUid) {
      const ok = this.o.uidSw.toUpperCase() === '9000';
      this.reply(Buffer.from((ok ? this.o.uid : '') + this.o.uidSw, 'hex'));
    } else {
      this.reply(Buffer.from([0x6d, 0x00])); // INS not supported
    }
  }

  private reply(payload: Buffer): void {
    const head = Buffer.alloc(2);
    head.writeUInt16BE(payload.length);
    this.socket?.write(Buffer.concat([head, payload]));
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const card = new VirtualCard({
    uid: arg('uid') ?? '04A1B2C3D4E5F6',
    port: arg('port') ? Number(arg('port')) : undefined,
    uidSw: arg('sw'),
  });
  await card.insert();
  console.log(`card ${arg('uid') ?? '04A1B2C3D4E5F6'} inserted; Ctrl-C removes it`);
  process.on('SIGINT', () => void card.remove().then(() => process.exit(0)));
  process.on('SIGTERM', () => void card.remove().then(() => process.exit(0)));
}
