// Debounce for "stable": scales raise their stable flag early (some after one quiet frame),
// and a cashier's hand resting on the pan can look stable for a moment. We only trust a weight
// when the scale says stable AND the last N frames agree within a tolerance.

export interface StabilityOptions {
  /** Frames that must agree. Default 3 (0.3 s at 10 Hz). */
  frames?: number;
  /** Max spread in grams between those frames. Default 2 g. */
  toleranceGrams?: number;
}

export interface StabilityInput {
  grams: number;
  stable: boolean;
  overload: boolean;
}

export class StabilityTracker {
  private readonly frames: number;
  private readonly tolerance: number;
  private window: StabilityInput[] = [];
  /** Weight we already announced as settled; null while unsettled. */
  private announced: number | null = null;

  constructor(options: StabilityOptions = {}) {
    this.frames = Math.max(1, options.frames ?? 3);
    this.tolerance = Math.max(0, options.toleranceGrams ?? 2);
  }

  /** Returns whether the weight is settled now, and whether this frame is the one that settled it. */
  push(r: StabilityInput): { settled: boolean; newlySettled: boolean } {
    this.window.push(r);
    if (this.window.length > this.frames) this.window.shift();
    const full = this.window.length === this.frames;
    const allStable = this.window.every((x) => x.stable && !x.overload);
    const gs = this.window.map((x) => x.grams);
    const settled = full && allStable && Math.max(...gs) - Math.min(...gs) <= this.tolerance;
    if (!settled) {
      this.announced = null;
      return { settled, newlySettled: false };
    }
    // With frames = 1 the window never "breaks", so also re-announce after a real jump.
    if (this.announced !== null && Math.abs(r.grams - this.announced) <= this.tolerance) {
      return { settled, newlySettled: false };
    }
    this.announced = r.grams;
    return { settled, newlySettled: true };
  }

  reset(): void {
    this.window = [];
    this.announced = null;
  }
}
