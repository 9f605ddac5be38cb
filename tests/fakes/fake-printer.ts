// A fake ESC/POS network printer: a TCP server on 127.0.0.1 where each connection is one job.
// It answers real-time status queries at once, even mid-job (DLE EOT 1/2/4, GS r 1), can be out
// of paper, have its cover open or be switched off, and decodes what it received. Real-time drawer
// pulses (DLE DC4 1) are executed and recorded at once, also while paper is out or the cover is
// open (they are not print data); a connection that carries only real-time commands is not a job.
//   node --import tsx tests/fakes/fake-printer.ts --port 9100
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { DecodedDrawerPulse } from '../../electron/devices/receipt/decode';
import { EscposParser, decodedToText, type DecodedJob, type RealtimeQuery } from './escpos-decoder';

export type PaperState = 'ok' | 'near_end' | 'out';

export interface FakeJob {
  seq: number;
  bytes: Buffer;
  decoded: DecodedJob;
  /** False when the printer could not print it (paper out or cover open while it arrived). */
  printed: boolean;
  lostReason?: string;
  receivedAt: number;
}

/** A real-time drawer pulse the printer fired, and the printer's state at that moment. */
export interface FakePulse extends DecodedDrawerPulse {
  seq: number;
  at: number;
  paper: PaperState;
  coverOpen: boolean;
}

export class FakePrinter extends EventEmitter {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  private all: FakeJob[] = [];
  private firedPulses: FakePulse[] = [];
  private seq = 0;
  paper: PaperState = 'ok';
  coverOpen = false;
  drawerOpen = false;
  online = true;
  /** Real-time status queries answered so far (to see a client retry). */
  answered = 0;
  host = '127.0.0.1';
  port = 0;

  static async start(port = 0): Promise<FakePrinter> {
    const p = new FakePrinter();
    await p.listen(port);
    return p;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((sock) => this.accept(sock));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /** 1-byte answer to a real-time query, as an Epson-compatible printer gives it. */
  answer(q: RealtimeQuery): number {
    const out = this.paper === 'out';
    if (q.cmd === 'GS r') return out ? 0x0c : this.paper === 'near_end' ? 0x03 : 0x00;
    let b = 0x12;
    if (q.n === 1) {
      if (out || this.coverOpen) b |= 0x08; // offline while it cannot print
      if (this.drawerOpen) b |= 0x04;
    } else if (q.n === 2) {
      if (this.coverOpen) b |= 0x04;
      if (out) b |= 0x20;
    } else if (q.n === 4) {
      if (this.paper === 'near_end') b |= 0x0c;
      if (out) b |= 0x6c;
    }
    return b;
  }

  private accept(sock: Socket): void {
    this.sockets.add(sock);
    const chunks: Buffer[] = [];
    let lost: string | undefined;
    const parser = new EscposParser(
      (q) => {
        this.answered++;
        if (!sock.destroyed) sock.write(Buffer.from([this.answer(q)]));
      },
      (pulse) => {
        const fired: FakePulse = { ...pulse, seq: this.firedPulses.length + 1, at: Date.now(), paper: this.paper, coverOpen: this.coverOpen };
        this.firedPulses.push(fired);
        this.emit('pulse', fired);
      },
    );
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      parser.push(d);
      if (!lost && this.paper === 'out') lost = '缺纸';
      if (!lost && this.coverOpen) lost = '上盖打开';
    });
    const end = () => {
      if (!this.sockets.delete(sock)) return;
      const decoded = parser.finish();
      if (!decoded.printsSomething) return; // a status-only connection is not a job
      const job: FakeJob = {
        seq: ++this.seq,
        bytes: Buffer.concat(chunks),
        decoded,
        printed: !lost && this.online,
        lostReason: lost ?? (this.online ? undefined : '离线'),
        receivedAt: Date.now(),
      };
      this.all.push(job);
      this.emit('job', job);
    };
    sock.on('end', () => sock.end());
    sock.on('close', end);
    sock.on('error', () => undefined);
  }

  setPaper(state: PaperState): void {
    this.paper = state;
  }
  setCover(open: boolean): void {
    this.coverOpen = open;
  }
  setDrawer(open: boolean): void {
    this.drawerOpen = open;
  }

  /** Off: stop listening and drop open connections (connects are refused). On: listen again on the same port. */
  async setOnline(online: boolean): Promise<void> {
    if (online === this.online) return;
    this.online = online;
    if (!online) {
      for (const s of this.sockets) s.destroy();
      const server = this.server;
      this.server = null;
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    } else {
      await this.listen(this.port);
    }
  }

  /** Jobs that printed. */
  jobs(): FakeJob[] {
    return this.all.filter((j) => j.printed);
  }
  /** Every job received, printed or not. */
  allJobs(): FakeJob[] {
    return [...this.all];
  }

  /** Real-time drawer pulses fired so far (whatever the paper and cover), oldest first. */
  pulses(): FakePulse[] {
    return [...this.firedPulses];
  }

  /** Resolves once `n` pulses have been fired (or rejects at the deadline). */
  waitForPulses(n: number, timeoutMs = 10_000): Promise<FakePulse[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.firedPulses.length >= n) {
          clearTimeout(timer);
          this.off('pulse', check);
          resolve(this.pulses());
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.off('pulse', check);
        reject(new Error(`fake printer: ${this.firedPulses.length} of ${n} drawer pulses after ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.on('pulse', check);
    });
  }

  /** Resolves once `n` jobs have printed (or rejects at the deadline). */
  waitForJobs(n: number, timeoutMs = 10_000): Promise<FakeJob[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.jobs().length >= n) {
          clearTimeout(timer);
          this.off('job', check);
          resolve(this.jobs());
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.off('job', check);
        reject(new Error(`fake printer: ${this.jobs().length} of ${n} jobs after ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.on('job', check);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 9100;
  const cols = process.argv.includes('--58') ? 32 : 48;
  const p = await FakePrinter.start(port);
  console.log(`fake ESC/POS printer on ${p.host}:${p.port} (Ctrl+C to stop)`);
  p.on('job', (job: FakeJob) => {
    console.log(`\n===== job ${job.seq}: ${job.bytes.length} bytes${job.printed ? '' : ` NOT PRINTED (${job.lostReason})`} =====`);
    process.stdout.write(decodedToText(job.decoded, cols));
    if (job.decoded.errors.length) console.log('decoder:', job.decoded.errors.join('; '));
  });
  p.on('pulse', (pulse: FakePulse) => console.log(`\n>>> drawer pulse pin ${pulse.pin} ${pulse.pulseMs} ms (paper ${pulse.paper}${pulse.coverOpen ? ', cover open' : ''})`));
  process.on('SIGINT', () => void p.close().then(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
