// What each device's status is, and the printers' in particular. Every few seconds while idle (and
// at once after a failed or waiting job) each printer is asked its status (DLE EOT), so the UI shows
// 缺纸 / 上盖打开 / 离线 before a sale needs the printer. A change is told as a 'device' event (the
// settings screen), a 'printer' event per routed role, and through onLightChange for the status
// bar's light (the receipt printer, with the number of receipts waiting). Jobs whose role has no
// printer get a wait reason instead of waiting silently.
import type { StatusInfo } from '../../shared/api/app';
import type { DeviceConfig, DeviceStatusView } from '../../shared/api/devices';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { printJobs } from '../till/schema';
import type { Till } from '../till/till';
import { readDevices } from './config';
import type { Fleet, RunningPrinter } from './fleet';
import { canPrint, type PrinterStatus } from './printer/types';
import type { DeviceStatus } from './serial/types';

const PRINTER_LIGHT: Record<string, DeviceStatusView['light']> = {
  ok: 'ok',
  paper_near_end: 'warn',
  paper_out: 'error',
  cover_open: 'error',
  offline: 'error',
  error: 'error',
};

export interface StatusBoardOptions {
  /** Status check of idle printers, ms. */
  pollMs: number;
  /** The status bar's printer light may have changed. */
  onLightChange?: () => void;
  /** A printer can print again: the queue should look now rather than at its next backoff. */
  wakeQueue(): void;
  /** Bumped by the manager when the fleet is replaced: answers for an older fleet are dropped. */
  generation(): number;
  stopped(): boolean;
}

export class StatusBoard {
  private statuses = new Map<string, DeviceStatusView>();
  private polling = new Set<string>();
  private pollTimer: NodeJS.Timeout | null = null;
  private lastLight = '';

  constructor(
    private readonly till: Till,
    private readonly fleet: Fleet,
    private readonly opts: StatusBoardOptions,
  ) {}

  /** Forgets every status (a new configuration is opening). */
  reset(): void {
    this.statuses.clear();
  }

  /** Stops polling (the fleet is closing). */
  stop(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.polling.clear();
  }

  set(c: DeviceConfig, s: Omit<DeviceStatusView, 'id' | 'kind' | 'at'>): void {
    const prev = this.statuses.get(c.id);
    const next: DeviceStatusView = { id: c.id, kind: c.kind, ...s, at: this.till.now() };
    this.statuses.set(c.id, next);
    if (
      !prev ||
      prev.code !== next.code ||
      prev.message !== next.message ||
      prev.drawerOpen !== next.drawerOpen ||
      prev.waitingJobs !== next.waitingJobs ||
      prev.light !== next.light
    ) {
      this.till.events.emit('device', next);
      if (c.kind === 'printer') this.lightChanged();
    }
  }

  setSerial(c: DeviceConfig, s: DeviceStatus): void {
    this.set(c, { light: s.state === 'ok' ? 'ok' : 'error', code: s.state, message: s.message });
  }

  private waitingFor(r: RunningPrinter): number {
    const roles = this.fleet.rolesOf(r);
    if (!roles.length) return 0;
    const waiting = and(inArray(printJobs.status, ['pending', 'printing', 'failed']), inArray(printJobs.printerRole, roles));
    return this.till.db.select({ n: count() }).from(printJobs).where(waiting).get()?.n ?? 0;
  }

  setPrinter(r: RunningPrinter, st: PrinterStatus): void {
    const prev = this.statuses.get(r.config.id);
    const virtual = r.config.driver.type === 'virtual';
    const message = virtual && st.state === 'ok' ? '正常（虚拟打印机）' : st.message;
    this.set(r.config, {
      light: PRINTER_LIGHT[st.state] ?? 'error',
      code: st.state,
      message,
      ...(st.drawerOpen !== undefined ? { drawerOpen: st.drawerOpen } : {}),
      waitingJobs: this.waitingFor(r),
    });
    if (!prev || prev.code !== st.state || prev.message !== message) {
      for (const role of this.fleet.rolesOf(r)) this.till.events.emit('printer', { role, state: st.state, message });
    }
  }

