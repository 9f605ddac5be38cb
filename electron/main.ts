// The Electron shell: app lifecycle, the cashier's window and the customer display window, security
// settings. Everything else is plain Node in electron/till, electron/api and electron/devices. (This
// file cannot run on our CI machines: the Electron runtime cannot be downloaded there. It follows
// Electron's security checklist.)
import { app, BrowserWindow, safeStorage, screen, session, shell, type Rectangle } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { boot } from './host/boot';
import { CONTENT_SECURITY_POLICY } from './host/csp';
import { bindIpc } from './host/ipc';
import { safeStorageCipher, useSecretCipher } from './payments/secrets';
import { resolveDataDir } from './till/paths';

const here = dirname(fileURLToPath(import.meta.url));
const kiosk = process.argv.includes('--kiosk') || process.env.TILL_KIOSK === '1';
const forceCustomerDisplay = process.env.TILL_CUSTOMER_DISPLAY === '1';
let win: BrowserWindow | null = null;
let customerWin: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) app.quit();

const webPreferences = {
  preload: join(here, '../preload/preload.cjs'),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  spellcheck: false,
};

/** Our page only: no navigation away, no new windows (https links open in the system browser). */
function lockDown(w: BrowserWindow): void {
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  w.webContents.on('will-navigate', (event) => event.preventDefault());
}

app.whenReady().then(() => {
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'));
  useSecretCipher(safeStorageCipher(safeStorage)); // merchant secrets sealed by the OS (null: the fallback key file)
  const { till, registry } = boot({ dataDir, transport: 'electron' });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const appUrl = devUrl ?? pathToFileURL(join(here, '../renderer/index.html')).toString();
  const appOrigin = devUrl ? new URL(devUrl).origin : 'file://';

  win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    fullscreen: kiosk,
    kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#f4f5f7',
    webPreferences,
  });
  win.once('ready-to-show', () => win?.show());
  lockDown(win);

  // The customer display (客显) on a second monitor, when there is one.
  const openCustomerDisplay = () => {
    if (customerWin) return;
    const primary = screen.getPrimaryDisplay();
    const other = screen.getAllDisplays().find((d) => d.id !== primary.id);
    if (!other && !forceCustomerDisplay) return;
    const bounds: Rectangle = (other ?? primary).bounds;
    customerWin = new BrowserWindow({
      ...bounds,
      fullscreen: !!other,
      frame: false,
      focusable: false,
      backgroundColor: '#0f1419',
      webPreferences,
    });
    lockDown(customerWin);
    customerWin.on('closed', () => (customerWin = null));
    void customerWin.loadURL(`${appUrl}?view=customer-display`);
  };
  const closeCustomerDisplay = () => {
    if (screen.getAllDisplays().length < 2 && !forceCustomerDisplay) customerWin?.close();
  };
  screen.on('display-added', openCustomerDisplay);
  screen.on('display-removed', closeCustomerDisplay);

  const live = (...ws: (BrowserWindow | null)[]) => ws.filter((w): w is BrowserWindow => !!w && !w.isDestroyed()).map((w) => w.webContents);
  const unbind = bindIpc(registry, till, appOrigin, () => live(win), () => live(customerWin));
  app.on('before-quit', () => {
    unbind();
    till.close();
  });

  void win.loadURL(appUrl);
  openCustomerDisplay();
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => app.quit());
