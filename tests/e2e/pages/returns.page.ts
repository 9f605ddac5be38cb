// The returns screen (退货, F7): with a receipt (the card part refunded on the terminal, its
// reference typed) and without one (items by scan or search, the manager's PIN on the spot).
import type { Locator, Page } from 'playwright-core';
import { scan } from '../../support/browser';

export class ReturnsPage {
  readonly root: Locator;
  readonly sale: Locator;
  readonly lines: Locator;
  readonly done: Locator;
  readonly error: Locator;
  readonly referenceStep: Locator;
  readonly noReceipt: Locator;
  readonly nrLines: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('return-screen');
    this.sale = page.getByTestId('return-sale');
    this.lines = page.getByTestId('return-line');
    this.done = page.getByTestId('refund-done');
    this.error = page.getByTestId('return-error');
    this.referenceStep = page.getByTestId('refund-reference-step');
    this.noReceipt = page.getByTestId('no-receipt');
    this.nrLines = page.getByTestId('nr-line');
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

  /** After the manager approved: the cashier ran the card refund on the terminal and types its reference. */
  async confirmCardRefund(reference: string): Promise<void> {
    await this.referenceStep.waitFor();
    await this.page.getByTestId('refund-reference').fill(reference);
    await this.page.getByTestId('refund-reference-confirm').click();
  }
  async openNoReceipt(): Promise<void> {
    await this.page.getByTestId('tab-no-receipt').click();
    await this.noReceipt.waitFor();
  }
  nrLine(name: string | RegExp): Locator {
    return this.nrLines.filter({ hasText: name });
  }
}
