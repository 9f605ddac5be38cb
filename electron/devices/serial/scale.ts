// Serial retail scale in continuous-output mode (5–20 frames per second).
import { parseScaleFrame, ScaleFramer } from './scale-protocols.js';
import type { PoundPolicy, ScaleProtocol, ScaleReading } from './scale-protocols.js';
import { StabilityTracker } from './scale-stability.js';
import { SerialDevice } from './serial-device.js';
import type { ScaleEvents, SerialDeviceOptions, WeightEvent } from './types.js';

export interface SerialScaleOptions extends SerialDeviceOptions {
  /** Default 'auto' (Toledo when a frame starts with STX, else the text family). */
  protocol?: ScaleProtocol;
  /** Default 'refuse' (status error asking to switch the scale to kg). */
  pounds?: PoundPolicy;
  /** Frames that must agree before a weight is settled. Default 3. */
  stableFrames?: number;
  /** Allowed spread in grams across those frames. Default 2. */
  toleranceGrams?: number;
  /**
   * Bytes that make the scale tare itself (model specific, e.g. "T\r\n"). When set, tare() sends it and
   * the scale then reports net frames; when unset, tare() is done in software.
   */
  tareCommand?: Buffer;
  /** Bytes that clear the scale's own tare, if the model has such a command. */
  clearTareCommand?: Buffer;
  /** No valid frame for this long → status error. Default 3000 ms. */
  noDataMs?: number;
}

export class SerialScale extends SerialDevice<ScaleEvents> {
  private readonly framer = new ScaleFramer();
  private readonly tracker: StabilityTracker;
  private readonly options: SerialScaleOptions;
  private readonly noDataMs: number;
  private reading: ScaleReading | null = null;
  private settled = false;
  private softTare = 0;
  private lastEmitted: WeightEvent | null = null;
  private noDataTimer: NodeJS.Timeout | null = null;

  constructor(options: SerialScaleOptions) {
    super(options, '电子秤');
    this.options = options;
    this.noDataMs = options.noDataMs ?? 3000;
    this.tracker = new StabilityTracker({ frames: options.stableFrames, toleranceGrams: options.toleranceGrams });
  }

  /** Latest weight, or null before the first frame. */
  current(): WeightEvent | null {
    return this.reading ? this.toEvent(this.reading) : null;
  }

  /**
   * Tare the current load. Software tare needs a settled, non-negative weight (taring a moving pan
   * gives wrong prices). Resolves with the tare in grams (software) or null (sent to the scale).
   */
  async tare(): Promise<number | null> {
    if (this.options.tareCommand) {
      await this.write(this.options.tareCommand);
      return null;
    }
    const r = this.reading;
    if (!r) throw new Error('电子秤没有数据，不能去皮');
    if (!this.settled || r.overload) throw new Error('秤不稳定，请稍候再去皮');
    if (r.grams < 0) throw new Error('重量为负，请先置零');
    this.softTare = r.grams;
    this.emitWeightIfChanged();
    return this.softTare;
  }

  async clearTare(): Promise<void> {
    this.softTare = 0;
    if (this.options.clearTareCommand) await this.write(this.options.clearTareCommand);
    this.emitWeightIfChanged();
  }

  protected onData(chunk: Buffer): void {
    for (const frame of this.framer.push(chunk)) {
      const res = parseScaleFrame(frame, { protocol: this.options.protocol, pounds: this.options.pounds });
      if (!res.ok) {
        if (res.reason === 'unit') {
          this.setStatus({
            state: 'error',
            message: res.detail === 'lb' ? '电子秤单位是磅（lb），请把秤设置为千克（kg）' : '电子秤单位不支持，请设置为千克（kg）',
          });
        }
        continue; // garbage: ignore, the no-data timer catches a scale that only sends garbage
      }
      this.onReading(res.reading);
    }
  }

  protected override onPortOpened(): void {
    this.armNoDataTimer();
  }

  protected override onPortClosed(): void {
    if (this.noDataTimer) clearTimeout(this.noDataTimer);
    this.noDataTimer = null;
    this.framer.reset();
    this.tracker.reset();
    this.reading = null;
    this.settled = false;
    this.lastEmitted = null;
  }

  private onReading(r: ScaleReading): void {
    this.armNoDataTimer();
    if (this.status().state !== 'ok') this.setStatus({ state: 'ok', message: `${this.label}已连接` });
    this.reading = r;
    const { settled, newlySettled } = this.tracker.push(r);
    this.settled = settled;
    this.emitWeightIfChanged();
    if (newlySettled) this.emit('stable', this.toEvent(r));
  }

  private toEvent(r: ScaleReading): WeightEvent {
    const scaleTare = r.net ? (r.tareGrams ?? 0) : 0;
    return {
      grams: r.grams - this.softTare,
      grossGrams: r.grams + scaleTare,
      stable: this.settled,
      tareGrams: scaleTare + this.softTare,
      net: r.net || this.softTare !== 0,
      overload: r.overload,
    };
  }

  /** 10 identical frames a second would flood IPC: only changes go out. */
  private emitWeightIfChanged(): void {
    if (!this.reading) return;
    const ev = this.toEvent(this.reading);
    const prev = this.lastEmitted;
    if (
      prev &&
      prev.grams === ev.grams &&
      prev.stable === ev.stable &&
      prev.tareGrams === ev.tareGrams &&
      prev.net === ev.net &&
      prev.overload === ev.overload
    ) {
      return;
    }
    this.lastEmitted = ev;
    this.emit('weight', ev);
  }

  private armNoDataTimer(): void {
    if (this.noDataTimer) {
      this.noDataTimer.refresh();
      return;
    }
    this.noDataTimer = setTimeout(() => {
      this.noDataTimer = null;
      if (!this.isOpen()) return;
      this.reading = null;
      this.settled = false;
      this.tracker.reset();
      this.setStatus({ state: 'error', message: '电子秤没有数据（请检查连线、波特率和连续发送设置）' });
    }, this.noDataMs);
    this.noDataTimer.unref();
  }
}
