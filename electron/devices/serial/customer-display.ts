// Customer display (客显) on a serial port: CD5220-style 2×20 text or the common 8-digit price display.
// The display is a courtesy to the customer: its failures must never block a sale, so the show*
// methods resolve false instead of throwing, and the last screen is re-sent after a reconnect.
import {
  cd5220Init,
  cd5220Lines,
  formatFen,
  layoutLine,
  price8Clear,
  price8Init,
  price8Show,
  toDisplayAscii,
} from './display-protocols.js';
import type { DisplayModel, Lamp } from './display-protocols.js';
import { SerialDevice } from './serial-device.js';
import type { DisplayEvents, SerialDeviceOptions } from './types.js';

export interface CustomerDisplayOptions extends SerialDeviceOptions {
  model: DisplayModel;
  /** CD5220 idle screen. Default ['WELCOME', '']. */
  idleLines?: [string, string];
  /** Item names are usually Chinese; CD5220 is ASCII only. Plug in e.g. a pinyin converter. Default: drop non-ASCII. */
  asciiName?: (name: string) => string;
  /** English labels on the CD5220 lines. */
  labels?: Partial<Record<'price' | 'total' | 'paid' | 'change', string>>;
}

const DEFAULT_LABELS = { price: 'PRICE', total: 'TOTAL', paid: 'PAID', change: 'CHANGE' };

export class CustomerDisplay extends SerialDevice<DisplayEvents> {
  private readonly model: DisplayModel;
  private readonly idleLines: [string, string];
  private readonly asciiName: (name: string) => string;
  private readonly labels: typeof DEFAULT_LABELS;
  /** Bytes of the current screen, re-sent after a reconnect. */
  private screen: Buffer;
  private lastTotal: number | null = null;
  private lastPaid: number | null = null;

  constructor(options: CustomerDisplayOptions) {
    super(options, '客显');
    this.model = options.model;
    this.idleLines = options.idleLines ?? ['WELCOME', ''];
    this.asciiName = options.asciiName ?? toDisplayAscii;
    this.labels = { ...DEFAULT_LABELS, ...options.labels };
    this.screen = this.idleScreen();
  }

  showItem(name: string, priceFen: number): Promise<boolean> {
    if (this.model === 'price8') return this.show(price8Show(priceFen, 'price'));
    const ascii = toDisplayAscii(this.asciiName(name)) || 'ITEM';
    return this.show(cd5220Lines(ascii, this.amountLine('price', priceFen)));
  }

  showTotal(fen: number): Promise<boolean> {
    this.lastTotal = fen;
    this.lastPaid = null;
    if (this.model === 'price8') return this.show(price8Show(fen, 'total'));
    return this.show(cd5220Lines(this.amountLine('total', fen), ''));
  }

  showPaid(fen: number): Promise<boolean> {
    this.lastPaid = fen;
    if (this.model === 'price8') return this.show(price8Show(fen, 'paid'));
    const upper = this.lastTotal === null ? '' : this.amountLine('total', this.lastTotal);
    return this.show(cd5220Lines(upper, this.amountLine('paid', fen)));
  }

  showChange(fen: number): Promise<boolean> {
    if (this.model === 'price8') return this.show(price8Show(fen, 'change'));
    const upper = this.lastPaid === null ? '' : this.amountLine('paid', this.lastPaid);
    return this.show(cd5220Lines(upper, this.amountLine('change', fen)));
  }

  clear(): Promise<boolean> {
    this.lastTotal = this.lastPaid = null;
    return this.show(this.model === 'price8' ? price8Clear() : cd5220Lines('', ''));
  }

  /** Between customers. */
  showIdle(): Promise<boolean> {
    this.lastTotal = this.lastPaid = null;
    return this.show(this.idleScreen());
  }

  protected onData(): void {
    // Displays do not talk back; anything received is line noise.
  }

  protected override async onPortOpened(): Promise<void> {
    // A display that lost power shows garbage or the last sale: reset it and restore our screen.
    await this.write(Buffer.concat([this.model === 'price8' ? price8Init() : cd5220Init(), this.screen]));
  }

  private amountLine(kind: Exclude<Lamp, 'off'>, fen: number): string {
    return layoutLine(this.labels[kind], formatFen(fen));
  }

  private idleScreen(): Buffer {
    return this.model === 'price8' ? price8Clear() : cd5220Lines(toDisplayAscii(this.idleLines[0]), toDisplayAscii(this.idleLines[1]));
  }

  private async show(bytes: Buffer): Promise<boolean> {
    this.screen = bytes;
    if (!this.isOpen()) return false;
    try {
      await this.write(bytes);
      return true;
    } catch {
      return false;
    }
  }
}
