// A child process the crash tests kill at a random moment: it prints `STEP` after each unit of work
// and `DONE` at the end; it is SIGKILLed `killDelayMs` after its `killAfter`-th step (mid-call or
// mid-transaction, whatever it was doing then). Used by the payment and the sync kill runs.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface KilledRun {
  /** It printed DONE: the kill came too late (or never) to stop it. */
  done: boolean;
  steps: number;
  /** The end of its stderr, for a failure's message. */
  stderr: string;
}

/** Runs `node <nodeArgs>` until it prints DONE or until the kill; rejects if it died any other way. */
export function runKillableChild(nodeArgs: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; killAfter: number; killDelayMs: number }): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let steps = 0;
    let done = false;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('DONE')) done = true;
      if (line.startsWith('STEP') && ++steps === opts.killAfter) setTimeout(() => child.kill('SIGKILL'), opts.killDelayMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!done && signal !== 'SIGKILL') reject(new Error(`child exited ${code ?? signal} without DONE:\n${stderr}`));
      else resolve({ done, steps, stderr });
    });
  });
}
