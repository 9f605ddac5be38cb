import iconv from 'iconv-lite';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { code128FromEscpos, code128Modules, code128Scan, escposCode128Data } from '../../../electron/devices/receipt/code128';
import { columns, cut, DOUBLE, rule, text, type ReceiptDocument } from '../../../electron/devices/receipt/document';
import { DRAWER_KICK, qrCommands, renderEscpos } from '../../../electron/devices/receipt/escpos';
import { decodeEscpos } from '../../fakes/escpos-decoder';

const doc = (blocks: ReceiptDocument['blocks'], paper: 58 | 80 = 80): ReceiptDocument => ({ paper, blocks });

describe('ESC/POS rendering round-trips through the decoder', () => {
  it('starts with ESC @ and FS &, and sends Chinese as GB18030', () => {
    const bytes = renderEscpos(doc([text('龘龘特制麻花 ￥12.80')]));
    expect([...bytes.subarray(0, 4)]).toEqual([0x1b, 0x40, 0x1c, 0x26]);
    expect(bytes.includes(iconv.encode('龘', 'gb18030'))).toBe(true);
    expect(bytes.includes(Buffer.from([0xa3, 0xa4]))).toBe(true); // ￥ in GB18030
    expect(bytes.includes(Buffer.from('¥', 'latin1'))).toBe(false); // never U+00A5
    const job = decodeEscpos(bytes);
    expect(job.errors).toEqual([]);
    expect(job.lines[0].text).toBe('龘龘特制麻花 ￥12.80');
    expect(job.lines[0].encoding).toBe('gb18030');
  });
  it('sends 𠀀 as its 4-byte GB18030 sequence', () => {
    const bytes = renderEscpos(doc([text('𠀀字测试')]));
    expect(bytes.includes(Buffer.from([0x95, 0x32, 0x82, 0x36]))).toBe(true);
    expect(decodeEscpos(bytes).lines[0].text).toBe('𠀀字测试');
  });
  it('keeps alignment, size and bold per line', () => {
    const job = decodeEscpos(
      renderEscpos(doc([text('店名', { align: 'center', size: DOUBLE, bold: true }), text('右', { align: 'right' }), text('左')])),
    );
    expect(job.lines.map((l) => [l.text, l.align, l.size.w, l.size.h, l.bold])).toEqual([
      ['店名', 'center', 2, 2, true],
      ['右', 'right', 1, 1, false],
      ['左', 'left', 1, 1, false],
    ]);
  });
  it('lays out columns by display width so right-aligned amounts end at the last column', () => {
    const job = decodeEscpos(
      renderEscpos(doc([columns([{ text: '龘龘特制麻花' }, { text: '￥12.80', width: 10, align: 'right' }])], 58)),
    );
    expect(job.lines[0].columns).toBe(32);
    expect(job.lines[0].text.endsWith('￥12.80')).toBe(true);
  });
  it('wraps long names within the paper', () => {
    const job = decodeEscpos(renderEscpos(doc([text('超长的商品名称'.repeat(6))], 58)));
    expect(job.lines.length).toBeGreaterThan(1);
    for (const l of job.lines) expect(l.columns).toBeLessThanOrEqual(32);
  });
  it('draws rules across the whole paper', () => {
    const job = decodeEscpos(renderEscpos(doc([rule(), rule('double')], 58)));
    expect(job.lines.map((l) => l.text)).toEqual(['-'.repeat(32), '='.repeat(32)]);
  });
  it('strips control characters from text so a product name cannot send commands', () => {
    const job = decodeEscpos(renderEscpos(doc([text('坏\x1bp\x00\x19\xfa名字')])));
    expect(job.drawerKicks).toEqual([]);
    expect(job.lines[0].text).toBe('坏p\xfa名字'.replace('\xfa', 'ú'));
  });
});

