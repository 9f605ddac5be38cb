// Where the customer display page gets its content. Under Electron, the till's own IPC (a second
// window of the app). In a browser, the display's read-only link (设置 → 设备 → 顾客屏):
// /customer-display#display=<token> reads /display/state and /display/events, which answer the
// display's content and nothing else. Without that token the page says how to connect it.
import type { CustomerDisplayState } from '../../../shared/api';
import { call, on } from '../api/client';

export interface DisplaySource {
  state(): Promise<CustomerDisplayState>;
  /** New content as it comes; `connected` tells when the link to the till drops and comes back. */
  subscribe(onState: (s: CustomerDisplayState) => void, connected: (ok: boolean) => void): () => void;
}

const KEY = 'till.display';

function displayToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('display');
  if (fromHash) sessionStorage.setItem(KEY, fromHash);
  return fromHash ?? sessionStorage.getItem(KEY);
}

export function displaySource(): DisplaySource | null {
  if (window.till) {
    return {
      state: () => call('devices.displayState', {}),
      subscribe: (onState) => on('customerDisplay', onState),
    };
  }
  const token = displayToken();
  if (!token) return null;
  return {
    async state() {
      const res = await fetch('/display/state', { headers: { 'x-display-token': token } });
      const body = (await res.json()) as { ok: boolean; result?: CustomerDisplayState };
      if (!body.ok || !body.result) throw new Error(`display state ${res.status}`);
      return body.result;
    },
    subscribe(onState, connected) {
      const es = new EventSource(`/display/events?display=${encodeURIComponent(token)}`);
      es.addEventListener('customerDisplay', (e) => onState(JSON.parse((e as MessageEvent).data) as CustomerDisplayState));
      es.onopen = () => connected(true);
      es.onerror = () => connected(false); // the browser retries by itself
      return () => es.close();
    },
  };
}
