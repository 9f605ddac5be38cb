// The main thread's side of the sync worker: starts it, forwards requests, and fails them with a
// clear message if the worker dies (the next start() begins a new one; the lease and every delivery
// are in SQLite, so nothing is lost with it). This is what joins the service context as `sync`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TillError } from '../../shared/errors';
import { nativeBinding } from '../till/db';
import type { DeadLetterView } from './relay-store';
import type { PlatformStatus, TickResult } from './engine';
import type { PlatformId, PlatformToken } from './connector';
import type { SyncReply, SyncRequest, SyncWorkerData } from './protocol';

type Req = SyncRequest extends infer R ? (R extends SyncRequest ? Omit<R, 'id'> : never) : never;

function workerEntry(): { file: string; entry?: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  if (import.meta.url.endsWith('.ts')) return { file: join(here, 'worker-dev.mjs'), entry: pathToFileURL(join(here, 'worker.ts')).href };
  const found = [join(here, 'sync-worker.js'), join(here, '..', 'sync-worker.js')].find((f) => existsSync(f));
  if (!found) throw new TillError('INTERNAL', '同步组件缺失，请重新安装收银软件');
  return { file: found };
}

export class SyncAgent {
  private worker: Worker | null = null;
  private nextId = 1;
  private stopping = false;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();

  constructor(
    private readonly data: Omit<SyncWorkerData, 'sqliteBinding'>,
    private readonly hooks: {
      onToken?: (platform: PlatformId, token: PlatformToken) => void;
      /** The thread ended without stop() (a crash, or kill()). */
      onCrash?: () => void;
    } = {},
  ) {}

  get running(): boolean {
    return this.worker !== null;
  }

  /** Starts the worker (its engine begins its rounds at once). */
  start(): void {
    if (this.worker) return;
    this.stopping = false;
    const { file, entry } = workerEntry();
    const w = new Worker(file, { workerData: { ...this.data, sqliteBinding: nativeBinding(), entry }, name: 'sync' });
    w.unref();
    w.on('message', (m: SyncReply) => {
      if (m.type === 'ready') return;
      if (m.type === 'token') return this.hooks.onToken?.(m.platform, m.token);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'done') p.resolve(m.result);
      else p.reject(new TillError(m.error.code, m.error.message));
    });
    const fail = () => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const [, p] of this.pending) p.reject(new TillError('SYNC_OFF', '同步后台线程已停止，请重试'));
      this.pending.clear();
      if (!this.stopping) this.hooks.onCrash?.();
    };
    w.on('error', fail);
    w.on('exit', fail);
    this.worker = w;
  }

  private request<T>(req: Req): Promise<T> {
    const w = this.worker;
    if (!w) return Promise.reject(new TillError('SYNC_OFF', '同步服务未启动'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ ...req, id });
    });
  }

  status(): Promise<PlatformStatus[]> {
    return this.request({ type: 'status' });
  }
  deadLetters(): Promise<DeadLetterView[]> {
    return this.request({ type: 'deadLetters' });
  }
  retry(deadLetterId: string, by: string | null): Promise<boolean> {
    return this.request({ type: 'retry', deadLetterId, by });
  }
  dismiss(deadLetterId: string, by: string | null): Promise<boolean> {
    return this.request({ type: 'dismiss', deadLetterId, by });
  }
  /** One round now; `pollOrders`: pull every platform's orders too, due or not (the person's 立即同步). */
  syncNow(pollOrders = false): Promise<TickResult> {
    return this.request({ type: 'syncNow', pollOrders });
  }
  reconcile(platform?: PlatformId): Promise<number> {
    return this.request({ type: 'reconcile', platform });
  }

  /** Stops the engine cleanly (lease given up) and ends the thread. */
  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.stopping = true;
    await this.request({ type: 'stop' }).catch(() => undefined);
    await w.terminate();
    this.worker = null;
  }

  /** Ends the thread at once, as a crash would (tests: a worker restart loses nothing). */
  async kill(): Promise<void> {
    await this.worker?.terminate(); // its 'exit' fails whatever was pending
    this.worker = null;
  }
}
