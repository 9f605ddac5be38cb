// The payment screen (结算) and the result after it.
import type { Locator, Page } from 'playwright-core';
import type { PageDoc } from './checkout.page';

export class PaymentPage {
  readonly root: Locator;
  readonly amount: Locator;
  readonly due: Locator;
  readonly done: Locator;
  readonly change: Locator;
  readonly receiptNo: Locator;
  readonly tenders: Locator;
  /** The done screen's list of what was taken, tender by tender. */
  readonly doneTenders: Locator;
  readonly error: Locator;
  /** 已收 as shown (tenders so far plus the cash typed). */
  readonly paid: Locator;
  /** The check of a cash amount far above what is due (收银设置 → 大额找零确认). */
  readonly cashCheck: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('payment');
    this.amount = page.getByTestId('pay-amount');
    this.due = page.getByTestId('pay-due');
    this.done = page.getByTestId('payment-done');
    this.change = page.getByTestId('change');
    this.receiptNo = page.getByTestId('receipt-no');
    this.tenders = page.getByTestId('tender-row');
    this.doneTenders = page.getByTestId('done-tender');
    this.error = page.getByTestId('pay-error');
    this.paid = page.getByTestId('pay-paid');
    this.cashCheck = page.getByTestId('cash-check');
  }

  /** Space in the empty scan field goes to payment. */
  async open(): Promise<void> {
    await this.page.keyboard.press(' ');
    await this.root.waitFor();
  }

  /** The cashier ran the card on the external terminal; it approved; they type its reference. */
  async cardTerminal(amountYuan: string, reference: string): Promise<void> {
    const before = await this.tenders.count();
    await this.page.getByTestId('tender-card_terminal').click();
    await this.amount.fill(amountYuan);
    await this.page.getByTestId('card-reference').fill(reference);
    await this.page.getByTestId('card-reference').press('Enter');
    await this.page.waitForFunction(
      (n) => (globalThis as unknown as PageDoc).document.querySelectorAll('[data-testid="tender-row"]').length === n,
      before + 1,
    );
  }

  /** Number keys type the cash received, Enter confirms. */
  async cash(amountYuan: string): Promise<void> {
    await this.page.getByTestId('tender-cash').click();
    await this.amount.focus();
    for (const ch of amountYuan) await this.page.keyboard.press(ch);
  }
}
