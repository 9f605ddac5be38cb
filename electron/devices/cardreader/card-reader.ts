// PC/SC member-card reader. The PC/SC work happens in a child process (pcsc-worker.cjs) that this
// class supervises, because @pokusew/pcsclite busy-loops on its calling thread when pcscd is absent.
// The parent (Electron main) only ever waits on timers and IPC, so it can never hang here.
//
// Supervision:
//  1. Before forking, probe the pcscd socket. Absent → status 'missing' "读卡器服务未运行（pcscd）",
//     probe again later.
//  2. The child sends a heartbeat every heartbeatMs. None for heartbeatTimeoutMs (the child is stuck
//     in the native loop) → SIGKILL it and start over with a backoff.
//  3. While running, probe the socket every serviceCheckMs: pcscd stopping mid-session is the other
//     way into the native loop, so we kill the child before it gets there.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveResource } from '../../till/paths.js';
import type { Device, DeviceStatus } from '../serial/types.js';
import { interpretUidResponse } from './apdu.js';
import { pcscDriver } from './driver.js';
import { defaultPcscdSocket, probeUnixSocket } from './service-probe.js';
import type { CardReaderEvents, WorkerMessage } from './types.js';

export const SERVICE_MISSING_MESSAGE = '读卡器服务未运行（pcscd）';

/** The little we need from a child process, so Electron's utilityProcess can be plugged in too. */
export interface WorkerHandle {
  readonly pid?: number;
  send(msg: { t: 'stop' }): void;
  /** Hard kill (SIGKILL): a child stuck in native code ignores anything softer. */
  kill(): void;
  onMessage(fn: (msg: WorkerMessage) => void): void;
  onExit(fn: (code: number | null) => void): void;
}

export type WorkerSpawner = (workerPath: string, env: Record<string, string>) => WorkerHandle;

export interface PcscCardReaderOptions {
  /** Path of pcsc-worker.cjs. Default: next to this module (see the README note in the report for bundling). */
  workerPath?: string;
  /** pcscd socket to probe; null skips the probe (Windows). Default /run/pcscd/pcscd.comm on Linux. */
  serviceSocket?: string | null;
  /** Child heartbeat period. Default 500 ms. */
  heartbeatMs?: number;
  /** No heartbeat for this long → kill and restart the child. Default 3000 ms. */
  heartbeatTimeoutMs?: number;
  /** How often to probe pcscd while waiting for it and while running. Default 2000 ms. */
  serviceCheckMs?: number;
  /** First restart delay after a crash/hang; doubles up to 15 s. Default 1000 ms. */
  restartDelayMs?: number;
  /** Only these readers count (e.g. skip SAM slots). Default: all. */
  readerFilter?: (name: string) => boolean;
  /** How to start the worker. Default: child_process.fork with the current Node/Electron binary. */
  spawnWorker?: WorkerSpawner;
  /**
   * pcsclite.node to load instead of node_modules' build. Default: $TILL_PCSC_BINDING, else under
   * Electron native/electron/pcsclite.node (scripts/build-electron-native.mjs), else node_modules.
   */
  nativeBinding?: string;
  /** Is the driver module installed? Default: pcscDriver() (tests pass a stand-in). */
  driverCheck?: typeof pcscDriver;
}

/** Same policy as better-sqlite3 in till/db.ts: Electron needs the Electron-ABI build. */
function defaultNativeBinding(): string | undefined {
  if (process.env.TILL_PCSC_BINDING) return process.env.TILL_PCSC_BINDING;
  if (!process.versions.electron) return undefined;
  try {
    return resolveResource(join('native', 'electron', 'pcsclite.node'));
  } catch {
    return undefined; // a dev machine that rebuilt node_modules for Electron instead
  }
}

function defaultWorkerPath(): string {
  return fileURLToPath(new URL('./pcsc-worker.cjs', import.meta.url));
}

