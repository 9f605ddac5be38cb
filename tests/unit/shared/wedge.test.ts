import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWedgeDetector, type WedgeDetector, type WedgeVerdict } from '../../../shared/wedge';

/** Feeds `keys` starting at `t0`, `gapMs` apart; returns every non-null verdict and the end time. */
function type(d: WedgeDetector, keys: string[], gapMs: number, t0 = 1000): { verdicts: WedgeVerdict[]; t: number } {
  const verdicts: WedgeVerdict[] = [];
  let t = t0;
  for (const k of keys) {
    const v = d.feed(k, t);
    if (v) verdicts.push(v);
    t += gapMs;
  }
  return { verdicts, t };
}

const chars = (s: string) => [...s];

describe('wedge scanner detection', () => {
  it('a scan (keys 10 ms apart, then Enter) is a scan', () => {
    const d = createWedgeDetector();
    expect(type(d, [...chars('6901234567892'), 'Enter'], 10).verdicts).toEqual([{ type: 'scan', code: '6901234567892' }]);
  });

  it('typing (keys 120 ms apart) is typing', () => {
    const d = createWedgeDetector();
    expect(type(d, [...chars('6901234567892'), 'Enter'], 120).verdicts).toEqual([{ type: 'typing' }]);
  });

  it('only decides on the suffix key', () => {
    const d = createWedgeDetector();
    const { verdicts } = type(d, chars('6901234567892'), 10);
    expect(verdicts).toEqual([]);
  });

  it('too short a fast run is not a scan', () => {
    const d = createWedgeDetector();
    expect(type(d, ['1', '2', '3', 'Enter'], 10).verdicts).toEqual([{ type: 'typing' }]);
    expect(type(d, ['1', '2', '3', '4', 'Enter'], 10, 5000).verdicts).toEqual([{ type: 'scan', code: '1234' }]);
  });

  it('Enter long after a fast run is typing (someone held a key, then pressed Enter)', () => {
    const d = createWedgeDetector();
    const { t } = type(d, chars('11111111'), 30);
    expect(d.feed('Enter', t + 200)).toEqual({ type: 'typing' });
  });

  it('a scan that follows hand-typed keys is still recognised, without them', () => {
    const d = createWedgeDetector();
    const { t } = type(d, chars('12'), 150);
    expect(type(d, [...chars('ABC-123'), 'Enter'], 8, t + 500).verdicts).toEqual([{ type: 'scan', code: 'ABC-123' }]);
  });

  it('one slow gap inside a run splits it', () => {
    const d = createWedgeDetector();
    let { t } = type(d, chars('6901'), 10);
    t += 200; // pause
    ({ t } = type(d, chars('23'), 10, t));
    expect(d.feed('Enter', t)).toEqual({ type: 'typing' }); // only "23" was fast
  });

  it('ignores Shift between characters (scanners send it for capitals)', () => {
    const d = createWedgeDetector();
    const keys = ['Shift', 'A', 'Shift', 'B', '1', '2', 'Enter'];
    expect(type(d, keys, 5).verdicts).toEqual([{ type: 'scan', code: 'AB12' }]);
  });

  it('Backspace or arrows break the run', () => {
    const d = createWedgeDetector();
    expect(type(d, ['1', '2', '3', 'Backspace', '4', 'Enter'], 5).verdicts).toEqual([{ type: 'typing' }]);
  });

  it('honours a Tab suffix and ignores Enter then', () => {
    const d = createWedgeDetector({ suffix: 'Tab' });
    expect(type(d, [...chars('12345'), 'Tab'], 10).verdicts).toEqual([{ type: 'scan', code: '12345' }]);
    expect(type(d, [...chars('12345'), 'Enter'], 10, 9000).verdicts).toEqual([]);
  });

  it('honours a custom gap and minimum length', () => {
    const d = createWedgeDetector({ maxGapMs: 60, minLength: 8 });
    expect(type(d, [...chars('12345678'), 'Enter'], 50).verdicts).toEqual([{ type: 'scan', code: '12345678' }]);
    expect(type(d, [...chars('1234567'), 'Enter'], 50, 9000).verdicts).toEqual([{ type: 'typing' }]);
  });

  it('a run longer than maxLength is not a scan', () => {
    const d = createWedgeDetector({ maxLength: 10 });
    expect(type(d, [...chars('12345678901'), 'Enter'], 5).verdicts).toEqual([{ type: 'typing' }]);
    expect(type(d, [...chars('1234567890'), 'Enter'], 5, 9000).verdicts).toEqual([{ type: 'scan', code: '1234567890' }]);
  });

  it('reset forgets the current run', () => {
    const d = createWedgeDetector();
    const { t } = type(d, chars('123456'), 10);
    d.reset();
    expect(d.feed('Enter', t)).toEqual({ type: 'typing' });
  });

  it('Enter alone is typing, and the detector is ready for the next scan after a verdict', () => {
    const d = createWedgeDetector();
    expect(d.feed('Enter', 0)).toEqual({ type: 'typing' });
    const first = type(d, [...chars('11112222'), 'Enter'], 10, 100);
    const second = type(d, [...chars('33334444'), 'Enter'], 10, first.t + 10);
    expect([...first.verdicts, ...second.verdicts]).toEqual([
      { type: 'scan', code: '11112222' },
      { type: 'scan', code: '33334444' },
    ]);
  });

  const code = fc.stringMatching(/^[\x21-\x7e]{4,32}$/);

  it('any printable code sent at scanner speed is a scan of exactly that code', () => {
    fc.assert(
      fc.property(code, fc.integer({ min: 1, max: 35 }), (c, gap) => {
        const d = createWedgeDetector();
        expect(type(d, [...chars(c), 'Enter'], gap).verdicts).toEqual([{ type: 'scan', code: c }]);
      }),
    );
  });

  it('any code typed at human speed is typing', () => {
    fc.assert(
      fc.property(code, fc.array(fc.integer({ min: 36, max: 400 }), { minLength: 40, maxLength: 40 }), (c, gaps) => {
        const d = createWedgeDetector();
        const keys = [...chars(c), 'Enter'];
        let t = 0;
        const verdicts = keys.map((k, i) => d.feed(k, (t += gaps[i]))).filter(Boolean);
        expect(verdicts).toEqual([{ type: 'typing' }]);
      }),
    );
  });
});

describe('wedge run length', () => {
  it('starts at 1 on the key that begins a fast run, so a field can be noted before a scan types into it', () => {
    const d = createWedgeDetector();
    const lengths: number[] = [];
    for (const [i, k] of [...'12', ...'6901'].entries()) {
      d.feed(k, i < 2 ? 1000 + i * 150 : 2000 + i * 10); // two typed keys, then a fast run
      lengths.push(d.runLength());
    }
    expect(lengths).toEqual([1, 1, 1, 2, 3, 4]);
    d.feed('Enter', 2100);
    expect(d.runLength()).toBe(0);
  });
});
