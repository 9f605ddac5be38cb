// The printer test page: Chinese in GB18030 (common and rare characters, the full-width ￥), columns
// laid out by display width, a QR code and a cut, so one page shows that a printer is set up right.
import { DOUBLE, columns, cut, feed, rule, text, type ReceiptDocument } from './receipt/document';
import { formatTime } from './receipt/templates';

// 31 columns: fits one line on 58 mm paper (32 columns).
export const TEST_LINE = '中文测试：欢迎光临 龘𠀀 ￥12.30';
export const TEST_QR = 'https://xiaodian.example/printer-test';

export function testPage(o: { deviceName: string; driver: string; paper: 58 | 80; at: number; shopName: string }): ReceiptDocument {
  return {
    paper: o.paper,
    blocks: [
      text('打印测试', { align: 'center', size: DOUBLE, bold: true }),
      text(o.shopName, { align: 'center' }),
      rule('double'),
      text(TEST_LINE),
      columns([{ text: '设备' }, { text: o.deviceName, width: Math.min(20, o.paper === 58 ? 18 : 30), align: 'right' }]),
      columns([{ text: '连接' }, { text: o.driver, width: o.paper === 58 ? 24 : 36, align: 'right' }]),
      columns([{ text: '纸宽' }, { text: `${o.paper}mm`, width: 8, align: 'right' }]),
      columns([{ text: '时间' }, { text: formatTime(o.at), width: 19, align: 'right' }]),
      rule(),
      columns([{ text: '品名' }, { text: '数量', width: 6, align: 'right' }, { text: '金额', width: 10, align: 'right' }]),
      columns([{ text: '农夫山泉550ml' }, { text: 'x2', width: 6, align: 'right' }, { text: '￥4.00', width: 10, align: 'right' }]),
      columns([{ text: '可口可乐330ml' }, { text: 'x1', width: 6, align: 'right' }, { text: '￥3.50', width: 10, align: 'right' }]),
      rule(),
      feed(1),
      { type: 'qr', data: TEST_QR, align: 'center', ec: 'M' },
      text('扫码测试二维码', { align: 'center' }),
      cut(true),
    ],
  };
}
