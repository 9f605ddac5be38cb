// Preload (sandboxed): exposes exactly two functions as window.till. No ipcRenderer, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const IPC_CALL = 'till:call';
const IPC_EVENT = 'till:event';

contextBridge.exposeInMainWorld('till', {
  call: (name: string, input: unknown) => ipcRenderer.invoke(IPC_CALL, String(name), input),
  on: (event: string, fn: (payload: unknown) => void) => {
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) fn(payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
  transport: 'electron',
});
