// Page objects for a counter without a keyboard (issue 12): the scan field's on-screen pad, the
// letter pad of 查找, the status bar's buttons, the login screen's language switch, and the
// customer display's link in 设置 → 设备. Every action here is a tap.
import type { Locator, Page } from 'playwright-core';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function boxOf(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

/** The pad under 结算 that types into the scan field. */
export class ScanPad {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('scan-pad');
  }
  key(k: string): Locator {
    return this.root.locator(`[data-key="${k}"]`);
  }
  /** Taps each character (digits, '.', '×'), then 回车. */
  async tapCode(code: string): Promise<void> {
    for (const ch of code) await this.key(ch === '*' ? '×' : ch).tap();
    await this.key('Enter').tap();
  }
  keys(): Locator {
    return this.root.locator('button');
  }
}

/** 查找 opened by its button, the query typed on the letter pad. */
export class LetterPad {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('search-letters');
  }
  async openSearch(): Promise<void> {
    await this.page.getByTestId('open-search').tap();
    await this.root.waitFor();
  }
  key(k: string): Locator {
    return this.root.locator(`[data-key="${k}"]`);
  }
  async tapText(text: string): Promise<void> {
    for (const ch of text) await this.key(ch.toLowerCase()).tap();
  }
}

export class StatusBar {
  readonly language: Locator;
  readonly logout: Locator;
  readonly printer: Locator;
  readonly sync: Locator;
  constructor(readonly page: Page) {
    this.language = page.getByTestId('lang-switch');
    this.logout = page.getByTestId('logout');
    this.printer = page.getByTestId('printer-status');
    this.sync = page.getByTestId('sync-status');
  }
}

export class LoginPage {
  readonly root: Locator;
  readonly language: Locator;
  readonly error: Locator;
  readonly title: Locator;
  constructor(readonly page: Page) {
    this.root = page.locator('[data-ready="login"]');
    this.language = page.getByTestId('login-lang');
    this.error = page.getByTestId('login-error');
    this.title = page.locator('.login h1');
  }
  /** Picks the user and taps the PIN on the keypad. */
  async login(name: string, pin: string): Promise<void> {
    await this.page.getByTestId(`user-${name}`).tap();
    for (const d of pin) await this.page.locator(`.keypad [data-key="${d}"]`).tap();
    await this.page.locator('.keypad .key-primary').tap();
  }
}

/** 设置 → 设备 → 顾客屏: the second screen's link, as a person finds it. */
export class CustomerDisplayLink {
  readonly root: Locator;
  readonly url: Locator;
  readonly open: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('customer-display-link');
    this.url = page.getByTestId('customer-display-url');
    this.open = page.getByTestId('open-customer-display');
  }
  async show(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await this.page.getByTestId('settings-tab-devices').click();
    await this.url.waitFor();
  }
}
