// What the sync screen lists as 同步记录: every settled delivery (read from sync_deliveries: pushes and
// dead letters) and what else the engine did (sync_activity: polls that fetched something, reconciles,
// the drift they repaired, auto-matches), newest first, paged by an (at, id) cursor.
import { newId } from '../../shared/ids';
import { SYNC_PLATFORM_LABELS, type SyncActivityItem, type SyncActivityKind, type SyncActivityPage, type SyncPlatform } from '../../shared/api/sync';
import { TillError } from '../../shared/errors';
import type { TillDb } from '../till/db';
import { ABSOLUTE_PREFIX } from './relay-store';

export interface ActivityRecord {
  platform: string;
  kind: Exclude<SyncActivityKind, 'push' | 'dead_letter'>;
  ok: boolean;
  skuId?: string | null;
  summary: string;
  detail?: unknown;
}

export function recordActivity(db: TillDb, r: ActivityRecord, at: number): void {
  db.$client
    .prepare(`INSERT INTO sync_activity (id, at, platform, kind, ok, sku_id, summary, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(newId(), at, r.platform, r.kind, r.ok ? 1 : 0, r.skuId ?? null, r.summary, r.detail === undefined ? null : JSON.stringify(r.detail));
}

const OUTCOME: Record<string, string> = { applied: '已更新', already_applied: '平台已有（重复请求未再扣）', superseded: '已由绝对数覆盖', unmapped: '已取消关联，未发送' };

function parseCursor(cursor: string | undefined): { at: number; id: string } | null {
  if (!cursor) return null;
  const m = /^(\d{1,15}):(.{1,180})$/.exec(cursor);
  if (!m) throw new TillError('BAD_CURSOR', '翻页标记无效，请从第一页重新查看');
  return { at: Number(m[1]), id: m[2] };
}

interface Row {
  id: string;
  at: number;
  platform: string;
  kind: string;
  ok: number;
  sku_id: string | null;
  summary: string | null;
  outcome: string | null;
  last_error: string | null;
  payload: string | null;
  outbox_id: string | null;
  sku_name: string | null;
}

export function listActivity(db: TillDb, q: { platform?: string; cursor?: string; limit: number }): SyncActivityPage {
  const c = parseCursor(q.cursor);
  // Each arm walks its own time index newest first from the cursor and stops at a page; the SKU
  // names and payloads are read for that page only (the deliveries table grows with every sale).
  const rows = db.$client
    .prepare(
      `SELECT * FROM (
         SELECT * FROM (
           SELECT 'd' || d.platform || ':' || d.outbox_id AS id, d.done_at AS at, d.platform, CASE d.state WHEN 'dead' THEN 'dead_letter' ELSE 'push' END AS kind,
                  d.state = 'done' AS ok, d.sku_id, NULL AS summary, d.outcome, d.last_error, d.outbox_id
             FROM sync_deliveries d
            WHERE d.done_at <= :until AND (:platform IS NULL OR d.platform = :platform)
              AND (d.done_at < :until OR 'd' || d.platform || ':' || d.outbox_id < :id)
            ORDER BY d.done_at DESC, id DESC LIMIT :limit)
         UNION ALL
         SELECT * FROM (
           SELECT 'a' || id AS id, at, platform, kind, ok, sku_id, summary, NULL AS outcome, NULL AS last_error, NULL AS outbox_id
             FROM sync_activity
            WHERE at <= :until AND (:platform IS NULL OR platform = :platform) AND (at < :until OR 'a' || id < :id)
            ORDER BY at DESC, id DESC LIMIT :limit)
       ) ORDER BY at DESC, id DESC LIMIT :limit`,
    )
    .all({ platform: q.platform ?? null, until: c?.at ?? Number.MAX_SAFE_INTEGER, id: c?.id ?? '\uffff', limit: q.limit + 1 }) as Row[];
  const payload = db.$client.prepare(`SELECT payload FROM outbox WHERE id = ?`).pluck();
  const name = db.$client.prepare(`SELECT name FROM skus WHERE id = ?`).pluck();
  for (const r of rows) {
    r.payload = r.outbox_id ? ((payload.get(r.outbox_id) as string | undefined) ?? null) : null;
    r.sku_name = r.sku_id ? ((name.get(r.sku_id) as string | undefined) ?? null) : null;
  }
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit).map(toItem);
  const last = rows[q.limit - 1];
  return { items, nextCursor: more && last ? `${last.at}:${last.id}` : null };
}

function toItem(r: Row): SyncActivityItem {
  const name = SYNC_PLATFORM_LABELS[r.platform as SyncPlatform] ?? r.platform;
  let summary = r.summary ?? '';
  if (r.kind === 'push' || r.kind === 'dead_letter') {
    const absolute = r.id.includes(`:${ABSOLUTE_PREFIX}`) || !r.payload;
    const delta = r.payload ? Number((JSON.parse(r.payload) as { qtyDelta?: number }).qtyDelta ?? 0) / 1000 : 0;
    const what = absolute ? `库存数 → ${name}` : `库存 ${delta > 0 ? '+' : ''}${delta} → ${name}`;
    summary = r.kind === 'dead_letter' ? `${what}：失败，待处理（${r.last_error ?? ''}）` : `${what}：${OUTCOME[r.outcome ?? ''] ?? r.outcome ?? ''}`;
  }
  return {
    id: r.id,
    at: r.at,
    platform: r.platform as SyncPlatform,
    kind: r.kind as SyncActivityKind,
    ok: !!r.ok,
    summary,
    skuId: r.sku_id,
    skuName: r.sku_name,
    outcome: r.kind === 'push' ? r.outcome : null,
  };
}