/** child_process.fork; in Electron the binary runs as plain Node thanks to ELECTRON_RUN_AS_NODE. */
export const forkWorker: WorkerSpawner = (workerPath, env) => {
  const child = fork(workerPath, [], {
    // Do not inherit the parent's flags (tsx loader, --inspect ports): the worker is plain CJS.
    execArgv: [],
    env: { ...process.env, ...env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  // IPC write errors after the child died are expected; without a listener they would throw.
  child.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    send: (msg) => {
      if (child.connected) child.send(msg, () => undefined);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    onMessage: (fn) => child.on('message', (m) => fn(m as WorkerMessage)),
    onExit: (fn) => child.on('exit', (code) => fn(code)),
  };
};

interface Running {
  handle: WorkerHandle;
  lastBeat: number;
  up: boolean;
  exited: Promise<void>;
  /** Why we are ending it, so the exit handler reports the right status. */
  ending: 'stop' | 'hung' | 'pcscError' | 'loadError' | 'serviceLost' | null;
}

export class PcscCardReader extends EventEmitter<CardReaderEvents> implements Device<CardReaderEvents> {
  private readonly workerPath: string;
  private readonly socket: string | null;
  private readonly heartbeatMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly serviceCheckMs: number;
  private readonly restartDelayMs: number;
  private readonly readerFilter: (name: string) => boolean;
  private readonly spawnWorker: WorkerSpawner;
  private readonly nativeBinding: string | undefined;
  private readonly driverCheck: typeof pcscDriver;

  private wanted = false;
  private child: Running | null = null;
  private current: DeviceStatus = { state: 'offline', message: '读卡器未启用' };
  private readerNames: string[] = [];
  private readonly present = new Set<string>();
  private failures = 0;
  private startTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private serviceTimer: NodeJS.Timeout | null = null;
  private starting = false;

  constructor(options: PcscCardReaderOptions = {}) {
    super();
    this.workerPath = options.workerPath ?? defaultWorkerPath();
    this.socket = options.serviceSocket === undefined ? defaultPcscdSocket() : options.serviceSocket;
    this.heartbeatMs = options.heartbeatMs ?? 500;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 3000;
    this.serviceCheckMs = options.serviceCheckMs ?? 2000;
    this.restartDelayMs = options.restartDelayMs ?? 1000;
    this.readerFilter = options.readerFilter ?? (() => true);
    this.spawnWorker = options.spawnWorker ?? forkWorker;
    this.nativeBinding = options.nativeBinding ?? defaultNativeBinding();
    this.driverCheck = options.driverCheck ?? pcscDriver;
  }

  status(): DeviceStatus {
    return { ...this.current };
  }

  readers(): string[] {
    return [...this.readerNames];
  }

  /** PID of the current worker (for tests and diagnostics). */
  workerPid(): number | undefined {
    return this.child?.handle.pid;
  }

  /** Resolves after the first attempt (service probed, worker forked or not); never waits for a card. */
  async open(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    await this.start();
  }

  async close(): Promise<void> {
    this.wanted = false;
    this.clearTimer('startTimer');
    const child = this.child;
    if (child) {
      child.ending = 'stop';
      child.handle.send({ t: 'stop' });
      // The worker exits by itself within ~50 ms; if it is stuck in native code, kill it.
      const killer = setTimeout(() => child.handle.kill(), 1000);
      await child.exited;
      clearTimeout(killer);
    }
    this.setStatus({ state: 'offline', message: '读卡器未启用' });
  }

  // ------------------------------------------------------------ supervision

  private async start(): Promise<void> {
    if (!this.wanted || this.child || this.starting) return;
    this.starting = true;
    try {
      // Without the driver module there is nothing to fork; it only appears after an install, so
      // look again now and then rather than spinning.
      const driver = this.driverCheck(this.nativeBinding);
      if (!driver.installed) {
        this.setStatus({ state: 'missing', message: driver.message });
        this.scheduleStart(Math.max(this.serviceCheckMs, 10_000));
        return;
      }
      const reachable = !this.socket || (await probeUnixSocket(this.socket));
      if (!this.wanted) return; // closed while probing
      if (!reachable) {
        this.setStatus({ state: 'missing', message: SERVICE_MISSING_MESSAGE });
        this.scheduleStart(this.serviceCheckMs);
        return;
      }
      this.spawn();
    } finally {
      this.starting = false;
    }
  }

  private spawn(): void {
    const handle = this.spawnWorker(this.workerPath, {
      PCSC_HEARTBEAT_MS: String(this.heartbeatMs),
      PCSC_SOCKET: this.socket ?? '',
      PCSC_NATIVE_BINDING: this.nativeBinding ?? '',
    });
    let exited!: () => void;
    const running: Running = {
      handle,
      lastBeat: Date.now(),
      up: false,
      exited: new Promise<void>((r) => (exited = r)),
      ending: null,
    };
    this.child = running;
    this.setStatus({ state: 'offline', message: '正在连接读卡器服务…' });
    handle.onMessage((msg) => {
      if (this.child !== running) return; // a late message from a worker we already gave up on
      running.lastBeat = Date.now();
      this.onWorkerMessage(running, msg);
    });
    handle.onExit(() => {
      exited();
      this.onWorkerExit(running);
    });

    this.watchdog = setInterval(() => {
      if (this.child !== running || Date.now() - running.lastBeat <= this.heartbeatTimeoutMs) return;
      running.ending = 'hung';
      handle.kill();
    }, Math.min(this.heartbeatMs, 500));
    this.watchdog.unref();

    if (this.socket) {
      const socket = this.socket;
      this.serviceTimer = setInterval(() => {
        void probeUnixSocket(socket).then((ok) => {
          if (ok || this.child !== running || running.ending) return;
          running.ending = 'serviceLost';
          handle.kill();
        });
      }, this.serviceCheckMs);
      this.serviceTimer.unref();
    }
  }

  private onWorkerMessage(running: Running, msg: WorkerMessage): void {
    switch (msg.t) {
      case 'hb':
        return;
      case 'up':
        running.up = true;
        this.failures = 0;
        this.updateReadyStatus();
        return;
      case 'noService':
        running.ending = 'serviceLost';
        return;
      case 'readers': {
        const names = msg.names.filter((n) => this.readerFilter(n));
        for (const r of [...this.present]) if (!names.includes(r)) this.cardGone(r);
        if (names.join('\n') !== this.readerNames.join('\n')) {
          this.readerNames = names;
          this.emit('readers', [...names]);
        }
        this.updateReadyStatus();
        return;
      }
      case 'inserted': {
        if (!this.readerFilter(msg.reader)) return;
        this.present.add(msg.reader);
        if (msg.error !== undefined) {
          const message = msg.error === 'mute' ? '卡片无响应，请重新刷卡' : '读卡失败，请重新刷卡';
          this.emit('cardError', { reader: msg.reader, atr: msg.atr, sw: null, message });
          return;
        }
        const res = interpretUidResponse(msg.response ?? '');
        if (res.ok) this.emit('card', { uid: res.uid, reader: msg.reader, atr: msg.atr });
        else this.emit('cardError', { reader: msg.reader, atr: msg.atr, sw: res.sw, message: res.message });
        return;
      }
      case 'removed':
        if (this.readerFilter(msg.reader)) this.cardGone(msg.reader);
        return;
      case 'loadError':
        running.ending = 'loadError'; // the worker exits by itself
        return;
      case 'pcscError':
        // Most PC/SC errors mean the context is unusable; a fresh worker is the reliable fix.
        if (!running.ending) {
          running.ending = 'pcscError';
          running.handle.kill();
        }
        return;
    }
  }

  private onWorkerExit(running: Running): void {
    if (this.child !== running) return;
    this.child = null;
    this.clearTimer('watchdog');
    this.clearTimer('serviceTimer');
    // Cards and readers seen by the dead worker are unknown now; a new worker re-reports them.
    for (const r of [...this.present]) this.cardGone(r);
    if (this.readerNames.length) {
      this.readerNames = [];
      this.emit('readers', []);
    }
    if (!this.wanted || running.ending === 'stop') return;
    void this.recover(running.ending);
  }

  /** After losing a worker: wait for pcscd if it is gone (the usual cause), else restart with backoff. */
  private async recover(reason: Running['ending']): Promise<void> {
    const serviceUp = reason !== 'serviceLost' && (!this.socket || (await probeUnixSocket(this.socket)));
    if (!this.wanted || this.child) return; // closed or reopened meanwhile
    if (!serviceUp) {
      this.setStatus({ state: 'missing', message: SERVICE_MISSING_MESSAGE });
      this.failures = 0;
      this.scheduleStart(this.serviceCheckMs);
      return;
    }
    const messages = {
      hung: '读卡器服务无响应，正在重启…',
      pcscError: '读卡器通讯出错，正在重启…',
      loadError: '读卡器组件加载失败（pcsclite），正在重试…',
    } as Record<string, string>;
    this.setStatus({ state: 'error', message: messages[reason ?? ''] ?? '读卡器程序意外退出，正在重启…' });
    const delay = Math.min(this.restartDelayMs * 2 ** this.failures, 15_000);
    this.failures++;
    this.scheduleStart(delay);
  }

  private cardGone(reader: string): void {
    if (!this.present.delete(reader)) return;
    this.emit('cardRemoved', { reader });
  }

  private updateReadyStatus(): void {
    if (!this.child?.up) return;
    if (this.readerNames.length === 0) this.setStatus({ state: 'missing', message: '未检测到读卡器，请检查连线' });
    else this.setStatus({ state: 'ok', message: '读卡器已就绪' });
  }

  private scheduleStart(ms: number): void {
    if (!this.wanted || this.startTimer) return;
    this.startTimer = setTimeout(() => {
      this.startTimer = null;
      void this.start();
    }, ms);
    this.startTimer.unref();
  }

  private clearTimer(name: 'startTimer' | 'watchdog' | 'serviceTimer'): void {
    const t = this[name];
    if (t) clearTimeout(t);
    this[name] = null;
  }

  private setStatus(next: DeviceStatus): void {
    if (next.state === this.current.state && next.message === this.current.message) return;
    this.current = next;
    this.emit('status', { ...next });
  }
}
