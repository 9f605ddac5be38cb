// Is pcscd reachable? Checked before we ever let pcsclite near it, because pcsclite busy-loops
// forever when the service is absent. A stale socket file (pcscd killed with SIGKILL) still
// exists, so we try to connect instead of only testing the file.
import net from 'node:net';

/** Default pcscd socket on Linux; other platforms have no socket to probe (null = skip the check). */
export function defaultPcscdSocket(): string | null {
  return process.platform === 'linux' ? '/run/pcscd/pcscd.comm' : null;
}

export function probeUnixSocket(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ path });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}
