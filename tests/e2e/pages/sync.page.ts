// Page objects of 网店同步 (the status bar's sync light, the sync screen with its dead letters and
// activity, the 商品对应 review), 聚合订单 (the order inbox) and 设置 → 网店平台.
import type { Locator, Page } from 'playwright-core';

/** The status bar's sync light and its popover. */
export class SyncLightPage {
  readonly light: Locator;
  readonly popover: Locator;
  constructor(readonly page: Page) {
    this.light = page.getByTestId('sync-status');
    this.popover = page.getByTestId('sync-popover');
  }
  async open(): Promise<void> {
    await this.light.click();
    await this.popover.waitFor();
  }
  platform(p: string): Locator {
    return this.page.getByTestId(`sync-pop-${p}`);
  }
}

/** 设置 → 网店平台 (owner). */
export class PlatformSettingsPage {
  constructor(readonly page: Page) {}
  async open(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await this.page.getByTestId('settings-tab-platforms').click();
    await this.page.getByTestId('platforms-settings').waitFor();
  }
  field(platform: string, key: string): Locator {
    return this.page.getByTestId(`platform-${platform}-${key}`);
  }
  /** Fills what is given, turns the platform on, saves and waits for 已保存. */
  async save(platform: string, fields: Record<string, string>): Promise<void> {
    const enabled = this.field(platform, 'enabled');
    if (!(await enabled.isChecked())) await enabled.check();
    for (const [k, v] of Object.entries(fields)) await this.field(platform, k).fill(v);
    await this.field(platform, 'save').click();
    await this.field(platform, 'message').filter({ hasText: /已保存|Saved/ }).waitFor();
  }
  async test(platform: string): Promise<string> {
    await this.field(platform, 'test').click();
    const result = this.field(platform, 'test-result');
    await result.and(this.page.locator('.settings-ok, .settings-error')).waitFor();
    return (await result.textContent()) ?? '';
  }
}

/** 网店同步: status cards, 立即同步, dead letters, activity; the 商品对应 tab. */
export class SyncScreenPage {
  readonly deadRows: Locator;
  readonly activityRows: Locator;
  readonly nowButton: Locator;
  constructor(readonly page: Page) {
    this.deadRows = page.getByTestId('sync-dead-row');
    this.activityRows = page.getByTestId('sync-activity-row');
    this.nowButton = page.getByTestId('sync-now');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('nav-sync').click();
    await this.page.getByTestId('screen-sync').waitFor();
  }
  card(p: string): Locator {
    return this.page.getByTestId(`sync-card-${p}`);
  }
  /** 立即同步, waiting for the round to end (its result line). */
  async syncNow(): Promise<string> {
    await this.page.getByTestId('sync-tab-status').click();
    await this.nowButton.and(this.page.locator(':enabled')).waitFor();
    await this.nowButton.click();
    const result = this.page.getByTestId('sync-now-result');
    await result.waitFor();
    await this.nowButton.and(this.page.locator(':enabled')).waitFor();
    return (await result.textContent()) ?? '';
  }
  // ---- 商品对应 ----
  async openMapping(platform: string): Promise<void> {
    await this.page.getByTestId('sync-tab-mapping').click();
    await this.page.getByTestId(`sync-map-platform-${platform}`).click();
    await this.page.getByTestId('sync-mapping').waitFor();
  }
  async autoMatch(): Promise<string> {
    await this.page.getByTestId('sync-map-auto').click();
    const note = this.page.getByTestId('sync-map-note');
    await note.waitFor();
    return (await note.textContent()) ?? '';
  }
  remoteItem(title: string): Locator {
    return this.page.getByTestId('sync-map-remote-item').filter({ hasText: title });
  }
  /** Types on the on-screen letter pad (pinyin initials), as a touch-only counter would. */
  async searchByPad(text: string): Promise<void> {
    await this.page.getByTestId('sync-map-pad').click();
    for (const ch of text) await this.page.locator(`[data-testid="sync-map-letterpad"] [data-key="${ch}"]`).click();
  }
  linkButton(skuId: string): Locator {
    return this.page.locator(`[data-testid="sync-map-link"][data-sku="${skuId}"]`);
  }
  linkedRow(skuId: string): Locator {
    return this.page.locator(`[data-testid="sync-map-linked-row"][data-sku="${skuId}"]`);
  }
}

/** 聚合订单. */
export class OrdersPage {
  readonly rows: Locator;
  readonly detail: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('order-row');
    this.detail = page.getByTestId('order-detail');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('nav-orders').click();
    await this.page.getByTestId('screen-orders').waitFor();
  }
  row(platformOrderId: string): Locator {
    return this.page.locator(`[data-testid="order-row"][data-order="${platformOrderId}"]`);
  }
  async refresh(): Promise<void> {
    await this.page.getByTestId('orders-refresh').click();
  }
  line(skuId: string): Locator {
    return this.detail.locator(`[data-testid="order-line"][data-sku="${skuId}"]`);
  }
}
