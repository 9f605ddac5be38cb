// The 测试 button of the device settings screen: a test page, a drawer kick, a line on the
// customer display, the scale's reading, the scanner's or card reader's last read. Each answer or
// refusal is a Chinese sentence for the person at the counter.
import { TillError } from '../../shared/errors';
import type { Till } from '../till/till';
import { readDevices } from './config';
import type { CustomerDisplayFeed } from './customer-display-feed';
import type { DrawerRouting } from './drawer-route';
import { isPrinter, type Fleet } from './fleet';
import type { StatusBoard } from './printer-status';
import { canPrint } from './printer/types';
import { renderEscpos } from './receipt/escpos';
import { testPage } from './test-page';

export type TestAction = 'print' | 'drawer' | 'display' | 'scale';

export interface TestContext {
  till: Till;
  fleet: Fleet;
  statuses: StatusBoard;
  drawers: DrawerRouting;
  feed: CustomerDisplayFeed;
}

export async function testDevice(x: TestContext, id: string, action?: TestAction): Promise<string> {
  const r = x.fleet.get(id);
  const config = readDevices(x.till.db).find((d) => d.id === id);
  if (!config) throw new TillError('NOT_FOUND', '没有这个设备');
  if (!r) throw new TillError('DEVICE_OFF', `${config.name}已停用或未启动`);
  if (isPrinter(r)) {
    if (action === 'drawer') {
      if (!r.config.drawerPin) throw new TillError('NO_DRAWER', '这台打印机没有设置钱箱接口');
      await x.drawers.kickThrough(r, r.config.drawerPin);
      return '已发送开钱箱指令';
    }
    const st = await r.printer.status();
    x.statuses.setPrinter(r, st);
    if (!canPrint(st)) throw new TillError('PRINTER_NOT_READY', `打印机${st.message}，请处理后再试`);
    const d = r.config.driver;
    const driver =
      d.type === 'network' ? `网络 ${d.host}:${d.port}` : d.type === 'usb' ? `USB ${d.path}` : d.type === 'serial' ? `串口 ${d.path}` : '虚拟打印机';
    const doc = testPage({ deviceName: r.config.name, driver, paper: r.config.paper, at: x.till.now(), shopName: x.till.settings.get('shop.name') });
    try {
      await r.printer.print(renderEscpos(doc));
    } catch (e) {
      void x.statuses.poll(r);
      throw new TillError('PRINT_FAILED', `测试页没有打出：${(e as Error).message}`);
    }
    return r.virtual ? '测试页已保存到虚拟打印机' : '测试页已发送到打印机';
  }
  switch (r.kind) {
    case 'drawer_box':
      try {
        await r.dev.openDrawer();
      } catch (e) {
        throw new TillError('DRAWER_FAILED', `钱箱打不开：${(e as Error).message}`);
      }
      return '已发送开钱箱指令';
    case 'customer_display': {
      const ok = await r.dev.showItem('TEST 123 ABC', 1230);
      if (!ok) throw new TillError('DISPLAY_FAILED', `客显没有连接：${r.dev.status().message}`);
      setTimeout(() => x.feed.resendSerial(), 5000).unref();
      return '客显应显示 TEST 123 ABC 和 12.30';
    }
    case 'scale': {
      const w = r.dev.current();
      if (!w) throw new TillError('NO_WEIGHT', `没有收到电子秤数据：${r.dev.status().message}`);
      if (w.overload) return '电子秤超载或未归零';
      return `当前重量 ${(w.grams / 1000).toFixed(3)} kg（${w.stable ? '稳定' : '不稳定'}${w.tareGrams ? `，皮重 ${(w.tareGrams / 1000).toFixed(3)} kg` : ''}）`;
    }
    case 'scanner':
      return `${r.dev.status().message}${r.lastCode ? `；最近扫码：${r.lastCode}` : '；请扫一个条码试试'}`;
    case 'card_reader': {
      const names = r.dev.readers();
      return `${r.dev.status().message}${names.length ? `；读卡器：${names.join('、')}` : ''}${r.lastUid ? `；最近卡号：${r.lastUid}` : ''}`;
    }
  }
}
