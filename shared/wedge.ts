// Keyboard-wedge scanners type the code as key events a few ms apart and end with Enter
// (or Tab). People type ~100+ ms apart. This state machine tells the two apart from key
// names and timestamps alone (KeyboardEvent.key and .timeStamp), so it is testable
// without a DOM and the renderer decides what to do with the verdict.

export interface WedgeOptions {
  /** Longest gap between two keys of one scan, suffix included. Scanners: ~5–15 ms. */
  maxGapMs?: number;
  /** Shortest code that counts as a scan. */
  minLength?: number;
  /** Longest code kept; longer runs (a key held down) are not scans. */
  maxLength?: number;
  /** The key the scanner sends after the code. */
  suffix?: 'Enter' | 'Tab';
}

export type WedgeVerdict = { type: 'scan'; code: string } | { type: 'typing' } | null;

export interface WedgeDetector {
  /**
   * Feed every keydown. Returns null while undecided, and a verdict on the suffix key:
   * 'scan' when the fast run before it is long enough, else 'typing'.
   */
  feed(key: string, timeMs: number): WedgeVerdict;
  /** Forget the current run (e.g. when focus moves). */
  reset(): void;
  /**
   * Characters in the current fast run. 1 right after a key that started a run: the caller can note
   * what a field held before a possible scan began typing into it, and put that back on a scan.
   */
  runLength(): number;
}

// Keys a scanner may interleave (Shift for capitals) that neither add a character nor
// break the run.
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock']);

export function createWedgeDetector(opts: WedgeOptions = {}): WedgeDetector {
  const maxGap = opts.maxGapMs ?? 35;
  const minLength = opts.minLength ?? 4;
  const maxLength = opts.maxLength ?? 64;
  const suffix = opts.suffix ?? 'Enter';

  // The current run: characters typed with every gap ≤ maxGap. A slow key starts a new
  // run at itself, so a scan that follows hand-typed keys is still recognised.
  let run = '';
  let lastT = -Infinity;

  const reset = () => {
    run = '';
    lastT = -Infinity;
  };

  return {
    reset,
    runLength: () => run.length,
    feed(rawKey, t) {
      if (MODIFIERS.has(rawKey)) return null;
      // An input method in full-width mode (全角) types ６ for 6: read it as the ASCII it stands for.
      const key = rawKey.length === 1 ? rawKey.normalize('NFKC') : rawKey;
      const gap = t - lastT;
      if (key === suffix) {
        const verdict: WedgeVerdict =
          run.length >= minLength && run.length <= maxLength && gap <= maxGap ? { type: 'scan', code: run } : { type: 'typing' };
        reset();
        return verdict;
      }
      if (key.length !== 1 || key < ' ' || key > '~') {
        // Backspace, arrows, function keys, IME input: not part of any scan.
        reset();
        return null;
      }
      if (gap > maxGap || gap < 0) run = '';
      // Cap the buffer (a held key) one past maxLength so the verdict still sees "too long".
      if (run.length <= maxLength) run += key;
      lastT = t;
      return null;
    },
  };
}
