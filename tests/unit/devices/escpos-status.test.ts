import { describe, expect, it } from 'vitest';
import { parseStatusBytes } from '../../../electron/devices/printer/types';

describe('DLE EOT status bytes', () => {
  it('all clear is ok', () => expect(parseStatusBytes([0x12, 0x12, 0x12]).state).toBe('ok'));
  it('paper end (n=4 0x60) is paper_out 缺纸', () => {
    const s = parseStatusBytes([0x1a, 0x32, 0x72]);
    expect(s.state).toBe('paper_out');
    expect(s.message).toBe('缺纸');
  });
  it('near end still prints', () => expect(parseStatusBytes([0x12, 0x12, 0x1e]).state).toBe('paper_near_end'));
  it('cover open wins over offline', () => expect(parseStatusBytes([0x1a, 0x16, 0x12]).message).toBe('上盖打开'));
  it('offline bit alone is offline', () => expect(parseStatusBytes([0x1a, 0x12, 0x12]).state).toBe('offline'));
  it('error bit', () => expect(parseStatusBytes([0x12, 0x52, 0x12]).state).toBe('error'));
  it('rejects bytes that are not status bytes', () => expect(parseStatusBytes([0x00, 0x12, 0x12]).state).toBe('error'));
  it('reads the drawer sensor', () => expect(parseStatusBytes([0x16, 0x12, 0x12]).drawerOpen).toBe(true));
});
