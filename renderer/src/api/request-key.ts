// Idempotency keys (requestId) for calls that move money: one key per user action with one body.
// A retry of the same action with the same body (after a lost connection, after the manager's PIN,
// after the cashier backed out and came back unchanged) keeps its key, so the main side answers the
// first result instead of charging or refunding twice. Anything else gets a new key: other lines,
// amounts or tenders, a cancel after a failed return, the next action once one went through. The main
// side refuses a known key with another body (IDEMPOTENCY_MISMATCH); keyed this way the UI never sends one.

/** JSON with object keys sorted at every depth: equal bodies give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** A random v4 UUID (the API's requestId format). */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16)); // crypto.randomUUID needs a secure context
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The keys of one screen. `for(endpoint, body)` gives the key of that call: the body is what is sent
 * without `requestId` and `approval` (the manager's single-use token changes on the approval retry
 * of the very same action). Every body tried since the last success keeps its own key, so going
 * back to a body tried before (whose outcome may be unknown) is still a retry of it.
 */
export class RequestKeys {
  private readonly keys = new Map<string, string>();

  for(endpoint: string, body: object): string {
    if ('requestId' in body || 'approval' in body) throw new Error('RequestKeys.for: pass the body without requestId and approval');
    const text = canonicalJson([endpoint, body]);
    let key = this.keys.get(text);
    if (!key) {
      key = newRequestId();
      this.keys.set(text, key);
    }
    return key;
  }

  /** An action went through: the next one is a new action even with the same body. */
  done(): void {
    this.keys.clear();
  }
}
