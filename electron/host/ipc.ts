// The Electron IPC binding (one of the three files that import electron). Every message's sender
// frame must be our own page; anything else is refused.
import { ipcMain, type WebContents, type WebFrameMain } from 'electron';
import { DISPLAY_EVENT, MAIN_ONLY_EVENTS } from '../../shared/api/events';
import type { Registry } from '../api/registry';
import type { Till } from '../till/till';

export const IPC_CALL = 'till:call';
export const IPC_EVENT = 'till:event';

export function isOwnFrame(frame: WebFrameMain | null, appOrigin: string): boolean {
  if (!frame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === 'file:' ? appOrigin === 'file://' : url.origin === appOrigin;
  } catch {
    return false;
  }
}

/**
 * `targets` are the cashier's windows, `displays` the customer display windows: the display's state
 * (DISPLAY_EVENT) goes to the displays only, every other window event to the cashier's windows only.
 */
export function bindIpc(registry: Registry, till: Till, appOrigin: string, targets: () => WebContents[], displays: () => WebContents[] = () => []): () => void {
  ipcMain.handle(IPC_CALL, async (event, name: unknown, input: unknown) => {
    if (!isOwnFrame(event.senderFrame, appOrigin)) {
      return { ok: false, error: { code: 'BAD_ORIGIN', message: '拒绝访问：来源不受信任' } };
    }
    if (typeof name !== 'string') return { ok: false, error: { code: 'BAD_INPUT', message: '接口名无效' } };
    return registry.call(name, input);
  });
  const off = till.events.onAny((name, payload) => {
    if (MAIN_ONLY_EVENTS.has(name)) return;
    for (const wc of name === DISPLAY_EVENT ? displays() : targets()) if (!wc.isDestroyed()) wc.send(IPC_EVENT, name, payload);
  });
  return () => {
    off();
    ipcMain.removeHandler(IPC_CALL);
  };
}
