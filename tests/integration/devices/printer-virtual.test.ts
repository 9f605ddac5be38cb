import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualPrinter } from '../../../electron/devices/printer/virtual';
import { renderEscpos } from '../../../electron/devices/receipt/escpos';
import { saleReceipt } from '../../../electron/devices/receipt/templates';
import { SAMPLE_SALE, sampleSettings } from '../../fakes/render-samples';

const dir = mkdtempSync(join(tmpdir(), 'virtual-printer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('virtual printer', () => {
  it('saves each job as decoded text and a PNG, always ready, and lists them', async () => {
    const p = new VirtualPrinter({ dir, paper: 58 });
    expect(await p.status()).toMatchObject({ state: 'ok', message: '正常' });
    await p.print(renderEscpos(saleReceipt(SAMPLE_SALE, sampleSettings(58, false))));
    await p.print(renderEscpos(saleReceipt({ ...SAMPLE_SALE, receiptNo: 'T01-20261125-0043' }, sampleSettings(58, false))));
    const jobs = await p.list();
    expect(jobs).toHaveLength(2);
    const txt = readFileSync(jobs[0].txt, 'utf8');
    expect(txt).toContain('龘龘特制麻花');
    expect(txt).toContain('[条码 CODE128 T01-20261125-0042]');
    expect(txt).toContain('[钱箱 pin2 50/500ms]');
    expect(readFileSync(jobs[1].txt, 'utf8')).toContain('T01-20261125-0043');
    const png = readFileSync(jobs[0].png!);
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(png.readUInt32BE(16)).toBe(384); // 58 mm = 384 dots wide
  });
});
