// Entry of the browser host: `node out/main/browser.js [--data-dir DIR] [--port N] [--no-open]`.
// Serves the built renderer and the API on 127.0.0.1 and prints one machine-readable ready line.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../api/log';
import { resolveDataDir, resolveResource } from '../till/paths';
import { TillError } from '../../shared/errors';
import { boot } from './boot';
import { startHttpHost } from './http';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.split('=')[1];
}

function openChromiumApp(url: string, dataDir: string): void {
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const exe = candidates.find((c) => existsSync(c));
  const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  if (!exe || !hasDisplay) return;
  const child = spawn(exe, [`--app=${url}`, `--user-data-dir=${join(dataDir, 'chromium-profile')}`, '--no-first-run'], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  child.unref();
}

/**
 * The customer display's read-only token, kept in the data folder so the second screen's link (a
 * bookmark, a kiosk shortcut) survives restarts. It opens only the display's content, never the API.
 */
function displayToken(dataDir: string): string {
  const file = join(dataDir, 'display-token');
  const old = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (/^[0-9a-f]{32}$/.test(old)) return old;
  const token = randomBytes(16).toString('hex');
  writeFileSync(file, token, { mode: 0o600 });
  return token;
}

async function main(): Promise<void> {
  const dataDir = resolveDataDir(process.argv, process.env);
  const { till, registry } = boot({ dataDir, transport: 'browser', seedDemo: !process.argv.includes('--no-demo') });
  const host = await startHttpHost({
    till,
    registry,
    staticDir: resolveResource(join('out', 'renderer')),
    port: Number(argValue('--port') ?? process.env.TILL_PORT ?? 0),
    displayToken: displayToken(dataDir),
  });
  const address = `${host.url}/#token=${host.token}`;
  // The words for a person first (the till's address is the first one printed), then one JSON line
  // for programs (tests, bench).
  process.stdout.write(
    `收银台已启动 / Till is running: ${address}\n顾客屏 / Customer display: ${host.displayUrl}\n数据目录 / Data: ${dataDir}\n`,
  );
  process.stdout.write(`TILL_READY ${JSON.stringify({ url: host.url, token: host.token, displayUrl: host.displayUrl, dataDir, pid: process.pid })}\n`);
  if (!process.argv.includes('--no-open')) openChromiumApp(address, dataDir);

  const stop = async () => {
    await host.close();
    till.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  if (e instanceof TillError) {
    process.stderr.write(`无法启动：${e.message}\n`);
  } else {
    log.error('start failed', { error: e instanceof Error ? e.stack : String(e) });
  }
  process.exit(1);
});