  /** The number of receipts waiting for this printer changed, perhaps. */
  refreshWaiting(r: RunningPrinter): void {
    const cur = this.statuses.get(r.config.id);
    if (!cur) return;
    const n = this.waitingFor(r);
    if (cur.waitingJobs !== n) this.set(r.config, { light: cur.light, code: cur.code, message: cur.message, drawerOpen: cur.drawerOpen, waitingJobs: n });
  }

  /** Asks one printer now (skipped when a query for it is already running). */
  async poll(r: RunningPrinter): Promise<void> {
    if (this.polling.has(r.config.id)) return;
    const gen = this.opts.generation();
    this.polling.add(r.config.id);
    try {
      let st: PrinterStatus;
      try {
        st = await r.printer.status();
      } catch (e) {
        st = { state: 'offline', message: `离线（${(e as Error).message}）` };
      }
      if (gen !== this.opts.generation() || this.opts.stopped()) return;
      this.setPrinter(r, st);
      // Paper back / cover closed: wake the queue now instead of at its next backoff.
      if (canPrint(st)) this.opts.wakeQueue();
    } finally {
      this.polling.delete(r.config.id);
    }
  }

  /** Polls every printer after `ms`, then every pollMs. */
  schedule(ms: number): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (this.opts.stopped()) return;
      void Promise.allSettled(this.fleet.printers().map((r) => this.poll(r))).then(() => {
        if (this.opts.stopped()) return;
        this.markUnrouted();
        this.schedule(this.opts.pollMs);
      });
    }, ms);
    this.pollTimer.unref();
  }

  /** Jobs whose role has no printer say so instead of waiting silently. Returns those roles. */
  markUnrouted(): string[] {
    const pending = eq(printJobs.status, 'pending');
    const roles = this.till.db
      .selectDistinct({ role: printJobs.printerRole })
      .from(printJobs)
      .where(pending)
      .all()
      .map((r) => r.role)
      .filter((role) => !this.fleet.printerFor(role));
    for (const role of roles) {
      const reason = '没有设置这种用途的打印机';
      this.till.db
        .update(printJobs)
        .set({ waitReason: reason })
        .where(and(pending, eq(printJobs.printerRole, role), sql`${printJobs.waitReason} IS NOT ${reason}`))
        .run();
    }
    return roles;
  }

  of(id: string): DeviceStatusView {
    const c = readDevices(this.till.db).find((d) => d.id === id);
    return (
      this.statuses.get(id) ?? {
        id,
        kind: c?.kind ?? 'printer',
        light: 'off',
        code: 'unknown',
        message: '正在检测…',
        at: this.till.now(),
      }
    );
  }

  /** The status bar's printer light: the receipt printer. */
  printerLight(): StatusInfo['printer'] {
    const r = this.fleet.printerFor('receipt');
    if (!r) return { state: 'warn', message: '未设置小票打印机', code: 'no_printer' };
    const s = this.statuses.get(r.config.id);
    if (!s || s.code === 'unknown') return { state: 'none', message: '正在检测打印机…', code: 'checking' };
    const state = s.light === 'off' ? 'none' : s.light;
    const waiting = s.waitingJobs ? `，${s.waitingJobs} 张待打印` : '';
    const code = s.code === 'ok' && r.config.driver.type === 'virtual' ? 'virtual' : s.code;
    return { state, message: `${s.message}${waiting}`, code, ...(s.waitingJobs ? { waiting: s.waitingJobs } : {}) };
  }

  /** Tells onLightChange when the light's state or message changed. */
  lightChanged(): void {
    const l = this.printerLight();
    const key = `${l.state}|${l.message}`;
    if (key === this.lastLight) return;
    this.lastLight = key;
    this.opts.onLightChange?.();
  }
}
