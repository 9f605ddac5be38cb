// Where the cash drawer is and how it opens: through a printer's RJ11 port (ESC p on the configured
// pin 2 or 5) or through a serial trigger box. A cash sale's kick travels inside its receipt job and
// goes where the drawer is as the job goes out (routeKick); a job that has to wait opens the drawer
// ahead through the print queue's earlyDrawer rule; a no-sale open goes through open(). The trigger
// box fires once per job, whichever of those paths reaches it first.
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import type { Fleet, RunningPrinter } from './fleet';
import { earlyDrawer, type EarlyDrawer, type PrintJobRow } from './print-queue';
import type { PrinterStatus } from './printer/types';
import type { Block, ReceiptDocument } from './receipt/document';
import { DRAWER_KICK } from './receipt/escpos';
import type { SerialDrawerBox } from './serial/drawer-box';

export type DrawerRoute = { via: 'printer'; printer: RunningPrinter; pin: 2 | 5 } | { via: 'box'; box: SerialDrawerBox } | null;

export class DrawerRouting {
  /** Jobs whose kick already went to the trigger box. */
  private kickedJobs = new Set<string>();

  constructor(
    private readonly fleet: Fleet,
    /** A printer did not take a kick: ask its status now. */
    private readonly pollPrinter: (r: RunningPrinter) => void,
  ) {}

  /** A no-sale open: the receipt printer's pin, else any printer with a pin, else a drawer box. */
  route(): DrawerRoute {
    const receipt = this.fleet.printerFor('receipt');
    if (receipt?.config.drawerPin) return { via: 'printer', printer: receipt, pin: receipt.config.drawerPin };
    for (const r of this.fleet.printers()) {
      if (r.config.drawerPin) return { via: 'printer', printer: r, pin: r.config.drawerPin };
    }
    const box = this.fleet.drawerBox();
    return box ? { via: 'box', box } : null;
  }

  /** Opens the drawer now. Throws a Chinese TillError when it cannot. */
  async open(): Promise<{ via: string }> {
    const route = this.route();
    if (!route) throw new TillError('NO_DRAWER', '没有设置钱箱（在设置 → 设备中为打印机选择钱箱接口，或添加钱箱触发盒）');
    if (route.via === 'box') {
      try {
        await route.box.openDrawer();
      } catch (e) {
        throw new TillError('DRAWER_FAILED', `钱箱打不开：${(e as Error).message}`);
      }
      return { via: 'drawer_box' };
    }
    return this.kickThrough(route.printer, route.pin);
  }

  /** ESC p through a printer (a virtual printer has no drawer: nothing is sent). */
  async kickThrough(r: RunningPrinter, pin: 2 | 5): Promise<{ via: string }> {
    if (r.virtual) return { via: `virtual:${r.config.id}` };
    try {
      await r.printer.print(DRAWER_KICK[pin]);
    } catch (e) {
      this.pollPrinter(r);
      throw new TillError('DRAWER_FAILED', `钱箱打不开：打印机${r.config.name}连接失败（${(e as Error).message}）`);
    }
    return { via: `printer:${r.config.id}` };
  }

  /**
   * The kick a job's document carries goes where the drawer is: the job's printer's pin, or a
   * serial trigger box (fired here, once per job, as the job goes out), or nowhere.
   */
  routeKick(doc: ReceiptDocument, row: PrintJobRow): ReceiptDocument {
    if (!doc.blocks.some((b) => b.type === 'drawer')) return doc;
    const pin = this.fleet.printerFor(row.printerRole)?.config.drawerPin ?? null;
    if (pin) return { ...doc, blocks: doc.blocks.map((b): Block => (b.type === 'drawer' ? { type: 'drawer', pin } : b)) };
    const box = this.fleet.drawerBox();
    if (box && !this.kickedJobs.has(row.id)) {
      this.kickedJobs.add(row.id);
      box.openDrawer().catch((e) => log.warn('drawer box did not open', { error: String(e) }));
    }
    return { ...doc, blocks: doc.blocks.filter((b) => b.type !== 'drawer') };
  }

  /**
   * The queue's earlyDrawer for a waiting job whose document carries a kick: through its printer's
   * configured pin (not a virtual printer's), or through the trigger box when the printer has no pin.
   */
  early(row: PrintJobRow, st: PrinterStatus, doc: ReceiptDocument): EarlyDrawer | null {
    const r = this.fleet.printerFor(row.printerRole);
    if (!r || !doc.blocks.some((b) => b.type === 'drawer')) return null;
    const pin = r.config.drawerPin ?? null;
    if (pin) return r.virtual ? null : earlyDrawer(st, { via: `printer:${r.config.id}:pin${pin}`, printer: r.printer, pin });
    const box = this.fleet.drawerBox();
    if (!box || this.kickedJobs.has(row.id)) return null;
    return earlyDrawer(st, { via: 'drawer_box', box, opened: () => this.kickedJobs.add(row.id) });
  }
}
