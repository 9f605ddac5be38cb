// startup_ready_ms: browser host, from spawning the process to the scan field being focused in
// Chromium after the cashier's login (the login clicks are automated, a few ms each), with a
// 200,000-SKU catalog (DESIGN.md §6), and startup_ready_demo_ms with fresh demo data (the first start
// of a new shop: create, migrate, seed). Chromium itself is started beforehand: its own start-up is not
// the till's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser, login } from '../support/browser';
import { startHost } from '../support/till-host';
import { percentile, round, type BenchResult } from './lib';
import { addCatalog } from './scan-to-screen.bench';

const RUNS = 5;

/** One start: spawn → ready line → login screen → logged in → scan field focused. */
async function timeStart(context: BrowserContext, dataDir?: string): Promise<{ total: number; host: number }> {
  const t0 = performance.now();
  const host = await startHost(dataDir ? { dataDir, keepData: true } : {});
  const hostMs = performance.now() - t0;
  const page = await context.newPage();
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"] [data-testid^="user-"]').first().waitFor();
  await login(page, '小王', '1111');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'scan-input');
  const total = performance.now() - t0;
  await page.close();
  await host.stop();
  return { total, host: hostMs };
}

export async function run(): Promise<BenchResult[]> {
  const { browser, context } = await launchBrowser();
  const demo: { total: number; host: number }[] = [];
  const big: { total: number; host: number }[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'till-bench-startup-'));
  try {
    for (let i = 0; i < RUNS; i++) demo.push(await timeStart(context));
    // A shop with 200,000 SKUs: seeded once, the catalog added, one untimed start (it builds the
    // name index for the new rows, as a catalog import would have), then the timed restarts.
    await (await startHost({ dataDir, keepData: true })).stop();
    addCatalog(join(dataDir, 'till.db'), 200_000);
    await timeStart(context, dataDir);
    for (let i = 0; i < RUNS; i++) big.push(await timeStart(context, dataDir));
  } finally {
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const med = (xs: { total: number; host: number }[], k: 'total' | 'host') => round(percentile(xs.map((x) => x[k]), 50), 0);
  return [
    { name: 'startup_ready_ms', value: med(big, 'total'), unit: 'ms', note: `median of ${RUNS}, 200,000 SKUs, incl. login` },
    { name: 'startup_ready_demo_ms', value: med(demo, 'total'), unit: 'ms', note: `median of ${RUNS}, fresh demo data (created, migrated, seeded), incl. login` },
    { name: 'host_ready_ms', value: med(big, 'host'), unit: 'ms', note: 'spawn to the ready line, 200,000 SKUs' },
    { name: 'host_ready_demo_ms', value: med(demo, 'host'), unit: 'ms', note: 'spawn to the ready line, fresh demo data' },
  ];
}
