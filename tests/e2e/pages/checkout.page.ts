// Page objects for the checkout (Joplin style): each screen of the till as a class of locators and
// the actions a cashier takes, so the tests read as the flow and the selectors live in one place.
import type { Locator, Page } from 'playwright-core';
import { pressStamped, scan } from '../../support/browser';

// In-page functions run in Chromium (the app's CSP forbids string predicates, which Playwright evals).
// This project has no DOM lib, so they reach the page through this minimal shape.
export type PageDoc = {
  document: {
    activeElement: { getAttribute(n: string): string | null } | null;
    querySelector(s: string): { textContent: string | null } | null;
    querySelectorAll(s: string): { length: number };
  };
};
export const inPage = globalThis as unknown as PageDoc;

/** Keys typed the way a person types: 120 ms apart (TESTING.md), never taken for a scan. Returns the last key's stamp. */
export async function typeSlowly(page: Page, text: string, gapMs = 120): Promise<number> {
  return pressStamped(page, [...text], gapMs);
}

export class CheckoutPage {
  readonly scanInput: Locator;
  readonly lines: Locator;
  readonly total: Locator;
  readonly message: Locator;
  readonly itemCount: Locator;

  constructor(readonly page: Page) {
    this.scanInput = page.getByTestId('scan-input');
    this.lines = page.getByTestId('cart-line');
    this.total = page.getByTestId('total');
    this.message = page.getByTestId('scan-message');
    this.itemCount = page.getByTestId('item-count');
  }

  async waitReady(): Promise<void> {
    await this.page.locator('[data-ready="till"]').waitFor();
    await this.page.getByTestId('screen-checkout').waitFor();
  }

  /** The data-testid of the focused element (the scan field must be ready after every dialog). */
  focused(): Promise<string | null | undefined> {
    return this.page.evaluate(() => (globalThis as unknown as PageDoc).document.activeElement?.getAttribute('data-testid'));
  }

  async openShiftIfNeeded(floatYuan = '200'): Promise<boolean> {
    const banner = this.page.getByTestId('shift-banner');
    // The status arrives just after login: wait until it says open, or the banner offers to open one.
    await this.page.waitForFunction(() => {
      const d = (globalThis as unknown as PageDoc).document;
      return !!d.querySelector('[data-testid="shift-banner"]') || /已开班/.test(d.querySelector('[data-testid="shift-status"]')?.textContent ?? '');
    });
    if (!(await banner.count())) return false;
    await this.page.getByTestId('open-shift').click();
    await this.page.getByTestId('shift-float').fill(floatYuan);
    await this.page.keyboard.press('Enter');
    await banner.waitFor({ state: 'detached' });
    return true;
  }

  /** 取单 (F4): waits for the dialog and for the server's list of held carts, not the empty first render. */
  async openHeld(): Promise<Locator> {
    await this.page.keyboard.press('F4');
    await this.page.locator('[data-testid="held-list"][data-ready="yes"]').waitFor();
    return this.page.getByTestId('held-cart');
  }

  async scan(code: string): Promise<void> {
    await scan(this.page, code);
  }

  /** Scans and waits until the cart shows `lines` lines. */
  async scanAndWait(code: string, lines: number): Promise<void> {
    await scan(this.page, code);
    await this.waitLines(lines);
  }

  async waitLines(n: number): Promise<void> {
    await this.page.waitForFunction((k) => (globalThis as unknown as PageDoc).document.querySelectorAll('[data-testid="cart-line"]').length === k, n);
  }

  async totalText(): Promise<string> {
    return (await this.total.textContent()) ?? '';
  }

  line(name: string | RegExp): Locator {
    return this.lines.filter({ hasText: name });
  }

  async key(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  dialog(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
}

export class SearchPanel {
  readonly root: Locator;
  readonly input: Locator;
  readonly results: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('search-panel');
    this.input = page.getByTestId('search-input');
    this.results = page.getByTestId('search-result');
  }
  async open(): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.input.waitFor();
    await this.page.waitForFunction(() => (globalThis as unknown as PageDoc).document.activeElement?.getAttribute('data-testid') === 'search-input');
  }
  result(name: string | RegExp): Locator {
    return this.results.filter({ hasText: name });
  }
}

export class ApprovalDialog {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('manager-approval');
  }
  async waitOpen(): Promise<void> {
    await this.root.waitFor();
  }
  /** The manager types their PIN on the dialog's own keypad (touch), then 授权. */
  async approve(pin: string): Promise<void> {
    await this.waitOpen();
    for (const d of pin) await this.root.locator(`[data-testid="approval-pad"] [data-key="${d}"]`).click();
    await this.root.locator('[data-testid="approval-pad"] [data-key="Enter"]').click();
    await this.root.waitFor({ state: 'detached' });
  }
}
