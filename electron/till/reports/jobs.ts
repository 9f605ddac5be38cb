// The main thread's side of the reports worker: starts it on first use, sends it jobs, follows their
// progress (pushed to the UI as 'job' events) and cancels them. One worker thread for all of them —
// reports, the dashboard and journal pages take milliseconds; an export's awaits let them through.
// If the worker dies, its jobs fail with a clear message and the next job starts a new one.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobView } from '../../../shared/api/reports';
import { TillError } from '../../../shared/errors';
import { log } from '../../api/log';
import { nativeBinding } from '../db';
import type { Till } from '../till';
import type { JobRequest, WorkerData, WorkerReply, WorkerRequest } from './protocol';

interface Pending {
  view: JobView;
  cancel: Int32Array;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** Where the worker's code is: beside the built main bundle, or the TypeScript source under tsx (tests, bench). */
function workerEntry(): { file: string; entry?: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  if (import.meta.url.endsWith('.ts')) return { file: join(here, 'worker-dev.mjs'), entry: pathToFileURL(join(here, 'worker.ts')).href };
  const found = [join(here, 'reports-worker.js'), join(here, '..', 'reports-worker.js')].find((f) => existsSync(f));
  if (!found) throw new TillError('INTERNAL', '报表组件缺失，请重新安装收银软件');
  return { file: found };
}

const KEEP_FINISHED = 50;

export class ReportJobs {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly byJob = new Map<string, number>();
  private readonly finished = new Map<string, JobView>();
  /** Set while a restore swaps the database file (see suspend). */
  private suspended = false;

  constructor(private readonly opts: { dbFile: string; emit?: (view: JobView) => void; now?: () => number }) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { file, entry } = workerEntry();
    const data: WorkerData & { entry?: string } = { dbFile: this.opts.dbFile, sqliteBinding: nativeBinding(), entry };
    const w = new Worker(file, { workerData: data, name: 'reports' });
    w.unref(); // never keeps the process alive on its own
    w.on('message', (m: WorkerReply) => this.onReply(m));
    w.on('error', (e) => this.fail(w, e));
    w.on('exit', (code) => this.fail(w, new Error(`reports worker exited with ${code}`)));
    this.worker = w;
    return w;
  }

  private fail(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = null;
    if (this.pending.size) log.error('reports worker failed', { error: e.stack ?? e.message });
    for (const [id] of this.pending) this.settle(id, 'failed', undefined, { code: 'INTERNAL', message: '报表后台线程出错，请重试' });
  }

  private onReply(m: WorkerReply): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.view = { ...p.view, done: m.done, total: m.total };
      this.opts.emit?.(p.view);
    } else if (m.type === 'done') {
      this.settle(m.id, 'done', m.result);
    } else if (m.error.code === 'CANCELLED') {
      this.settle(m.id, 'cancelled', undefined, m.error);
    } else {
      if (m.error.code === 'INTERNAL') log.error('report job failed', { kind: p.view.kind, error: m.error.message });
      this.settle(m.id, 'failed', undefined, m.error.code === 'INTERNAL' ? { code: 'INTERNAL', message: '报表出错，请重试或联系管理员' } : m.error);
    }
  }

  private settle(id: number, state: JobView['state'], result?: unknown, error?: { code: string; message: string }): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.byJob.delete(p.view.jobId);
    const info = state === 'done' && result && typeof result === 'object' && 'rows' in result && 'bytes' in result
      ? { rows: (result as { rows: number }).rows, bytes: (result as { bytes: number }).bytes }
      : {};
    const view: JobView = { ...p.view, ...info, state, endedAt: this.now(), ...(error ? { error } : {}), ...(state === 'done' ? { done: p.view.total || p.view.done } : {}) };
    this.finished.set(view.jobId, view);
    if (this.finished.size > KEEP_FINISHED) this.finished.delete(this.finished.keys().next().value!);
    this.opts.emit?.(view);
    if (state === 'done') p.resolve(result);
    else p.reject(new TillError(error!.code, error!.message));
  }

  /** Sends a job; `result` settles when the worker answers (a TillError when cancelled or failed). */
  run<T>(kind: JobView['kind'], req: JobRequest, jobId: string = randomUUID(), extra: Partial<JobView> = {}): { view: JobView; result: Promise<T> } {
    if (this.suspended) throw new TillError('RESTORE_RUNNING', '正在恢复备份，请稍候再查询');
    if (this.byJob.has(jobId) || this.finished.has(jobId)) throw new TillError('JOB_EXISTS', '该任务编号已使用，请重试');
    const w = this.start();
    const id = this.nextId++;
    const buf = new SharedArrayBuffer(4);
    const view: JobView = { jobId, kind, state: 'running', done: 0, total: 0, startedAt: this.now(), ...extra };
    const result = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { view, cancel: new Int32Array(buf), resolve: resolve as (v: unknown) => void, reject });
    });
    this.byJob.set(jobId, id);
    w.postMessage({ ...req, id, cancel: buf } as WorkerRequest);
    this.opts.emit?.(view);
    return { view, result };
  }

  /** Asks a running job to stop; false when it is not running. */
  cancel(jobId: string): boolean {
    const id = this.byJob.get(jobId);
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p) return false;
    Atomics.store(p.cancel, 0, 1);
    return true;
  }

  view(jobId: string): JobView | null {
    const id = this.byJob.get(jobId);
    return (id !== undefined ? this.pending.get(id)?.view : undefined) ?? this.finished.get(jobId) ?? null;
  }

  /** Running jobs of a kind (one export at a time). */
  running(kind: JobView['kind']): JobView[] {
    return [...this.pending.values()].filter((p) => p.view.kind === kind).map((p) => p.view);
  }

  /**
   * Lets go of the database file before a restore swaps it (restore.ts): running jobs are asked to
   * stop (an export removes its partial file) and given a few seconds, then the worker ends, closing
   * its connections — it would otherwise go on reading the replaced file, and on Windows the file
   * could not even be moved. New jobs are refused until resume(); the next one starts a new worker
   * on the restored file.
   */
  async suspend(): Promise<void> {
    this.suspended = true;
    for (const p of this.pending.values()) Atomics.store(p.cancel, 0, 1);
    for (let waited = 0; this.pending.size && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const w = this.worker;
    this.worker = null;
    for (const [id] of this.pending) this.settle(id, 'cancelled', undefined, { code: 'CANCELLED', message: '正在恢复备份，任务已停止' });
    await w?.terminate();
  }

  resume(): void {
    this.suspended = false;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const [id] of this.pending) this.settle(id, 'cancelled', undefined, { code: 'CANCELLED', message: '收银程序正在关闭，任务已停止' });
    await w?.terminate();
  }
}

const byTill = new WeakMap<Till, ReportJobs>();
/** The till's reports worker when it was started (backup checks run on it; a restore suspends it). */
export const reportJobsOf = (till: Till): ReportJobs | undefined => byTill.get(till);

/** The till's reports worker: its jobs' progress goes to the UI as 'job' events; it stops with the till. */
export function startReportJobs(till: Till): ReportJobs {
  const jobs = new ReportJobs({
    dbFile: till.dbFile,
    now: till.now,
    emit: (v) => {
      if (v.kind === 'report' || v.kind === 'export' || v.kind === 'backup') till.events.emit('job', v);
    },
  });
  byTill.set(till, jobs);
  till.onClose(() => void jobs.close());
  return jobs;
}
