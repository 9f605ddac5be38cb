// The answer of devices.test in English. The main side answers a passed test with Chinese words only
// ({ ok, message }: 测试页已发送到打印机, 当前重量 0.500 kg（稳定）…), kept as they are in Chinese mode; in
// English the sentence is chosen by the device kind and the test run, and the figures (weight, tare,
// the last code scanned) are taken from the message, which are the same in both languages.
import type { DeviceConfig } from '../../../shared/api';

export type DeviceTestAction = 'print' | 'drawer' | 'display' | 'scale' | undefined;

export function deviceTestEn(c: Pick<DeviceConfig, 'kind' | 'driver'>, action: DeviceTestAction, message: string, statusWord: string): string {
  if (action === 'drawer') return 'The drawer was told to open.';
  if (c.kind === 'printer') {
    return c.driver.type === 'virtual' ? 'The test page was saved to the virtual printer (Settings → Virtual printer).' : 'The test page was sent to the printer.';
  }
  switch (c.kind) {
    case 'customer_display':
      return 'The display should now show TEST 123 ABC and 12.30.';
    case 'scale': {
      if (message.includes('超载')) return 'The scale is overloaded or not zeroed.';
      const [kg, tare] = [...message.matchAll(/(\d+\.\d+)\s*kg/g)].map((m) => m[1]);
      if (!kg) return statusWord;
      const stable = !message.includes('不稳定');
      return `Weight now ${kg} kg (${stable ? 'stable' : 'not stable'}${tare ? `, tare ${tare} kg` : ''}).`;
    }
    case 'scanner': {
      const last = /最近扫码：(\S+)/.exec(message)?.[1];
      return `${statusWord}; ${last ? `last scan: ${last}` : 'scan a barcode to try it'}.`;
    }
    case 'card_reader': {
      const readers = /读卡器：([^；]+)/.exec(message)?.[1];
      const card = /最近卡号：(\S+)/.exec(message)?.[1];
      return `${statusWord}${readers ? `; readers: ${readers.split('、').join(', ')}` : ''}${card ? `; last card: ${card}` : ''}.`;
    }
    default:
      return statusWord;
  }
}
