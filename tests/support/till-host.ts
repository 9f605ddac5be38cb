// Starts the real browser host (the built app, `out/main/browser.js`, or with `fromSource` the same
// entry from source through tsx, needing no build) in a child process on a fresh data folder and
// waits for its ready line. Used by e2e tests, the host's integration tests and the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningHost {
  url: string;
  token: string;
  /** The customer display's link (its read-only token in the hash), as 设置 → 设备 shows it. */
  displayUrl: string;
  dataDir: string;
  /** The address a person would open (token in the hash). */
  appUrl: string;
  child: ChildProcess;
  stderr: string[];
  api<T = unknown>(name: string, input?: unknown): Promise<{ status: number; body: { ok: boolean; result?: T; error?: { code: string; message: string } } }>;
  stop(): Promise<void>;
}

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export async function startHost(
  opts: { dataDir?: string; env?: NodeJS.ProcessEnv; keepData?: boolean; fromSource?: boolean } = {},
): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'till-e2e-'));
  const entry = opts.fromSource ? ['--import', 'tsx', join(repoRoot, 'electron/host/browser-main.ts')] : [join(repoRoot, 'out/main/browser.js')];
  const child = spawn(process.execPath, [...entry, '--data-dir', dataDir, '--no-open', '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, TILL_LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const ready = await new Promise<{ url: string; token: string; displayUrl: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`host not ready in 30 s: ${stderr.join('')}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}: ${stderr.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('TILL_READY ')) {
        clearTimeout(timer);
        resolveReady(JSON.parse(line.slice('TILL_READY '.length)));
      }
    });
  });
  const host: RunningHost = {
    ...ready,
    dataDir,
    appUrl: `${ready.url}/#token=${ready.token}`,
    child,
    stderr,
    async api(name, input = {}) {
      const res = await fetch(`${ready.url}/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-till-token': ready.token },
        body: JSON.stringify(input),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return host;
}
