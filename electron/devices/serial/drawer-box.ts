// Serial cash-drawer trigger box: a small box between a COM port and the drawer's RJ11 that
// fires the solenoid on any received byte. Used when the receipt printer cannot kick the drawer.
import { SerialDevice } from './serial-device.js';
import type { DrawerBoxEvents, SerialDeviceOptions } from './types.js';

export interface SerialDrawerBoxOptions extends SerialDeviceOptions {
  /** Bytes sent to open the drawer. Any byte works on most boxes; some want a specific one. Default 0x07 (BEL). */
  triggerBytes?: Buffer;
}

export class SerialDrawerBox extends SerialDevice<DrawerBoxEvents> {
  private readonly trigger: Buffer;

  constructor(options: SerialDrawerBoxOptions) {
    super(options, '钱箱');
    this.trigger = options.triggerBytes && options.triggerBytes.length ? options.triggerBytes : Buffer.from([0x07]);
  }

  /** Pop the drawer. Rejects (Chinese message) when the box is not connected, so the UI can say so. */
  async openDrawer(): Promise<void> {
    await this.write(this.trigger);
  }

  protected onData(): void {
    // Trigger boxes have no drawer sensor on the serial line; ignore anything received.
  }
}
