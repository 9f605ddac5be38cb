// The renderer's one way to the till: window.till under Electron (IPC through the preload), else the
// browser host over HTTP with the per-run token. Calls are typed by the shared API map.
import type { ApiInput, ApiName, ApiOutput, TillEvents } from '../../../shared/api';
import i18next from 'i18next';
import type { ApiError } from '../../../shared/errors';
import { errorSentenceEn } from '../i18n/errors';

interface TillBridge {
  call(name: string, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiError }>;
  on(event: string, fn: (payload: unknown) => void): () => void;
  transport: 'electron';
}
declare global {
  interface Window {
    till?: TillBridge;
  }
}

export class ApiCallError extends Error implements ApiError {
  /** The main side's own (Chinese) message, for logs; `message` is the sentence for the screen. */
  readonly serverMessage: string;
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(screenMessage(code, message, details));
    this.serverMessage = message;
  }
}

/** The refusal in the user's language: the main side's Chinese, or in English the sentence for its code. */
function screenMessage(code: string, message: string, details: unknown): string {
  if (i18next.language?.startsWith('zh') ?? true) return message;
  const action = (details as { action?: unknown } | undefined)?.action;
  const actionText = typeof action === 'string' && i18next.exists(`approval.actions.${action}`) ? i18next.t(`approval.actions.${action}`) : undefined;
  return errorSentenceEn(code, details, actionText ? { actionText } : {});
}

function readToken(): string {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const fromHash = hash.get('token');
  if (fromHash) {
    sessionStorage.setItem('till.token', fromHash);
    hash.delete('token');
    const rest = hash.toString();
    history.replaceState(null, '', window.location.pathname + window.location.search + (rest ? `#${rest}` : ''));
    return fromHash;
  }
  return sessionStorage.getItem('till.token') ?? '';
}

const token = window.till ? '' : readToken();

async function httpCall(name: string, input: unknown) {
  const res = await fetch(`/api/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-till-token': token },
    body: JSON.stringify(input ?? {}),
  });
  try {
    return (await res.json()) as { ok: true; result: unknown } | { ok: false; error: ApiError };
  } catch {
    return { ok: false as const, error: { code: 'NETWORK', message: '与收银主程序的连接中断' } };
  }
}

export async function call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
  let reply;
  try {
    reply = window.till ? await window.till.call(name, input) : await httpCall(name, input);
  } catch {
    throw new ApiCallError('NETWORK', '与收银主程序的连接中断');
  }
  if (!reply.ok) throw new ApiCallError(reply.error.code, reply.error.message, reply.error.details);
  return reply.result as ApiOutput<N>;
}

let source: EventSource | null = null;
const listeners = new Map<string, Set<(p: unknown) => void>>();

export function on<E extends keyof TillEvents>(event: E, fn: (payload: TillEvents[E]) => void): () => void {
  if (window.till) return window.till.on(event, fn as (p: unknown) => void);
  if (!source) {
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  }
  let set = listeners.get(event);
  if (!set) {
    set = new Set();
    listeners.set(event, set);
    source.addEventListener(event, (e) => {
      const payload = JSON.parse((e as MessageEvent).data);
      for (const f of listeners.get(event) ?? []) f(payload);
    });
  }
  set.add(fn as (p: unknown) => void);
  return () => set!.delete(fn as (p: unknown) => void);
}

export const transport: 'electron' | 'browser' = window.till ? 'electron' : 'browser';

/**
 * The link a second screen opens to show the customer display (browser host: its read-only display
 * token in the hash); null under Electron, where the display window opens on the second monitor itself.
 */
export async function displayLink(): Promise<string | null> {
  if (window.till) return null;
  let body: { ok: true; result: { url: string | null } } | { ok: false; error: ApiError };
  try {
    body = await (await fetch('/api/display-link', { headers: { 'x-till-token': token } })).json();
  } catch {
    throw new ApiCallError('NETWORK', '与收银主程序的连接中断');
  }
  if (!body.ok) throw new ApiCallError(body.error.code, body.error.message, body.error.details);
  return body.result.url;
}
