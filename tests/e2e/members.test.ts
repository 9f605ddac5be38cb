// 会员 → 线上会员核对 in real Chromium against the browser host and the Youzan simulator: the owner's
// shop is connected (API), a sync round pulls the online customers; 王芳 (same phone as a shop member)
// is linked by phone and shows her online level and points; 新顾客 has no shop member with her phone,
// so the manager links her by hand to 刘洋 (found by the last four digits) and the screen then shows
// her online points and level — as memberLinks.forMember does for the counter. The unlink asks twice
// and moves the row back. Screenshot at 1366×768: /work/notes/shots/members.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YouzanFake } from '../fakes/youzan';
import { launchBrowser, login } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: join(shots, `${name}.png`) });
  try {
    mkdirSync('/work/notes/shots', { recursive: true });
    await page.screenshot({ path: join('/work/notes/shots', `${name}.png`) });
  } catch {
    // the notes folder exists only on the team's machine
  }
};

let host: RunningHost;
let youzan: YouzanFake;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}

beforeAll(async () => {
  youzan = await YouzanFake.start();
  youzan.members.upsertCustomer({ mobile: '13800000001', name: '王芳', levelName: 'VIP3', points: 500 });
  youzan.members.upsertCustomer({ mobile: '13900000009', name: '新顾客', levelName: '金卡会员', points: 888 });
  youzan.members.upsertCustomer({ mobile: '13800000002', name: '李强' });
  youzan.members.addDuplicate('13800000002', '李强（粉丝号）');
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.appUrl);
  await login(page, '张老板', '8888');
  await new CheckoutPage(page).waitReady();
  const yz = youzan.clientConfig();
  await api('sync.saveSettings', { platform: 'youzan', enabled: true, baseUrl: yz.baseUrl, clientId: yz.clientId, clientSecret: yz.clientSecret, grantId: yz.grantId });
  // The worker polls at start; "sync now" until the customers are in.
  for (let i = 0; ; i++) {
    await api('sync.now').catch(() => undefined);
    if ((await api<{ linked: unknown[] }>('memberLinks.review')).linked.length === 1) break;
    if (i > 60) throw new Error('the customers never arrived: ' + JSON.stringify(await api('sync.status')));
    await new Promise((r) => setTimeout(r, 500));
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await youzan?.close();
});

describe('线上会员核对 e2e against the Youzan simulator', () => {
  it('a member linked by phone shows her online level and points; the ambiguous phone waits in 待确认', async () => {
    await page.getByTestId('nav-members').click();
    const linked = page.getByTestId('members-list-linked');
    await linked.waitFor();
    const row = linked.getByTestId('members-row').filter({ hasText: '王芳' });
    await expect.poll(() => row.textContent()).toContain('VIP3');
    expect(await row.getByTestId('members-points').textContent()).toBe('500');
    expect(await row.textContent()).toContain('138****0001');
    expect(await page.getByTestId('members-tab-ambiguous').textContent()).toContain('2');
    await page.getByTestId('members-tab-ambiguous').click();
    expect(await page.getByTestId('members-list-ambiguous').getByTestId('members-row').count()).toBe(2);
  });

  it('the manager links the unmatched online customer to 刘洋 by hand and sees her online points', async () => {
    await page.getByTestId('members-tab-unmatched').click();
    const row = page.getByTestId('members-list-unmatched').getByTestId('members-row').filter({ hasText: '新顾客' });
    await row.getByTestId('members-link').click();
    const dialog = page.getByTestId('members-pick-dialog');
    await dialog.getByTestId('members-search').fill('0004');
    await dialog.getByTestId('members-find').click();
    await dialog.getByTestId('members-pick').filter({ hasText: '刘洋' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('members-note').textContent()).toContain('已关联：刘洋');

    await page.getByTestId('members-tab-linked').click();
    const linked = page.getByTestId('members-list-linked').getByTestId('members-row').filter({ hasText: '刘洋' });
    expect(await linked.getByTestId('members-points').textContent()).toBe('888');
    expect(await linked.textContent()).toContain('金卡会员');
    expect(await linked.textContent()).toContain('手动');
    await shot(page, 'members');

    // What the counter's member lookup gets for 刘洋.
    const liu = (await api<{ memberId: string; name: string }[]>('memberLinks.findMembers', { query: '13800000004' }))[0];
    expect(await api('memberLinks.forMember', { memberId: liu.memberId })).toMatchObject([{ platform: 'youzan', points: 888, level: '金卡会员' }]);
  });

  it('解除关联 asks once more, then the customer is back in 未匹配; 建为会员 makes her a shop member', async () => {
    const linked = page.getByTestId('members-list-linked').getByTestId('members-row').filter({ hasText: '刘洋' });
    await linked.getByTestId('members-unlink').click();
    await linked.getByTestId('members-unlink-confirm').click();
    expect(await page.getByTestId('members-note').textContent()).toContain('已解除关联');
    await page.getByTestId('members-tab-unmatched').click();
    const row = page.getByTestId('members-list-unmatched').getByTestId('members-row').filter({ hasText: '新顾客' });
    await row.waitFor();
    await shot(page, 'members-unmatched');
    // 建为会员: the online customer becomes a shop member of her own, linked at once.
    await row.getByTestId('members-create').click();
    await expect.poll(() => page.getByTestId('members-note').textContent()).toContain('已建为本店会员');
    await page.getByTestId('members-tab-linked').click();
    const made = page.getByTestId('members-list-linked').getByTestId('members-row').filter({ hasText: '139****0009' });
    expect(await made.getByTestId('members-points').textContent()).toBe('888');
    expect(await made.textContent()).toMatch(/新顾客.*新顾客/);
  });
  it('in English the lists, the pick dialog and a refusal read English; every button is at least 44 px tall', async () => {
    await page.getByTestId('lang-switch').click();
    try {
      await expect.poll(() => page.getByTestId('members-tab-linked').textContent()).toContain('Linked');
      expect(await page.getByTestId('members-tab-unmatched').textContent()).toContain('Unmatched');
      expect(await page.getByTestId('members-tab-ambiguous').textContent()).toContain('To confirm');
      await page.getByTestId('members-tab-ambiguous').click();
      await page.getByTestId('members-list-ambiguous').getByTestId('members-link').first().click();
      const dialog = page.getByTestId('members-pick-dialog');
      expect(await dialog.textContent()).toContain('Shop members with the same phone');
      const heights = await page.locator('.mb-screen button, [data-testid="members-pick-dialog"] button').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(4);
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
      await shot(page, 'members-en-pick');
      // Both accounts with 李强's phone wait here: the first links to him, the second is then refused (in English).
      await dialog.getByTestId('members-pick').first().click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('members-list-ambiguous').getByTestId('members-link').first().click();
      await page.getByTestId('members-pick-dialog').getByTestId('members-pick').first().click();
      await expect.poll(() => page.getByTestId('members-note').textContent()).toContain('already linked');
      await page.keyboard.press('Escape');
    } finally {
      await page.getByTestId('lang-switch').click();
    }
  });
});
