// Page objects of 核销/自提 (renderer/src/screens/pickup) and the redemption dialog.
import type { Locator, Page } from 'playwright-core';

export class PickupPage {
  readonly input: Locator;
  readonly order: Locator;
  readonly lines: Locator;
  readonly confirm: Locator;
  readonly result: Locator;
  readonly findError: Locator;
  constructor(readonly page: Page) {
    this.input = page.getByTestId('pickup-input');
    this.order = page.getByTestId('pickup-order');
    this.lines = page.getByTestId('pickup-line');
    this.confirm = page.getByTestId('pickup-confirm');
    this.result = page.getByTestId('pickup-result');
    this.findError = page.getByTestId('pickup-find-error');
  }
  async open(tab: 'pickup' | 'vouchers' | 'log' = 'pickup'): Promise<void> {
    await this.page.getByTestId('nav-pickup').click();
    await this.page.getByTestId('screen-pickup').waitFor();
    await this.page.getByTestId(`pickup-tab-${tab}`).click();
  }
  line(lineNo: number): Locator {
    return this.page.locator(`[data-testid="pickup-line"][data-line="${lineNo}"]`);
  }
  /** Sets what leaves now for a line: untick, then + n times. */
  async handNow(lineNo: number, qty: number): Promise<void> {
    const line = this.line(lineNo);
    if ((await line.getByTestId('pickup-tick').getAttribute('aria-pressed')) === 'true') await line.getByTestId('pickup-tick').click();
    for (let i = 0; i < qty; i++) await line.getByTestId('pickup-more').click();
  }
}

export class RedeemDialogPage {
  readonly dialog: Locator;
  readonly preview: Locator;
  readonly go: Locator;
  readonly done: Locator;
  readonly error: Locator;
  constructor(readonly page: Page) {
    this.dialog = page.getByTestId('redeem-dialog');
    this.preview = page.getByTestId('redeem-preview');
    this.go = page.getByTestId('redeem-go');
    this.done = page.getByTestId('redeem-done');
    this.error = page.getByTestId('redeem-error');
  }
  async redeem(): Promise<string> {
    await this.preview.waitFor();
    await this.go.click();
    await this.done.waitFor();
    const id = (await this.done.getAttribute('data-redemption-id')) ?? '';
    await this.page.getByTestId('redeem-close').click();
    await this.dialog.waitFor({ state: 'detached' });
    return id;
  }
}
