// A sale receipt through the network driver (node-thermal-printer's TCP transport) to the fake
// printer, decoded from the bytes the printer received.
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkPrinter } from '../../../electron/devices/printer/network';
import { PAPER } from '../../../electron/devices/receipt/document';
import { renderEscpos } from '../../../electron/devices/receipt/escpos';
import { saleReceipt } from '../../../electron/devices/receipt/templates';
import { displayWidth } from '../../../electron/devices/receipt/width';
import { FakePrinter } from '../../fakes/fake-printer';
import { SAMPLE_SALE, ensureSampleLogo, sampleSettings } from '../../fakes/render-samples';

let fake: FakePrinter;
let printer: NetworkPrinter;

beforeAll(async () => {
  await ensureSampleLogo();
  fake = await FakePrinter.start();
  printer = new NetworkPrinter({ host: '127.0.0.1', port: fake.port, statusTimeoutMs: 1000 });
});
afterAll(async () => {
  await fake.close();
});

describe.each([58, 80] as const)('sale receipt to a network printer on %i mm', (paper) => {
  it('prints GB18030 Chinese, aligned columns, QR, barcode, one cut and one drawer kick', async () => {
    const before = fake.jobs().length;
    const bytes = renderEscpos(saleReceipt(SAMPLE_SALE, sampleSettings(paper)));
    expect((await printer.status()).state).toBe('ok');
    await printer.print(bytes);
    const jobs = await fake.waitForJobs(before + 1);
    const job = jobs[before];
    expect(job.bytes.equals(bytes)).toBe(true);
    const d = job.decoded;
    expect(d.errors).toEqual([]);
    expect(d.commands.slice(0, 2)).toEqual(['ESC @', 'FS &']);

    // Chinese lines arrive as GB18030, including 龘, 𠀀 and ￥ amounts
    const texts = d.lines.map((l) => l.text);
    for (const l of d.lines) expect(l.encoding).toBe('gb18030');
    expect(job.bytes.includes(iconv.encode('龘龘特制麻花', 'gb18030'))).toBe(true);
    expect(job.bytes.includes(Buffer.from([0x95, 0x32, 0x82, 0x36]))).toBe(true); // 𠀀
    expect(texts.some((t) => t.startsWith('龘龘特制麻花'))).toBe(true);
    expect(texts.some((t) => t.startsWith('𠀀字测试'))).toBe(true);
    expect(texts.some((t) => t.includes('邻里小店'))).toBe(true);
    expect(texts.join('\n')).not.toMatch(/[\u00a5\ufffd]/); // no U+00A5, no replacement chars
    expect(texts.some((t) => t.endsWith('￥17.23'))).toBe(true);

    // Columns: nothing wider than the paper; amounts end at the last column
    const cols = PAPER[paper].columns;
    for (const l of d.lines) expect(displayWidth(l.text) * l.size.w).toBeLessThanOrEqual(cols);
    const amountLines = d.lines.filter((l) => l.align === 'left' && /￥\d+\.\d\d$/.test(l.text));
    expect(amountLines.length).toBeGreaterThan(10);
    for (const l of amountLines) expect(l.columns, l.text).toBe(cols);
    // the header row's 金额 ends where the amounts end
    expect(d.lines.find((l) => l.text.endsWith('金额'))!.columns).toBe(cols);

    expect(d.qrs.map((q) => q.data)).toEqual(['https://xiaodian.example.com/r/T01-20261125-0042']);
    expect(d.barcodes.map((b) => [b.type, b.data])).toEqual([['CODE128', 'T01-20261125-0042']]);
    expect(d.images).toHaveLength(1);
    expect(d.cuts).toHaveLength(1);
    expect(d.drawerKicks).toHaveLength(1);
    expect(d.drawerKicks[0].raw).toEqual([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    // the kick is exactly once in the raw bytes, and the broken node-thermal-printer form never appears
    const kick = Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    expect(job.bytes.indexOf(kick)).toBe(job.bytes.lastIndexOf(kick));
    expect(job.bytes.includes(Buffer.from([0x1b, 0x70, 0x00, 0x1b, 0x70, 0x01]))).toBe(false);
  });
});

describe('network printer status', () => {
  it('reports paper near end, paper out, cover open, drawer and offline', async () => {
    fake.setPaper('near_end');
    expect(await printer.status()).toMatchObject({ state: 'paper_near_end', message: '纸将尽' });
    fake.setPaper('out');
    expect(await printer.status()).toMatchObject({ state: 'paper_out', message: '缺纸' });
    fake.setPaper('ok');
    fake.setCover(true);
    expect(await printer.status()).toMatchObject({ state: 'cover_open', message: '上盖打开' });
    fake.setCover(false);
    fake.setDrawer(true);
    expect(await printer.status()).toMatchObject({ state: 'ok', message: '正常', drawerOpen: true });
    fake.setDrawer(false);
    await fake.setOnline(false);
    expect(await printer.status()).toMatchObject({ state: 'offline', message: '离线' });
    await expect(printer.print(Buffer.from('x\n'))).rejects.toMatchObject({ delivered: 'none' });
    await fake.setOnline(true);
    expect((await printer.status()).state).toBe('ok');
    // status connections are not jobs
    expect(fake.allJobs().every((j) => j.decoded.printsSomething)).toBe(true);
  });

  it('the fake answers status queries in the middle of a job and does not print while out of paper', async () => {
    const { connect } = await import('node:net');
    const before = fake.allJobs().length;
    fake.setPaper('out');
    const answer = await new Promise<number[]>((resolve, reject) => {
      const s = connect(fake.port, '127.0.0.1', () => {
        s.write(Buffer.concat([iconv.encode('半张\n', 'gb18030'), Buffer.from([0x10, 0x04, 0x04, 0x1d, 0x72, 0x01])]));
      });
      const got: number[] = [];
      s.on('data', (d) => {
        got.push(...d);
        if (got.length >= 2) {
          s.end();
          resolve(got);
        }
      });
      s.on('error', reject);
    });
    expect(answer).toEqual([0x12 | 0x6c, 0x0c]); // DLE EOT 4: near end + paper end; GS r 1: out
    if (fake.allJobs().length === before) await new Promise((r) => fake.once('job', r));
    fake.setPaper('ok');
    const job = fake.allJobs()[before];
    expect(job.printed).toBe(false);
    expect(job.lostReason).toBe('缺纸');
    expect(fake.jobs().includes(job)).toBe(false);
  });
});
