// Page objects for what the app's key layer shows on any screen: the note after a scan outside 收银,
// and the 设置 screen's pieces the key tests use (the devices tab and its 添加设备 dialog).
import type { Locator, Page } from 'playwright-core';

/** "扫到 …：这里不能收银，请回到收银页" with its switch button. */
export class ScanElsewhereNote {
  readonly root: Locator;
  readonly go: Locator;
  readonly dismiss: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('scan-elsewhere');
    this.go = page.getByTestId('scan-elsewhere-go');
    this.dismiss = page.getByTestId('scan-elsewhere-dismiss');
  }
}

export class SettingsPage {
  readonly root: Locator;
  readonly deviceForm: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('screen-settings');
    this.deviceForm = page.getByTestId('device-form');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await this.root.waitFor();
  }
  /** 设备 → 添加设备 (a manager). */
  async addDevice(): Promise<void> {
    await this.page.getByTestId('settings-tab-devices').click();
    await this.page.getByTestId('device-add').click();
    await this.deviceForm.waitFor();
  }
}
