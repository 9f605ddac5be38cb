// Feeds the customer displays from the till's events: the 'cart' and 'sale' events (emitted by the
// checkout handlers) become (1) the state of the second-screen customer display page, pushed as a
// 'customerDisplay' event, and (2) bytes for a serial VFD/LED display (CD5220 2×20 or the 8-digit
// price display). The display is a courtesy to the customer: nothing here can fail a sale.
import { pinyin } from 'pinyin-pro';
import type { CartView } from '../../shared/api/cart';
import type { CustomerDisplayLine, CustomerDisplayQr, CustomerDisplayState } from '../../shared/api/devices';
import type { TillEvents } from '../../shared/api/events';
import type { Till } from '../till/till';
import type { CustomerDisplay } from './serial/customer-display';

export interface FeedOptions {
  /** The serial display, when one is configured and running. */
  serialDisplay: () => CustomerDisplay | null;
  /** How long the thank-you screen stays after a sale when no new item comes (ms). */
  doneMs?: number;
}

/** Chinese item names are not shown by ASCII displays: use their pinyin (可乐 → KE LE). */
export function displayAscii(name: string): string {
  const p = pinyin(name.normalize('NFKC'), { toneType: 'none', nonZh: 'consecutive', v: true });
  return p.toUpperCase().replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
}

function qtyText(qty: number, weighed: boolean | undefined, unit: string): string {
  if (weighed) return `${(qty / 1000).toFixed(3)}${unit || 'kg'}`;
  const n = qty / 1000;
  return `×${Number.isInteger(n) ? n : n.toFixed(3)}`;
}

export function linesOf(cart: CartView): CustomerDisplayLine[] {
  return cart.priced.lines.map((l, i) => {
    const view = cart.lines[i];
    return {
      id: l.id,
      name: view?.name ?? l.name,
      qtyText: qtyText(l.qty, l.weighed, view?.unit ?? ''),
      unitPriceFen: l.unitPriceFen,
      amountFen: l.netFen,
      discountFen: l.lineDiscountFen + l.promoDiscountFen,
    };
  });
}

export class CustomerDisplayFeed {
  private state: CustomerDisplayState;
  private off: (() => void) | null = null;
  private doneTimer: NodeJS.Timeout | null = null;
  private lastSerial = '';

  constructor(
    private readonly till: Till,
    private readonly opts: FeedOptions,
  ) {
    this.state = this.idle();
  }

  start(): void {
    if (this.off) return;
    this.off = this.till.events.onAny((name, payload) => {
      if (name === 'cart') this.onCart(payload as TillEvents['cart']);
      else if (name === 'sale') this.onSale(payload as TillEvents['sale']);
      else if (name === 'payment') this.onPayment(payload as TillEvents['payment']);
    });
  }

  stop(): void {
    this.off?.();
    this.off = null;
    if (this.doneTimer) clearTimeout(this.doneTimer);
    this.doneTimer = null;
  }

  current(): CustomerDisplayState {
    return { ...this.state, shopName: this.till.settings.get('shop.name') };
  }

  /** Re-sends the current screen to a (re)started serial display. */
  resendSerial(): void {
    this.lastSerial = '';
    this.toSerial();
  }

  /** The payments issue calls this to show a payment QR while a payment runs (null removes it). */
  setPaymentQr(qr: CustomerDisplayQr | null): void {
    if (!this.state.paying) return;
    this.publish({ ...this.state, paying: { ...this.state.paying, qr } });
  }

  private idle(): CustomerDisplayState {
    return {
      phase: 'idle',
      shopName: this.till.settings.get('shop.name'),
      lines: [],
      focusLineId: null,
      itemCount: 0,
      originalFen: 0,
      discountFen: 0,
      totalFen: 0,
      member: null,
      paying: null,
      done: null,
      at: this.till.now(),
    };
  }

