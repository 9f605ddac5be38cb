// The PC/SC member-card reader against a REAL pcscd with the vpcd virtual reader driver and a
// virtual card (tests/fakes/vcard.ts). Runs as root in CI; skips only when not root AND pcscd is
// not installed.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { EventEmitter } from 'node:events';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PcscCardReader, SERVICE_MISSING_MESSAGE } from '../../../electron/devices/cardreader/card-reader.js';
import { DRIVER_MISSING_MESSAGE, pcscDriver } from '../../../electron/devices/cardreader/driver.js';
import type { CardErrorEvent, CardEvent } from '../../../electron/devices/cardreader/types.js';
import type { DeviceStatus } from '../../../electron/devices/serial/types.js';
import { VirtualCard } from '../../fakes/vcard.js';
import { pcscdSkipReason, startPcscd, waitFor, type Peer } from '../../support/peers.js';

const skipReason = pcscdSkipReason();
if (skipReason) console.warn(`[cardreader.test] SKIPPED: ${skipReason}`);

const READER_0 = 'Virtual PCD 00 00';
const READER_1 = 'Virtual PCD 00 01';
const UID = '04A1B2C3D4E5F6';
const NATIVE_BUILD = fileURLToPath(new URL('../../../node_modules/@pokusew/pcsclite/build/Release/pcsclite.node', import.meta.url));

function nextEvent<T>(emitter: EventEmitter, name: string, timeoutMs = 10_000): Promise<T> {
  return once(emitter, name, { signal: AbortSignal.timeout(timeoutMs) }).then((a) => a[0] as T);
}

