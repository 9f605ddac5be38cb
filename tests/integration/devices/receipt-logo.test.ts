// The shop logo is hostile input (issue 7, item 6): print.preview is a cashier endpoint and decoded
// any PNG — a 66-byte file claiming 8000×8000 blocked the till for seconds and took ~400 MB — and
// every previewed or saved logo stayed on disk forever. Now the size in the PNG header is checked
// before anything is decoded, a preview draws an unsaved logo from memory, and saving a logo
// removes the old one. Real Till on a temporary folder, devices started, calls through the registry.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../electron/api/handlers';
import type { Registry } from '../../../electron/api/registry';
import { startDevices } from '../../../electron/devices/manager';
import { logoDir } from '../../../electron/devices/receipt-settings';
import { demoUsers } from '../../../electron/till/demo-catalog';
import { Till } from '../../../electron/till/till';
import { dataUrl, lyingPng } from '../../fakes/hostile-png';
import { SAMPLE_SALE } from '../../fakes/render-samples';

let dir: string;
let till: Till;
let registry: Registry;

async function call<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.result as T;
}

async function loginAs(role: 'cashier' | 'manager'): Promise<void> {
  const u = demoUsers.find((x) => x.role === role)!;
  const row = till.sqlite.prepare('SELECT id FROM users WHERE name = ?').get(u.name) as { id: string };
  await call('auth.login', { userId: row.id, pin: u.pin });
}

/** A small black-on-white PNG (a filled square in the middle). */
function squarePng(side: number, shade = 0): Buffer {
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const o = (y * side + x) * 4;
      const inside = x > side / 4 && x < (3 * side) / 4 && y > side / 4 && y < (3 * side) / 4;
      png.data[o] = png.data[o + 1] = png.data[o + 2] = inside ? shade : 255;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

const logoFiles = () => (existsSync(logoDir(till)) ? readdirSync(logoDir(till)) : []);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'till-logo-'));
  till = new Till({ dataDir: dir, seedDemo: true, now: () => SAMPLE_SALE.at });
  const devices = startDevices(till, { env: { TILL_DEVICES_JSON: '[]' } });
  registry = createRegistry({ till, devices }, 'browser');
});

afterEach(() => {
  till.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('receipt logo', () => {
  it('a 66-byte PNG claiming 8000×8000 is refused by the cashier preview and by saving, before decoding; nothing is stored', async () => {
    const hostile = lyingPng(8000, 8000);
    expect(hostile.length).toBe(66);
    await loginAs('cashier');
    const { paper: _p, logo: _l, ...fields } = await call('receipt.settings');
    const rssBefore = process.memoryUsage().rss;
    await expect(call('print.preview', { draft: { ...fields, logo: dataUrl(hostile) } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: '标志图片过大（8000×8000），最大 2000×2000 像素',
    });
    // The old decoder allocated the claimed 8000×8000 pixels (~400 MB); nothing near that now.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    await loginAs('manager');
    await expect(call('receipt.saveSettings', { ...fields, logo: dataUrl(hostile) })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(call('receipt.saveSettings', { ...fields, logo: dataUrl(lyingPng(300, 200, { interlace: true })) })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: '不支持隔行扫描的 PNG，请另存为普通 PNG',
    });
    // A header that fits but data that does not decode.
    await expect(call('receipt.saveSettings', { ...fields, logo: dataUrl(lyingPng(300, 200)) })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^标志图片无法读取/),
    });
    expect((await call('receipt.settings')).logo).toBeNull();
    expect(logoFiles()).toEqual([]);
  });

  it('a preview draws an unsaved logo without writing it; saving a new logo removes the old file', async () => {
    await loginAs('manager');
    const { paper: _p, logo: _l, ...fields } = await call('receipt.settings');
    const plain = await call('print.preview', { draft: { ...fields, logo: null } });
    const withLogo = await call('print.preview', { draft: { ...fields, logo: dataUrl(squarePng(120)) } });
    expect(withLogo.png).not.toBe(plain.png); // the logo is drawn
    expect(logoFiles()).toEqual([]); // ... from memory

    const a = squarePng(120);
    await call('receipt.saveSettings', { ...fields, logo: dataUrl(a) });
    expect(logoFiles()).toHaveLength(1);
    const first = logoFiles()[0];
    expect(readFileSync(join(logoDir(till), first)).equals(a)).toBe(true);
    // The stored logo is what the sample preview prints (same picture as the draft preview above).
    expect((await call('print.preview', {})).png).toBe(withLogo.png);

    await call('receipt.saveSettings', { ...fields, logo: dataUrl(squarePng(80)) });
    expect(logoFiles()).toHaveLength(1);
    expect(logoFiles()[0]).not.toBe(first);
    await call('receipt.saveSettings', { ...fields, logo: null });
    expect(logoFiles()).toEqual([]);
  });
});