describe('QR, barcode, cut, drawer', () => {
  it('builds GS ( k with the right store length, model 2, size and EC', () => {
    const url = 'https://xiaodian.example.com/r/T01-20261125-0042';
    const cmds = qrCommands(url, 6, 'M');
    const store = cmds.indexOf(Buffer.from([0x1d, 0x28, 0x6b]), 24);
    expect(cmds.readUInt16LE(store + 3)).toBe(url.length + 3);
    const job = decodeEscpos(renderEscpos(doc([{ type: 'qr', data: url, moduleSize: 6, ec: 'M' }])));
    expect(job.qrs).toEqual([{ data: url, model: 2, moduleSize: 6, ec: 'M', align: 'center' }]);
    expect(job.errors).toEqual([]);
    expect(QRCode.create(job.qrs[0].data, { errorCorrectionLevel: 'M' }).modules.size).toBeGreaterThan(20);
  });
  it('refuses a non-ASCII QR payload', () => {
    expect(() => renderEscpos(doc([{ type: 'qr', data: 'https://例子.com' }]))).toThrow();
  });
  it('encodes CODE128 with {B and {C so the receipt number scans back', () => {
    const data = escposCode128Data('T01-20261125-0042');
    expect([...data.subarray(0, 2)]).toEqual([0x7b, 0x42]);
    const sym = code128FromEscpos(data);
    expect(sym.text).toBe('T01-20261125-0042');
    expect(code128Scan(code128Modules(sym.values))).toBe('T01-20261125-0042');
    // fits 58 mm (384 printable dots) at 2 dots per module; quiet zones are in the paper margins
    expect(code128Modules(sym.values).reduce((a, b) => a + b, 0) * 2).toBeLessThanOrEqual(384);
    const job = decodeEscpos(renderEscpos(doc([{ type: 'barcode', data: 'T01-20261125-0042' }], 58)));
    expect(job.barcodes[0].data).toBe('T01-20261125-0042');
    expect(job.barcodes[0].type).toBe('CODE128');
    expect(job.barcodes[0].moduleWidth).toBe(2);
  });
  it('escapes { in code set B', () => {
    expect(code128FromEscpos(escposCode128Data('A{1')).text).toBe('A{1');
  });
  it('every CODE128 pattern is 11 modules (stop 13)', () => {
    for (let v = 0; v <= 105; v++) expect(code128Modules([v]).reduce((a, b) => a + b, 0)).toBe(11);
    expect(code128Modules([106]).reduce((a, b) => a + b, 0)).toBe(13);
  });
  it('emits the exact drawer kicks and cuts', () => {
    expect([...DRAWER_KICK[2]]).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect([...DRAWER_KICK[5]]).toEqual([0x1b, 0x70, 0x01, 0x19, 0xfa]);
    const job = decodeEscpos(renderEscpos(doc([{ type: 'drawer', pin: 5 }, text('x'), cut(true)])));
    expect(job.drawerKicks).toEqual([{ pin: 5, onMs: 50, offMs: 500, raw: [0x1b, 0x70, 0x01, 0x19, 0xfa] }]);
    expect(job.cuts).toEqual([{ partial: true }]);
  });
  it('sends a raster image with GS v 0 and its exact size', () => {
    const bm = { width: 16, height: 2, data: new Uint8Array([0xff, 0x00, 0x0f, 0xf0]) };
    const job = decodeEscpos(renderEscpos(doc([{ type: 'image', bitmap: bm }])));
    expect(job.images).toHaveLength(1);
    expect(job.images[0].height).toBe(2);
    expect([...job.images[0].data]).toEqual([0xff, 0x00, 0x0f, 0xf0]);
  });
  it('decodes text after an image correctly (length is right)', () => {
    const bm = { width: 8, height: 3, data: new Uint8Array([0x0a, 0x1b, 0x10]) };
    const job = decodeEscpos(renderEscpos(doc([{ type: 'image', bitmap: bm }, text('之后')])));
    expect(job.lines.map((l) => l.text)).toEqual(['之后']);
  });
});
