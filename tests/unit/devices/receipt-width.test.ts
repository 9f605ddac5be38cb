import { describe, expect, it } from 'vitest';
import { displayWidth, fit, sanitize, truncate, wrap } from '../../../electron/devices/receipt/width';

describe('display width', () => {
  it('counts ASCII as 1 and CJK as 2', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('可口可乐 500ml')).toBe(14);
    expect(displayWidth('龘')).toBe(2);
  });
  it('counts an astral CJK character (𠀀, two UTF-16 units) once, as 2 columns', () => {
    expect('𠀀'.length).toBe(2);
    expect(displayWidth('𠀀')).toBe(2);
    expect(displayWidth('𠀀字测试')).toBe(8);
  });
  it('treats ￥ (U+FFE5) as fullwidth', () => {
    expect(displayWidth('￥')).toBe(2);
    expect(displayWidth('￥12.30')).toBe(7);
    expect(displayWidth('-￥0.03')).toBe(7);
  });
  it('sanitizes control characters that would be printer commands', () => {
    expect(sanitize('a\x1b@b\x10\x04\x01c\td')).toBe('a@bc d');
    expect(displayWidth(sanitize('\u200b可\ufe0f'))).toBe(2);
  });
});

describe('pad, truncate, wrap by display width', () => {
  it('pads right-aligned text to end at the last column', () => {
    const s = fit('￥6.98', 10, 'right');
    expect(displayWidth(s)).toBe(10);
    expect(s.endsWith('￥6.98')).toBe(true);
  });
  it('never splits a wide character when truncating', () => {
    expect(truncate('龘龘特制', 5)).toBe('龘龘');
    expect(displayWidth(fit('龘龘特制', 5))).toBe(5);
    expect(truncate('𠀀字', 3)).toBe('𠀀');
  });
  it('wraps Chinese anywhere and keeps ASCII words whole', () => {
    const lines = wrap('农夫山泉 550ml 天然饮用水', 10);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(10);
    expect(lines.join('')).toContain('550ml');
    expect(lines.some((l) => l.includes('550ml'))).toBe(true);
  });
  it('hard-splits a word longer than the line', () => {
    const lines = wrap('ABCDEFGHIJKLMNOP', 6);
    expect(lines).toEqual(['ABCDEF', 'GHIJKL', 'MNOP']);
  });
  it('wraps astral characters without breaking surrogate pairs', () => {
    const lines = wrap('𠀀𠀀𠀀𠀀𠀀', 4);
    expect(lines).toEqual(['𠀀𠀀', '𠀀𠀀', '𠀀']);
  });
});
