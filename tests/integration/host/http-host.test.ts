// The browser host's static files need no token, so a bad request for one must not hurt the till
// (issue 7, item 7): a file that cannot be read crashed the process (the read stream had no error
// handler), and a malformed %-escape gave a 500 with a stack trace in the log. The real host, from
// source, in a child process, serving a renderer folder that holds a file no one can read (a unix
// socket: it exists and is not a folder, but open() fails).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../support/till-host';

let resources: string;
let socket: Server;
let host: RunningHost;

beforeAll(async () => {
  resources = mkdtempSync(join(tmpdir(), 'till-static-'));
  const renderer = join(resources, 'out', 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>收银</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  socket = createServer();
  await new Promise<void>((r) => socket.listen(join(renderer, 'assets', 'unreadable.js'), r));
  // TILL_RESOURCES is where resolveResource looks first: out/renderer comes from here, the rest from the repo.
  host = await startHost({ fromSource: true, env: { TILL_RESOURCES: resources, TILL_LOG_LEVEL: 'info' } });
});

afterAll(async () => {
  await host?.stop();
  await new Promise((r) => socket?.close(r));
  rmSync(resources, { recursive: true, force: true });
});

/** A raw GET (fetch would normalise or refuse the path). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: new URL(host.url).port, path, headers: { host: new URL(host.url).host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const alive = async () => {
  expect(host.child.exitCode).toBeNull();
  expect((await get('/assets/app.js')).body).toBe('console.log(1)');
};

describe('browser host: bad static requests', () => {
  it('a file that cannot be read is a 500 in Chinese and the till goes on', async () => {
    const r = await get('/assets/unreadable.js');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'UNREADABLE', message: '文件无法读取' } });
    await alive();
    // A folder is the renderer's route: index.html.
    expect((await get('/assets')).body).toContain('<title>收银</title>');
  });

  it('a malformed %-escape is a 400, in the static files and the API alike; so is a path that is not a URL', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%', '/%ZZ']) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'BAD_URL', message: '网址格式不正确' } });
    }
    const api = await get('/api/%E0%A4%A', { 'x-till-token': host.token });
    expect(api.status).toBe(405); // an API call is a POST: refused before its name is read
    const post = await host.api('%E0%A4%A');
    expect(post.status).toBe(400);
    expect(post.body.error).toEqual({ code: 'BAD_URL', message: '网址格式不正确' });
    expect((await get('//[')).status).toBe(400);
    await alive();
  });

  it('none of it leaves a stack trace or an error in the log', async () => {
    const log = host.stderr.join('');
    expect(log).toContain('"msg":"static file unreadable"');
    expect(log).not.toMatch(/\\n\s+at /);
    expect(log).not.toContain('"level":"error"');
  });
});
