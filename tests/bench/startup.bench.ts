// startup_ready_ms: browser host, fresh demo data: from spawning the process to the scan field being
// focused in Chromium after the cashier's login (the login clicks are automated, a few ms each).
// Chromium itself is started beforehand: its own start-up is not the till's.
import { launchBrowser, login } from '../support/browser';
import { startHost } from '../support/till-host';
import { percentile, round, type BenchResult } from './lib';

export async function run(): Promise<BenchResult[]> {
  const { browser, context } = await launchBrowser();
  const total: number[] = [];
  const hostReady: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const host = await startHost();
      hostReady.push(performance.now() - t0);
      const page = await context.newPage();
      await page.goto(host.appUrl);
      await page.locator('[data-ready="login"] [data-testid^="user-"]').first().waitFor();
      await login(page, '小王', '1111');
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'scan-input');
      total.push(performance.now() - t0);
      await page.close();
      await host.stop();
    }
  } finally {
    await browser.close();
  }
  return [
    { name: 'startup_ready_ms', value: round(percentile(total, 50), 0), unit: 'ms', note: `median of ${total.length}, fresh demo data, incl. login` },
    { name: 'host_ready_ms', value: round(percentile(hostReady, 50), 0), unit: 'ms', note: 'spawn to the ready line (DB created, migrated, seeded)' },
  ];
}
