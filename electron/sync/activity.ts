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
  sku_name: string | null;
}

export function listActivity(db: TillDb, q: { platform?: string; cursor?: string; limit: number }): SyncActivityPage {
  const c = parseCursor(q.cursor);
  const rows = db.$client
    .prepare(
      `SELECT a.*, s.name AS sku_name FROM (
         SELECT 'd' || d.platform || ':' || d.outbox_id AS id, d.done_at AS at, d.platform, CASE d.state WHEN 'dead' THEN 'dead_letter' ELSE 'push' END AS kind,
                d.state = 'done' AS ok, d.sku_id, NULL AS summary, d.outcome, d.last_error, o.payload
           FROM sync_deliveries d LEFT JOIN outbox o ON o.id = d.outbox_id
          WHERE d.done_at IS NOT NULL AND (:platform IS NULL OR d.platform = :platform)
         UNION ALL
         SELECT 'a' || id, at, platform, kind, ok, sku_id, summary, NULL, NULL, NULL FROM sync_activity WHERE (:platform IS NULL OR platform = :platform)
       ) a LEFT JOIN skus s ON s.id = a.sku_id
       WHERE :at IS NULL OR a.at < :at OR (a.at = :at AND a.id < :id)
       ORDER BY a.at DESC, a.id DESC LIMIT :limit`,
    )
    .all({ platform: q.platform ?? null, at: c?.at ?? null, id: c?.id ?? '', limit: q.limit + 1 }) as Row[];
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
