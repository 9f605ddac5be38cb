// The X (交班) and Z (日结) reports on 58 and 80 mm: decoded from the ESC/POS bytes the printer gets,
// nothing overflows the paper, every amount ends at the right edge, and the figures a manager checks
// (the difference with its word, the net, per tender) are printed as the report says.
import { describe, expect, it } from 'vitest';
import { PAPER } from '../../../electron/devices/receipt/document';
import { renderEscpos } from '../../../electron/devices/receipt/escpos';
import { dayReportDoc, denomination, differenceWord, shiftReportDoc } from '../../../electron/devices/receipt/report-templates';
import { buildDocument, yuan } from '../../../electron/devices/receipt/templates';
import { displayWidth } from '../../../electron/devices/receipt/width';
import { decodeEscpos } from '../../fakes/escpos-decoder';
import { SAMPLE_DAY, SAMPLE_SHIFT } from '../../fakes/report-samples';
import { SAMPLE_AT, sampleSettings } from '../../fakes/render-samples';

const decode = (d: ReturnType<typeof shiftReportDoc>) => decodeEscpos(renderEscpos(d));
const texts = (job: ReturnType<typeof decode>) => job.lines.map((l) => l.text);

describe.each([58, 80] as const)('X and Z reports on %i mm', (paper) => {
  const s = sampleSettings(paper, false);
  const cols = PAPER[paper].columns;

  for (const [name, doc] of [
    ['X', () => shiftReportDoc(SAMPLE_SHIFT, s)],
    ['Z', () => dayReportDoc(SAMPLE_DAY, s)],
  ] as const) {
    it(`${name}: every line fits, amounts end at the right edge, one cut, no drawer kick`, () => {
      const job = decode(doc());
      expect(job.errors).toEqual([]);
      for (const l of job.lines) expect(displayWidth(l.text) * l.size.w, l.text).toBeLessThanOrEqual(cols);
      const withAmount = job.lines.filter((l) => /-?￥\d+\.\d\d$/.test(l.text));
      expect(withAmount.length).toBeGreaterThan(10);
      for (const l of withAmount) {
        // the amount's last column is the paper's last (leading spaces pad it there)
        expect(displayWidth(l.text) * l.size.w, l.text).toBe(cols);
      }
      expect(job.cuts).toHaveLength(1);
      expect(job.drawerKicks).toEqual([]);
    });
  }

  it('X: the difference in big type with 短款, the count by denomination, the cash in/out with reasons', () => {
    const job = decode(shiftReportDoc(SAMPLE_SHIFT, s));
    const diff = job.lines.find((l) => l.text.endsWith('-￥0.70') && l.size.w === 2)!;
    expect(diff.text.startsWith(paper === 58 ? '短款' : '差额(短款)')).toBe(true);
    const t = texts(job);
    expect(t.some((x) => x.startsWith('  应有现金') && x.endsWith(yuan(148_570)))).toBe(true);
    expect(t.some((x) => x.startsWith('  实点现金') && x.endsWith(yuan(148_500)))).toBe(true);
    expect(t.some((x) => x.startsWith('  5角') && x.includes('×6') && x.endsWith('￥3.00'))).toBe(true);
    expect(t).toContain('    付供货商货款，李店长批准');
    expect(t.some((x) => x.startsWith('现金') && x.endsWith(yuan(118_570)))).toBe(true);
    expect(t).toContain('交班人签字：');
  });

  it('X while the shift is open: says 未交班, has no count, prints the time it was printed', () => {
    const open = { ...SAMPLE_SHIFT, closedAt: null, closedBy: null, count: null, cash: { ...SAMPLE_SHIFT.cash, countedFen: null, differenceFen: null, floatLeftFen: null, handoverFen: null } };
    const t = texts(decode(shiftReportDoc({ ...open, printedAt: SAMPLE_AT }, s)));
    expect(t.some((x) => x.includes('未交班'))).toBe(true);
    expect(t.some((x) => x.includes('实点现金') || x.includes('点钞明细'))).toBe(false);
    expect(t.some((x) => x.startsWith('打印时间') && x.endsWith('2026-11-25 14:32:05'))).toBe(true);
  });

  it('Z: net in big type, discounts by kind, per tender, category and cashier; a reprint says so', () => {
    const job = decode(buildDocument({ v: 1, template: 'day_report', data: { ...SAMPLE_DAY, reprint: { at: SAMPLE_AT + 86_400_000, by: '张老板' } } }, s));
    const t = texts(job);
    expect(job.lines.find((l) => l.text.includes('重印'))!.size.w).toBe(2);
    expect(t.some((x) => x.startsWith('重印人') && x.endsWith('张老板'))).toBe(true);
    const net = job.lines.find((l) => l.text.startsWith('净收入'))!;
    expect(net.size.w).toBe(2);
    expect(net.text.endsWith(yuan(SAMPLE_DAY.netFen))).toBe(true);
    for (const [label, fen] of [['改价让利', 1_500], ['单品折扣', 8_800], ['促销', 6_000], ['整单折扣', 6_500]] as const) {
      expect(t.some((x) => x.trim().startsWith(label) && x.endsWith(yuan(-fen))), label).toBe(true);
    }
    expect(t.some((x) => x.includes('其他优惠'))).toBe(false); // zero kinds are left out
    expect(t.some((x) => x.startsWith('  原价合计') && x.endsWith(yuan(SAMPLE_DAY.sales.grossFen + 1_500)))).toBe(true);
    expect(t.some((x) => x.startsWith('饮料酒水') && x.endsWith(yuan(350_100)))).toBe(true);
    expect(t.some((x) => x.startsWith('小王'))).toBe(true);
    expect(t.some((x) => x.startsWith('支付宝') && x.endsWith(yuan(120_200)))).toBe(true);
  });
});

describe('words', () => {
  it('长款 / 短款 / 无差额 and the denominations as a cashier names them', () => {
    expect([differenceWord(10), differenceWord(-1), differenceWord(0)]).toEqual(['长款', '短款', '无差额']);
    expect([10_000, 500, 100, 50, 10].map(denomination)).toEqual(['￥100', '￥5', '￥1', '5角', '1角']);
  });
});