  private onCart(cart: CartView): void {
    const empty = cart.priced.lines.length === 0;
    // Right after a sale the till starts a new, empty cart: the thank-you stays up until the next item.
    if (empty && this.state.phase === 'done') return;
    if (this.doneTimer) clearTimeout(this.doneTimer);
    this.doneTimer = null;
    if (empty) {
      this.publish({ ...this.idle(), member: null });
      return;
    }
    const p = cart.priced;
    this.publish({
      phase: cart.subtotaled ? 'paying' : 'cart',
      shopName: this.till.settings.get('shop.name'),
      lines: linesOf(cart),
      focusLineId: cart.focusLineId,
      itemCount: p.itemCount,
      originalFen: p.originalGrossFen,
      discountFen: p.discountFen - p.roundingFen,
      totalFen: p.totalFen,
      member: cart.member ? { name: cart.member.name, level: cart.member.level, points: cart.member.points } : null,
      paying: cart.subtotaled ? { dueFen: p.totalFen, qr: this.state.paying?.qr ?? null, codeWait: this.state.paying?.codeWait ?? null } : null,
      done: null,
      at: this.till.now(),
    });
  }

  /** A shown QR (主扫) is on the customer display while it waits to be paid, and gone once it is final. */
  private onPayment(a: TillEvents['payment']): void {
    if (a.kind === 'remote') return; // a remote payment request's QR (远程收款) goes out on a poster, never on this screen
    if (a.kind === 'code') {
      // 请在手机上输入密码 on the customer's side while a scanned code waits for the password.
      const wait = a.state === 'USERPAYING' ? { provider: a.provider, amountFen: a.amountFen } : null;
      if (this.state.paying && JSON.stringify(this.state.paying.codeWait ?? null) !== JSON.stringify(wait)) {
        this.publish({ ...this.state, paying: { ...this.state.paying, codeWait: wait } });
      }
      return;
    }
    const shown = this.state.paying?.qr;
    if (!a.final && a.codeUrl) {
      if (shown?.url === a.codeUrl) return;
      const label = a.provider === 'wechat' ? '微信' : '支付宝';
      this.setPaymentQr({ url: a.codeUrl, label, provider: a.provider, amountFen: a.amountFen, expiresAt: a.expiresAt ?? undefined });
    } else if (shown && (!a.codeUrl || shown.url === a.codeUrl)) {
      this.setPaymentQr(null);
    }
  }

  private onSale(sale: TillEvents['sale']): void {
    this.publish({
      ...this.state,
      phase: 'done',
      paying: null,
      done: { ...sale },
      at: this.till.now(),
    });
    if (this.doneTimer) clearTimeout(this.doneTimer);
    this.doneTimer = setTimeout(() => {
      this.doneTimer = null;
      if (this.state.phase === 'done') this.publish(this.idle());
    }, this.opts.doneMs ?? 30_000);
    this.doneTimer.unref();
  }

  private publish(next: CustomerDisplayState): void {
    this.state = next;
    this.till.events.emit('customerDisplay', this.current());
    this.toSerial();
  }

  private toSerial(): void {
    const d = this.opts.serialDisplay();
    if (!d) return;
    const s = this.state;
    let key: string;
    let show: () => Promise<unknown>;
    if (s.phase === 'idle') {
      key = 'idle';
      show = () => d.showIdle();
    } else if (s.phase === 'done' && s.done) {
      const done = s.done;
      key = `done:${done.receiptNo}`;
      show =
        done.kind === 'return'
          ? () => d.showTotal(-Math.abs(done.totalFen))
          : async () => {
              await d.showTotal(done.totalFen);
              await d.showPaid(done.paidFen);
              await d.showChange(done.changeFen);
            };
    } else if (s.phase === 'paying') {
      key = `pay:${s.totalFen}`;
      show = () => d.showTotal(s.totalFen);
    } else {
      const line = s.lines.find((l) => l.id === s.focusLineId) ?? s.lines[s.lines.length - 1];
      key = `item:${line.id}:${line.unitPriceFen}:${line.qtyText}:${s.totalFen}`;
      show = () => d.showItem(displayAscii(line.name), line.unitPriceFen);
    }
    if (key === this.lastSerial) return;
    this.lastSerial = key;
    void show().catch(() => undefined);
  }
}
