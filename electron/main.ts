// The Electron shell: app lifecycle, one window, security settings. Everything else is plain Node in
// electron/till, electron/api and electron/devices. (This file cannot run on our CI machines: the
// Electron runtime cannot be downloaded there. It follows Electron's security checklist.)
import { app, BrowserWindow, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { boot } from './host/boot';
import { CONTENT_SECURITY_POLICY } from './host/csp';
import { bindIpc } from './host/ipc';
import { resolveDataDir } from './till/paths';

const here = dirname(fileURLToPath(import.meta.url));
const kiosk = process.argv.includes('--kiosk') || process.env.TILL_KIOSK === '1';
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'));
  const { till, registry } = boot({ dataDir, transport: 'electron' });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const indexFile = join(here, '../renderer/index.html');
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
    webPreferences: {
      preload: join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());

  const unbind = bindIpc(registry, till, appOrigin, () => (win ? [win.webContents] : []));
  app.on('before-quit', () => {
    unbind();
    till.close();
  });

  if (devUrl) void win.loadURL(devUrl);
  else void win.loadURL(pathToFileURL(indexFile).toString());
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => app.quit());
