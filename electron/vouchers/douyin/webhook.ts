// Douyin 来客 webhooks (../shared/PLATFORMS.md §3.4): checked from the raw body exactly as sent —
// X-Douyin-Signature = sha1_hex(client_secret + raw_body) — deduplicated on Msg-Id, the URL check
// answered with its challenge. A push is a hint (§7.5): the till re-reads the redemption's state, it never
// trusts the push alone. (The till has no public address; this is for a relay that forwards pushes.)
import { createHash, timingSafeEqual } from 'node:crypto';

export type DouyinPush =
  | { kind: 'challenge'; reply: { challenge: unknown } }
  | { kind: 'certificate'; msgId: string; duplicate: boolean; action: string; certificateId: string; orderId: string }
  | { kind: 'other'; msgId: string; duplicate: boolean; event: string };

export class BadPush extends Error {}

export function createDouyinWebhook(clientSecret: string, seenLimit = 10_000) {
  const seen = new Set<string>();
  return (rawBody: Buffer, headers: Record<string, string | string[] | undefined>): DouyinPush => {
    const h = (n: string) => {
      const v = headers[n.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const sig = h('X-Douyin-Signature') ?? '';
    const want = createHash('sha1').update(Buffer.concat([Buffer.from(clientSecret, 'utf8'), rawBody])).digest('hex');
    if (sig.length !== want.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(want))) throw new BadPush('签名错误');
    let msg: { event?: string; content?: unknown };
    try {
      msg = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new BadPush('消息不是 JSON');
    }
    const content = typeof msg.content === 'string' ? (JSON.parse(msg.content) as Record<string, any>) : ((msg.content ?? {}) as Record<string, any>);
    if (msg.event === 'verify_webhook') return { kind: 'challenge', reply: { challenge: content.challenge } };
    const msgId = h('Msg-Id') ?? '';
    const duplicate = seen.has(msgId);
    if (!duplicate) {
      seen.add(msgId);
      if (seen.size > seenLimit) seen.delete(seen.values().next().value!);
    }
    if (msg.event === 'life_trade_certificate_notify') {
      return { kind: 'certificate', msgId, duplicate, action: String(content.action ?? ''), certificateId: String(content.certificate?.certificate_id ?? ''), orderId: String(content.certificate?.order_id ?? '') };
    }
    return { kind: 'other', msgId, duplicate, event: String(msg.event ?? '') };
  };
}
