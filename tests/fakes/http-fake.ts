// What every local platform simulator in tests/fakes shares: a server on 127.0.0.1 that survives abandoned
// requests, a clock the tests move, a queue of fault rules, answers held or dropped as a rule says, and the
// "run me on my own" entry point. Each fake keeps only its platform's rules.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/** The raw request body, as the bytes arrived (signatures are checked against them). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Appends to a request log, keeping the last `max` entries. */
export function pushCapped<T>(log: T[], entry: T, max: number): void {
  log.push(entry);
  if (log.length > max) log.splice(0, log.length - max);
}

/** A fake's clock in Unix ms: a base clock (real time unless a test passes its own) plus an offset, or frozen. */
export class FakeClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.frozenAt ?? this.base() + this.offsetMs;
  }

  advance(seconds: number): void {
    if (this.frozenAt !== null) this.frozenAt += seconds * 1000;
    else this.offsetMs += seconds * 1000;
  }

  /** Sets the clock to `ms` (it runs on from there unless frozen). */
  set(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt = ms;
    else this.offsetMs = ms - this.base();
  }

  /** Stops the clock where it is (true) or lets it run on from there (false). */
  freeze(on: boolean): void {
    if (on && this.frozenAt === null) this.frozenAt = this.now();
    if (!on && this.frozenAt !== null) {
      this.offsetMs = this.frozenAt - this.base();
      this.frozenAt = null;
    }
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = null;
  }
}

/**
 * Fault rules queued by a test: the first rule that matches a call is used and its `times` counts down
 * (0 = every call). `op` undefined or 'any' matches every operation.
 */
export class RuleQueue<In, R extends { op?: string; times: number }> {
  private queue: R[] = [];

  constructor(private readonly parse: (rule: In) => R) {}

  /** The rules still queued (what GET /__admin/scenario shows). */
  get rules(): R[] {
    return this.queue;
  }

  set(rules: In | In[], append = false): void {
    const parsed = (Array.isArray(rules) ? rules : [rules]).map((r) => this.parse(r));
    this.queue = append ? [...this.queue, ...parsed] : parsed;
  }

  clear(): void {
    this.queue = [];
  }

  take(op: string, also: (rule: R) => boolean = () => true): R | undefined {
    const i = this.queue.findIndex((r) => (r.op === undefined || r.op === 'any' || r.op === op) && also(r));
    if (i < 0) return undefined;
    const rule = this.queue[i];
    if (rule.times === 1) this.queue.splice(i, 1);
    else if (rule.times > 1) this.queue[i] = { ...rule, times: rule.times - 1 };
    return rule;
  }
}

/** The server, clock and held answers of a fake; a subclass answers requests in `handle`. */
export abstract class HttpFake {
  port = 0;
  protected readonly clock: FakeClock;
  private server: Server | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  protected constructor(now?: () => number) {
    this.clock = new FakeClock(now);
  }

  /** The base URL a till is given. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The fake's clock in Unix ms (what /__admin/clock or advance() moved). */
  now(): number {
    return this.clock.now();
  }

  advance(seconds: number): void {
    this.clock.advance(seconds);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** A request that failed in `handle` (e.g. the client abandoned it mid-body): just end that connection. */
  protected failed(res: ServerResponse, _error: unknown): void {
    res.destroy();
  }

  protected async listen(port = 0): Promise<this> {
    // A request the client abandons mid-body just ends that connection; it never takes the fake down.
    const server = createServer((req, res) => void this.handle(req, res).catch((e: unknown) => this.failed(res, e)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Runs `fn` after `ms` unless the fake is closed first. */
  protected later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /**
   * Sends an answer as a rule's transport fault says: `drop` destroys the connection, `timeout` holds the
   * answer `delayMs` (default 30 s); nothing is written to a connection the client already closed.
   */
  protected deliver(req: IncomingMessage, res: ServerResponse, rule: { fault?: string; delayMs?: number } | undefined, send: () => void): void {
    if (rule?.fault === 'drop') return void req.socket.destroy();
    const go = () => {
      if (!res.destroyed) send();
    };
    if (rule?.fault === 'timeout') return this.later(rule.delayMs ?? 30_000, go);
    go();
  }
}

/** `--name value` from the command line. */
export function cliArg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Closes the fake and exits on these signals (a fake run on its own). */
export function closeOnSignals(fake: { close(): Promise<void> }, signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): void {
  for (const s of signals) process.on(s, () => void fake.close().then(() => process.exit(0)));
}

/** Runs `main` when the module at `moduleUrl` is the program (`node --import tsx tests/fakes/x.ts`). */
export function runIfMain(moduleUrl: string, main: () => Promise<void>): void {
  if (process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href) {
    main().catch((e) => {
      console.error(e);
      process.exit(1);
    });
  }
}