/** Measures whether the Node event loop keeps ticking (the parent must never block on PC/SC). */
function tickMonitor(periodMs = 20) {
  let ticks = 0;
  let last = Date.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, periodMs);
  return {
    get ticks() {
      return ticks;
    },
    get maxGap() {
      return maxGap;
    },
    stop: () => clearInterval(timer),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(skipReason !== null)('PC/SC card reader with real pcscd', () => {
  let pcscd: Peer | null = null;
  const readers: PcscCardReader[] = [];
  const cards: VirtualCard[] = [];
  const monitors: { stop(): void }[] = [];

  const newReader = (o: ConstructorParameters<typeof PcscCardReader>[0] = {}) => {
    const r = new PcscCardReader({ serviceCheckMs: 200, restartDelayMs: 200, heartbeatMs: 200, heartbeatTimeoutMs: 1500, ...o });
    readers.push(r);
    return r;
  };
  const newCard = (o: Partial<ConstructorParameters<typeof VirtualCard>[0]> = {}) => {
    const c = new VirtualCard({ uid: UID, ...o });
    cards.push(c);
    return c;
  };
  const monitor = () => {
    const m = tickMonitor();
    monitors.push(m);
    return m;
  };
  const stopPcscd = async () => {
    const p = pcscd;
    pcscd = null;
    await p?.stop();
  };

  afterEach(async () => {
    for (const m of monitors.splice(0)) m.stop();
    for (const c of cards.splice(0)) await c.remove();
    const pids = readers.map((r) => r.workerPid()).filter((p): p is number => p !== undefined);
    await Promise.all(readers.splice(0).map((r) => r.close()));
    await stopPcscd(); // always, even when the test failed
    // no worker may outlive its reader
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
  afterAll(stopPcscd);

  it('reports the service missing without forking, keeps the loop ticking, recovers when pcscd starts', async () => {
    const reader = newReader();
    const ticks = monitor();
    const statuses: DeviceStatus[] = [];
    reader.on('status', (s) => statuses.push(s));
    await reader.open();
    expect(reader.status()).toEqual({ state: 'missing', message: SERVICE_MISSING_MESSAGE });
    expect(reader.workerPid()).toBeUndefined();
    const before = ticks.ticks;
    await waitFor(() => ticks.ticks >= before + 25, { what: '25 ticks (~0.5 s, several probe periods)' });
    expect(reader.workerPid()).toBeUndefined(); // still not forked: never touches pcsclite without the service
    expect(ticks.maxGap).toBeLessThan(300);

    const listed = nextEvent<string[]>(reader, 'readers');
    pcscd = await startPcscd();
    expect(await listed).toContain(READER_0);
    await waitFor(() => reader.status().state === 'ok', { what: 'status ok' });
    expect(reader.status().message).toBe('读卡器已就绪');
    expect(reader.workerPid()).toBeGreaterThan(0);
    await waitFor(() => reader.readers().length === 2, { what: 'both virtual readers' });
    expect(reader.readers()).toEqual([READER_0, READER_1]);
    expect(statuses[0]).toEqual({ state: 'missing', message: SERVICE_MISSING_MESSAGE });
  });

  it('emits the UID on insert and the removal on remove; a 6A81 card gives cardError, not a crash', async () => {
    pcscd = await startPcscd();
    // Explicit addon path: exercises the worker's override used for the Electron-ABI build.
    const reader = newReader({ nativeBinding: NATIVE_BUILD });
    await reader.open();
    await waitFor(() => reader.readers().includes(READER_0), { what: 'reader listed' });

    const card = newCard();
    const inserted = nextEvent<CardEvent>(reader, 'card');
    await card.insert();
    expect(await inserted).toEqual({ uid: UID, reader: READER_0, atr: '3B8F8001804F0CA000000306030001000000006A' });
    expect(card.apdus.map((a) => a.toString('hex'))).toContain('ffca000000');

    const removed = nextEvent<{ reader: string }>(reader, 'cardRemoved');
    await card.remove();
    expect(await removed).toEqual({ reader: READER_0 });

    // a second card on the other reader, with a different UID
    const other = newCard({ uid: '11223344', port: 35964 });
    const second = nextEvent<CardEvent>(reader, 'card');
    await other.insert();
    expect(await second).toMatchObject({ uid: '11223344', reader: READER_1 });
    await other.remove();

    const cpu = newCard({ uidSw: '6A81' });
    const failed = nextEvent<CardErrorEvent>(reader, 'cardError');
    const cardEvents: CardEvent[] = [];
    reader.on('card', (c) => cardEvents.push(c));
    await cpu.insert();
    expect(await failed).toMatchObject({ reader: READER_0, sw: '6A81', message: '此卡不支持读取卡号，请换会员卡' });
    expect(cardEvents).toEqual([]);
    await cpu.remove();

    // still working after the odd card
    const again = newCard();
    const ok = nextEvent<CardEvent>(reader, 'card');
    await again.insert();
    expect((await ok).uid).toBe(UID);
    expect(reader.status().state).toBe('ok');
  });

  it('pcscd stopping mid-session: status says the service is missing, the loop keeps ticking, recovery after restart', async () => {
    pcscd = await startPcscd();
    const reader = newReader();
    await reader.open();
    const card = newCard();
    const inserted = nextEvent<CardEvent>(reader, 'card');
    await card.insert();
    await inserted;
    const workerBefore = reader.workerPid();
    expect(workerBefore).toBeGreaterThan(0);

    const ticks = monitor();
    const removed = nextEvent<{ reader: string }>(reader, 'cardRemoved');
    await stopPcscd();
    await waitFor(() => reader.status().message === SERVICE_MISSING_MESSAGE, { what: 'service missing status' });
    expect(reader.status().state).toBe('missing');
    expect(await removed).toEqual({ reader: READER_0 });
    const at = ticks.ticks;
    await waitFor(() => ticks.ticks >= at + 25, { what: 'loop keeps ticking' });
    expect(ticks.maxGap).toBeLessThan(300);
    await waitFor(() => !alive(workerBefore!), { what: 'old worker gone' });
    expect(reader.readers()).toEqual([]);

    await card.remove();
    pcscd = await startPcscd();
    await waitFor(() => reader.status().state === 'ok', { what: 'recovered' });
    const back = newCard({ uid: 'DEADBEEF' });
    const next = nextEvent<CardEvent>(reader, 'card');
    await back.insert();
    expect((await next).uid).toBe('DEADBEEF');
  });

  it('a worker that cannot load its addon is reported and restarted, not fatal', async () => {
    pcscd = await startPcscd();
    const reader = newReader({ nativeBinding: '/nonexistent/pcsclite.node' });
    const statuses: DeviceStatus[] = [];
    reader.on('status', (s) => statuses.push(s));
    await reader.open();
    await waitFor(() => reader.status().state === 'error', { what: 'error status' });
    expect(reader.status().message).toBe('读卡器组件加载失败（pcsclite），正在重试…');
    await waitFor(() => statuses.filter((s) => s.message === '正在连接读卡器服务…').length >= 2, { what: 'a restart' });
  });

  it("watchdog: a worker stuck in pcsclite's busy loop is killed and restarted while the parent keeps ticking", async () => {
    // No pcscd and the probe disabled (serviceSocket: null, like Windows): the real worker calls
    // pcsclite(), which spins forever. Only the heartbeat watchdog can notice.
    const reader = newReader({ serviceSocket: null, heartbeatTimeoutMs: 800 });
    const ticks = monitor();
    const statuses: DeviceStatus[] = [];
    reader.on('status', (s) => statuses.push(s));
    await reader.open();
    const firstPid = reader.workerPid();
    expect(firstPid).toBeGreaterThan(0);
    await waitFor(() => statuses.some((s) => s.state === 'error'), { what: 'watchdog error status', timeoutMs: 10_000 });
    expect(statuses.find((s) => s.state === 'error')).toEqual({ state: 'error', message: '读卡器服务无响应，正在重启…' });
    await waitFor(() => !alive(firstPid!), { what: 'stuck worker killed' });
    await waitFor(() => reader.workerPid() !== undefined && reader.workerPid() !== firstPid, { what: 'restarted worker' });
    expect(ticks.maxGap).toBeLessThan(300);
    expect(reader.status().state).not.toBe('ok');
  });
});

// The driver module is an optional dependency (it needs the PC/SC headers to compile): without it the
// reader says what to install and never forks a worker. These run without pcscd.
describe('PC/SC driver module missing', () => {
  it('is found where npm test installed it', () => {
    expect(pcscDriver()).toEqual({ installed: true, message: '读卡器驱动已安装' });
  });

  it('a reader without the driver reports 读卡器驱动未安装 with the fix and forks nothing', async () => {
    let forks = 0;
    const reader = new PcscCardReader({
      serviceSocket: null,
      driverCheck: () => ({ installed: false, message: DRIVER_MISSING_MESSAGE }),
      spawnWorker: () => {
        forks++;
        throw new Error('must not fork');
      },
    });
    await reader.open();
    expect(reader.status()).toEqual({ state: 'missing', message: DRIVER_MISSING_MESSAGE });
    expect(reader.status().message).toMatch(/^读卡器驱动未安装.*libpcsclite-dev.*npm install/);
    expect(forks).toBe(0);
    await reader.close();
  });
});
