// Real local peers for device tests: socat virtual serial pairs and pcscd.
// Rules (TESTING.md): start in the background, wait by polling (never fixed sleeps), remember PIDs,
// stop by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Used in the timeout error. */
  what?: string;
}

/** Poll until cond() is truthy; returns that value. */
export async function waitFor<T>(cond: () => T | Promise<T>, o: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (o.timeoutMs ?? 10_000);
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${o.timeoutMs ?? 10_000} ms waiting for ${o.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 25));
  }
}

/** A background process we started, with its output kept for error messages. */
export interface Peer {
  pid: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';

function startPeer(cmd: string, args: string[]): Peer {
  // If the test runner is SIGKILLed (timeout, Ctrl-C twice), afterAll never runs. setpriv (util-linux)
  // sets the parent-death signal and then execs the peer (same PID), so the kernel stops the peer
  // with its runner instead of leaving an orphan pcscd that blocks the next run.
  const [file, argv] =
    process.platform === 'linux' && existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'TERM', '--', cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  return {
    pid,
    child,
    output: () => out,
    stop: () => stopByPid(pid, exited),
  };
}

/** SIGTERM by PID, SIGKILL if it has not exited after 3 s. */
export async function stopByPid(pid: number, exited: Promise<void>): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }, 3000);
  await exited;
  clearTimeout(timer);
}

export function uniqueTmpPath(prefix: string): string {
  return path.join(os.tmpdir(), `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
}

// ---------------------------------------------------------------- socat

export interface SerialPair extends Peer {
  /** End for the app. */
  a: string;
  /** End for the fake device. */
  b: string;
}

export function socatArgs(a: string, b: string): string[] {
  return ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`];
}

/** A virtual null-modem cable. Pass paths to recreate a pair on the same links (reconnect tests). */
export async function startSerialPair(paths?: { a: string; b: string }): Promise<SerialPair> {
  const base = uniqueTmpPath('till-tty');
  const a = paths?.a ?? `${base}A`;
  const b = paths?.b ?? `${base}B`;
  const peer = startPeer('socat', socatArgs(a, b));
  try {
    await waitFor(
      () => {
        if (peer.child.exitCode !== null) throw new Error(`socat exited with ${peer.child.exitCode}`);
        return existsSync(a) && existsSync(b);
      },
      { timeoutMs: 5000, what: `socat links ${a} ${b}` },
    );
  } catch (e) {
    await peer.stop();
    throw new Error(`${(e as Error).message}\n${peer.output()}`);
  }
  return {
    ...peer,
    a,
    b,
    stop: async () => {
      await peer.stop();
      rmSync(a, { force: true });
      rmSync(b, { force: true });
    },
  };
}

// ---------------------------------------------------------------- pcscd

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
export const VPCD_PORT = 35963;

export function findPcscd(): string | null {
  for (const p of ['/usr/sbin/pcscd', '/usr/bin/pcscd', '/usr/local/sbin/pcscd']) if (existsSync(p)) return p;
  return null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Reason to skip pcscd tests, or null to run them. Only a non-root machine without pcscd skips:
 * CI runs as root with pcscd installed, so there the tests always run (and fail loudly if broken).
 */
export function pcscdSkipReason(): string | null {
  if (!isRoot() && !findPcscd()) return 'pcscd is not installed and we are not root (apt-get install pcscd vsmartcard-vpcd)';
  return null;
}

/** Is something LISTENing on this TCP port? Read from /proc so we do not connect (a vpcd connect = card insert). */
export function tcpListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    // columns: sl local_address rem_address st ... ; st 0A = LISTEN
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 3 && cols[1].endsWith(`:${hex}`) && cols[3] === '0A') return true;
    }
  }
  return false;
}

export function unixSocketReachable(p: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: p });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Start `pcscd -f` and wait until its socket answers and the vpcd driver listens on 35963
 * (which means the virtual readers are registered).
 */
export async function startPcscd(): Promise<Peer> {
  const bin = findPcscd();
  if (!bin) throw new Error('pcscd not found (apt-get install pcscd vsmartcard-vpcd)');
  if (await unixSocketReachable(PCSCD_SOCKET)) {
    throw new Error(`another pcscd already answers on ${PCSCD_SOCKET}; stop it first (the test must own pcscd)`);
  }
  const peer = startPeer(bin, ['-f']);
  try {
    await waitFor(
      async () => {
        if (peer.child.exitCode !== null) throw new Error(`pcscd exited with ${peer.child.exitCode}`);
        return (await unixSocketReachable(PCSCD_SOCKET)) && tcpListening(VPCD_PORT);
      },
      { timeoutMs: 15_000, what: 'pcscd socket and vpcd port 35963' },
    );
  } catch (e) {
    await peer.stop();
    throw new Error(`${(e as Error).message}\n--- pcscd output ---\n${peer.output()}`);
  }
  return peer;
}
