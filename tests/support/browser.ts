// Debian's Chromium under playwright-core (never a downloaded browser), with the flags that keep it
// quiet on a closed network, and page helpers shared by e2e tests.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Each context is a fresh, empty profile (playwright's own temporary user-data-dir).
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  return { browser, context };
}

/** Logs in through the real login screen: pick the user, type the PIN on the on-screen keypad. */
export async function login(page: Page, name: string, pin: string): Promise<void> {
  await page.getByTestId(`user-${name}`).click();
  for (const d of pin) await page.locator(`.keypad [data-key="${d}"]`).click();
  await page.locator('.keypad .key-primary').click();
}

/** A keyboard-wedge scan: keys 10 ms apart ending in Enter (TESTING.md). */
export async function scan(page: Page, code: string): Promise<void> {
  for (const ch of code) await page.keyboard.press(ch, { delay: 0 }).then(() => page.waitForTimeout(10));
  await page.keyboard.press('Enter');
}
