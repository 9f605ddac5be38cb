// The returns screen (退货, F7).
import type { Locator, Page } from 'playwright-core';
import { scan } from '../../support/browser';

export class ReturnsPage {
  readonly root: Locator;
  readonly sale: Locator;
  readonly lines: Locator;
  readonly done: Locator;
  readonly error: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('return-screen');
    this.sale = page.getByTestId('return-sale');
    this.lines = page.getByTestId('return-line');
    this.done = page.getByTestId('refund-done');
    this.error = page.getByTestId('return-error');
  }
  async open(): Promise<void> {
    await this.page.keyboard.press('F7');
    await this.root.waitFor();
  }
  /** Scans the receipt's barcode (its receipt number) with the wedge scanner. */
  async scanReceipt(receiptNo: string): Promise<void> {
    await scan(this.page, receiptNo);
    await this.sale.waitFor();
  }
  line(name: string | RegExp): Locator {
    return this.lines.filter({ hasText: name });
  }
}
