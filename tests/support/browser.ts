// Debian's Chromium under playwright-core (never a downloaded browser), with the flags that keep it
// quiet on a closed network, and page helpers shared by e2e tests.
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

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

/**
 * Keys with the time stamps a keyboard would give them. The till tells a scanner from a person by
 * KeyboardEvent.timeStamp, which on real hardware is the operating system's time of the key, however
 * late the page gets to it. Playwright's own key presses are stamped when Chromium receives each
 * command, so on a loaded machine a "scan" spreads out and "typing" bunches up. Sending the keys over
 * CDP with explicit stamps (Input.dispatchKeyEvent's `timestamp`) keeps the timing a device would have.
 */
export async function pressStamped(page: Page, keys: string[], gapMs: number, startAt?: number): Promise<number> {
  const cdp = await cdpOf(page);
  // startAt (seconds, as returned): keys that must come after earlier ones on the same timeline, e.g. a
  // scan a moment after typing, whose own stamps may still lie ahead of the clock.
  const t0 = startAt ?? Date.now() / 1000;
  for (const [i, key] of keys.entries()) {
    const timestamp = t0 + (i * gapMs) / 1000;
    const k = keyInfo(key);
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, timestamp });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, timestamp: timestamp + 0.001 });
  }
  /** The last key's stamp. */
  return t0 + ((keys.length - 1) * gapMs) / 1000;
}

/** A keyboard-wedge scan: keys 10 ms apart ending in Enter (TESTING.md). */
export async function scan(page: Page, code: string, startAt?: number): Promise<void> {
  await pressStamped(page, [...code, 'Enter'], 10, startAt);
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();
function cdpOf(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) {
    s = page.context().newCDPSession(page);
    sessions.set(page, s);
  }
  return s;
}

function keyInfo(key: string): { key: string; code: string; text?: string; windowsVirtualKeyCode: number } {
  if (key === 'Enter') return { key, code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 };
  if (key.length !== 1) throw new Error(`pressStamped: unsupported key ${key}`);
  const upper = key.toUpperCase();
  if (/[0-9]/.test(key)) return { key, code: `Digit${key}`, text: key, windowsVirtualKeyCode: key.charCodeAt(0) };
  if (/[a-zA-Z]/.test(key)) return { key, code: `Key${upper}`, text: key, windowsVirtualKeyCode: upper.charCodeAt(0) };
  const oem: Record<string, [string, number]> = { '-': ['Minus', 189], '*': ['NumpadMultiply', 106], '.': ['Period', 190], ' ': ['Space', 32] };
  const [code, vk] = oem[key] ?? ['', key.charCodeAt(0)];
  return { key, code, text: key, windowsVirtualKeyCode: vk };
}
