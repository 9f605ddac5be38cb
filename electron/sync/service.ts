// The sync service in the service context (`services.sync`): owns the SyncAgent (the worker thread),
// starts it when at least one platform is enabled, restarts it with new connectors after a settings
// change, seals the tokens the worker reports, and answers the sync endpoints. Reads that need no
// platform (backlog, dead letters, activity, mapping) go to SQLite directly, so they work with the
// worker down; the till sells whatever the worker or the network does.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import {
  CONFIGURABLE_PLATFORMS,
  SYNC_PLATFORM_LABELS,
  type ConfigurablePlatform,
  type SaveSyncSettingsInput,
  type SyncAutoMatchPlatform,
  type SyncAutoMatchReport,
  type SyncDeadLetter,
  type SyncMappingPage,
  type SyncMappingRow,
  type SyncPlatform,
  type SyncPlatformItemsPage,
  type SyncPlatformStatus,
  type SyncReconcilePlatform,
  type SyncReconcileReport,
  type SyncSettingsView,
  type SyncStatusView,
  type SyncTestResult,
} from '../../shared/api/sync';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import { audit } from '../till/audit';
import { skuMapping } from '../till/schema';
import type { Till } from '../till/till';
import { recordActivity } from './activity';
import { SyncAgent } from './agent';
import { SyncError, type PlatformItem, type ShopConnector } from './connector';
import { buildConnector } from './connectors';
import type { PlatformStatus, SyncPolicy } from './engine';
import { linkSku } from './mapping';
import { dismissDeadLetter, enqueueAbsolute, pendingCount, retryDeadLetter } from './relay-store';
import { expectedFigure } from './expected';
import { connectorSettingsOf, enabledPlatforms, identityOf, readSyncSettings, runnableConnectors, saveSyncSettings, saveToken } from './settings';

export interface SyncServiceOptions {
  policy?: Partial<SyncPolicy>;
  seed?: number;
  /** How often the full reconcile with drift report runs while the agent runs (0: never). */
  reconcileEveryMs?: number;
  /** Timeout of one platform call made from the main thread (test connection, item lists). */
  timeoutMs?: number;
  /** Pause before a crashed worker is started again. */
  restartAfterMs?: number;
}

/**
 * The agent runs on real time: the relay waits briefly for its rate limit's next token rather than
 * sleeping a whole round, and bursts little (a platform counting calls per second is not tipped over).
 */
const REAL_TIME_POLICY: Partial<SyncPolicy> = { waitForTokenMs: 250, passMs: 2_000, burstSeconds: 0.05 };

const NAME = (p: string) => SYNC_PLATFORM_LABELS[p as SyncPlatform] ?? p;

export class SyncService {
  private agent: SyncAgent | null = null;
  private problems: Partial<Record<ConfigurablePlatform, string>> = {};
  private chain: Promise<void> = Promise.resolve();
  private reconcileTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** One holder for this process's agents: a restarted worker takes its own lease back at once. */
  readonly holder: string;

  constructor(
    readonly till: Till,
    private readonly opts: SyncServiceOptions = {},
  ) {
    this.holder = `${till.tillId}:${process.pid}:${randomBytes(4).toString('hex')}`;
    till.onClose(() => void this.stop());
  }

  /** Starts the agent when a platform is enabled (a no-op otherwise). Never throws: a problem shows in status. */
  start(): Promise<void> {
    return this.enqueue(async () => this.startNow());
  }

  /** Stops the running agent (its lease given up, its round finished) and starts one with the saved settings. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopAgent();
      this.startNow();
    });
  }

  /** Resolves once every start/restart asked for so far is done. */
  settled(): Promise<void> {
    return this.chain;
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.enqueue(() => this.stopAgent());
  }

  /** The running agent (tests: kill it as a crash would). */
  get currentAgent(): SyncAgent | null {
    return this.agent;
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch((e: unknown) => log.error('sync agent start/stop failed', { error: e instanceof Error ? e.message : String(e) }));
    return this.chain;
  }

  private startNow(): void {
    if (this.closed || this.agent) return;
    const { settings, problems } = runnableConnectors(this.till);
    this.problems = problems;
    if (!settings.length) return;
    // The shops this worker was started for: a token it reports after the settings moved on is dropped.
    const shops = new Map<string, string>(settings.map((s) => [s.platform, (CONFIGURABLE_PLATFORMS as readonly string[]).includes(s.platform) ? identityOf(this.till, s.platform as ConfigurablePlatform) : '']));
    const agent = new SyncAgent(
      { dbFile: this.till.dbFile, holder: this.holder, connectors: settings, policy: { ...REAL_TIME_POLICY, ...this.opts.policy }, seed: this.opts.seed },
      {
        onToken: (p, token) => this.keepToken(p, token, shops.get(p)),
        // A crashed thread is started again after a pause (its lease and deliveries are in SQLite).
        onCrash: () => {
          log.warn('sync worker ended unexpectedly; starting it again');
          setTimeout(() => {
            if (this.agent === agent && !agent.running && !this.closed) agent.start();
          }, this.opts.restartAfterMs ?? 5_000).unref();
        },
      },
    );
    agent.start();
    this.agent = agent;
    const every = this.opts.reconcileEveryMs ?? 6 * 3600_000;
    if (every > 0) {
      this.reconcileTimer = setInterval(() => void this.reconcile(undefined, null).catch(() => undefined), every);
      this.reconcileTimer.unref();
    }
    log.info('sync agent started', { platforms: settings.map((s) => s.platform) });
  }

  private async stopAgent(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = null;
    const a = this.agent;
    this.agent = null;
    await a?.stop();
  }

  private keepToken(p: string, token: Parameters<typeof saveToken>[2], forIdentity?: string): void {
    if (!(CONFIGURABLE_PLATFORMS as readonly string[]).includes(p)) return;
    try {
      saveToken(this.till, p as ConfigurablePlatform, token, forIdentity);
    } catch (e) {
      log.warn('sync token not saved', { platform: p, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** The agent, started again if its thread died; SYNC_NO_PLATFORM when nothing is enabled. */
  private liveAgent(): SyncAgent {
    if (!this.agent) {
      if (!enabledPlatforms(this.till).length) throw new TillError('SYNC_NO_PLATFORM', '没有启用的网店平台：请在 设置 → 网店平台 中启用');
      const why = Object.values(this.problems)[0];
      throw new TillError('SYNC_OFF', why ?? '同步服务未启动');
    }
    if (!this.agent.running) this.agent.start();
    return this.agent;
  }

  // ---- status ------------------------------------------------------------------------------------------

  async status(): Promise<SyncStatusView> {
    const enabled = new Set<string>(enabledPlatforms(this.till));
    let engine: PlatformStatus[] = [];
    if (this.agent?.running) engine = await this.agent.status().catch(() => []);
    const db = this.till.db;
    const deadCount = db.$client.prepare(`SELECT count(*) FROM sync_dead_letters WHERE resolved_at IS NULL AND platform = ?`).pluck();
    const ids = [...new Set<string>([...CONFIGURABLE_PLATFORMS, ...engine.map((e) => e.platform)])];
    const platforms: SyncPlatformStatus[] = ids.map((p) => {
      const e = engine.find((x) => x.platform === p);
      const problem = this.problems[p as ConfigurablePlatform];
      const lastError = e?.lastError ?? (enabled.has(p) && problem ? { code: 'SYNC_SETTINGS_INCOMPLETE', message: problem, at: this.till.now() } : null);
      const lastSuccessAt = e?.lastSuccessAt ?? null;
      return {
        platform: p as SyncPlatform,
        label: NAME(p),
        enabled: enabled.has(p) || !!e,
        configured: !!e,
        connected: lastError && (lastSuccessAt ?? 0) <= lastError.at ? false : lastSuccessAt ? true : null,
        lastSuccessAt,
        lastPollAt: e?.lastPollAt ?? null,
        backlog: pendingCount(db, p),
        deadLetters: deadCount.get(p) as number,
        lastError,
      };
    });
    return {
      agent: enabled.size === 0 && !this.agent ? 'off' : this.agent?.running ? 'running' : 'stopped',
      platforms,
      backlog: platforms.reduce((n, p) => n + p.backlog, 0),
      deadLetters: platforms.reduce((n, p) => n + p.deadLetters, 0),
    };
  }

  /** One round now (push the backlog, pull every platform's orders even before the poll is due), then the status. */
  async syncNow(): Promise<SyncStatusView> {
    await this.liveAgent().syncNow(true);
    return this.status();
  }

  // ---- dead letters ------------------------------------------------------------------------------------

  deadLetters(platform?: string): SyncDeadLetter[] {
    const rows = this.till.db.$client
      .prepare(
        `SELECT d.id, d.platform, d.sku_id, s.name AS sku_name, (SELECT min(b.code) FROM barcodes b WHERE b.sku_id = d.sku_id) AS barcode,
                d.reason, d.error_code, d.attempts, d.created_at
           FROM sync_dead_letters d LEFT JOIN skus s ON s.id = d.sku_id
          WHERE d.resolved_at IS NULL AND (? IS NULL OR d.platform = ?) ORDER BY d.created_at, d.id`,
      )
      .all(platform ?? null, platform ?? null) as Record<string, never>[];
    return rows.map((r) => ({
      id: r.id,
      platform: r.platform,
      skuId: r.sku_id,
      skuName: r.sku_name,
      barcode: r.barcode,
      reason: r.reason,
      errorCode: r.error_code,
      attempts: r.attempts,
      createdAt: r.created_at,
    }));
  }

  /** A person sends a dead letter again (or dismisses it): checked, done and audited in one transaction. */
  resolveDeadLetter(id: string, how: 'retry' | 'dismiss'): { ok: true } {
    const session = this.till.auth.requireSession();
    const now = this.till.now();
    this.till.tx(() => {
      const row = this.till.db.$client.prepare(`SELECT platform, sku_id, resolved_at FROM sync_dead_letters WHERE id = ?`).get(id) as
        | { platform: string; sku_id: string | null; resolved_at: number | null }
        | undefined;
      if (!row) throw new TillError('SYNC_DEAD_LETTER_NOT_FOUND', '没有这条同步失败记录');
      if (row.resolved_at !== null) throw new TillError('SYNC_DEAD_LETTER_RESOLVED', '这条同步失败已处理过（已重发或已忽略）');
      const done = how === 'retry' ? retryDeadLetter(this.till.db, id, session.userId, now) : dismissDeadLetter(this.till.db, id, session.userId, now);
      if (!done) throw new TillError('SYNC_DEAD_LETTER_RESOLVED', '这条同步失败已处理过（已重发或已忽略）');
      audit(this.till.sqlite, { userId: session.userId, action: `sync.${how}`, target: id, details: { platform: row.platform, skuId: row.sku_id } }, now);
    });
    if (how === 'retry' && this.agent?.running) void this.agent.syncNow().catch(() => undefined);
    return { ok: true };
  }

  // ---- settings ----------------------------------------------------------------------------------------

  settings(): SyncSettingsView {
    return readSyncSettings(this.till);
  }

  /** Saves, then restarts the worker with the new connectors (in the background: the answer does not wait for it). */
  saveSettings(input: SaveSyncSettingsInput): SyncSettingsView {
    const { view, changed } = saveSyncSettings(this.till, input);
    if (changed.length) void this.restart();
    return view;
  }

  /** A connector built in the main thread from the saved settings (test connection, item lists). */
  private connectorFor(p: ConfigurablePlatform): ShopConnector {
    const s = connectorSettingsOf(this.till, p);
    if (typeof s === 'string') throw new TillError('SYNC_SETTINGS_INCOMPLETE', s);
    const shop = identityOf(this.till, p);
    return buildConnector({ ...s, timeoutMs: this.opts.timeoutMs ?? 12_000, onToken: (t) => this.keepToken(p, t, shop) } as typeof s);
  }

  async testConnection(p: ConfigurablePlatform): Promise<SyncTestResult> {
    const session = this.till.auth.requireSession();
    let result: SyncTestResult;
    try {
      const c = this.connectorFor(p);
      const n = await probe(c);
      result = { ok: true, message: `连接正常：${NAME(p)}已授权并答复（在售商品 ${n} 件）` };
    } catch (e) {
      result = { ok: false, message: e instanceof SyncError || e instanceof TillError ? e.message : `测试失败：${e instanceof Error ? e.message.slice(0, 120) : String(e)}` };
    }
    log.info('sync connection test', { platform: p, ok: result.ok });
    audit(this.till.sqlite, { userId: session.userId, action: 'sync.testConnection', target: p, details: { ok: result.ok } }, this.till.now());
    return result;
  }

  // ---- platform items, auto-match ----------------------------------------------------------------------

  /** The platforms to list: the one asked for, or every enabled one with complete settings. */
  private targets(platform?: ConfigurablePlatform): ConfigurablePlatform[] {
    if (platform) return [platform];
    const on = enabledPlatforms(this.till).filter((p) => typeof connectorSettingsOf(this.till, p) !== 'string');
    if (!on.length) throw new TillError('SYNC_NO_PLATFORM', '没有启用的网店平台：请在 设置 → 网店平台 中启用');
    return on;
  }

  /** Lists the platform's items and keeps them (sync_platform_items) for manual linking. */
  private async listAndKeep(p: ConfigurablePlatform): Promise<PlatformItem[]> {
    const c = this.connectorFor(p);
    if (!c.listItems) throw new TillError('SYNC_UNSUPPORTED', `${NAME(p)}暂不支持读取商品列表`);
    const items = await c.listItems();
    const now = this.till.now();
    this.till.tx(() => {
      const $ = this.till.db.$client;
      $.prepare(`DELETE FROM sync_platform_items WHERE platform = ?`).run(p);
      const ins = $.prepare(
        `INSERT OR REPLACE INTO sync_platform_items (platform, item_id, platform_sku_id, title, barcode, code, quantity, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const i of items) ins.run(p, i.itemId, i.platformSkuId ?? '', i.title, i.barcode, i.code, i.quantity, now);
    });
    return items;
  }

  async autoMatch(platform?: ConfigurablePlatform): Promise<SyncAutoMatchReport> {
    const session = this.till.auth.requireSession();
    const out: SyncAutoMatchPlatform[] = [];
    for (const p of this.targets(platform)) {
      let items: PlatformItem[];
      try {
        items = await this.listAndKeep(p);
      } catch (e) {
        if (!(e instanceof SyncError) && !(e instanceof TillError)) throw e;
        out.push({ platform: p, ok: false, error: e.message, listed: 0, matched: 0, alreadyLinked: 0, ambiguous: 0, unmatched: 0 });
        continue;
      }
      const r = this.till.tx(() => {
        const r = matchAndLink(this.till, p, items, this.till.now());
        const summary = `自动匹配：读到 ${items.length} 个，新关联 ${r.matched}，已关联 ${r.alreadyLinked}，多个可能 ${r.ambiguous}，未匹配 ${r.unmatched}`;
        recordActivity(this.till.db, { platform: p, kind: 'auto_match', ok: true, summary, detail: r }, this.till.now());
        audit(this.till.sqlite, { userId: session.userId, action: 'sync.autoMatch', target: p, details: r }, this.till.now());
        return r;
      });
      out.push({ platform: p, ok: true, error: null, listed: items.length, ...r });
    }
    return { platforms: out };
  }

  // ---- mapping -----------------------------------------------------------------------------------------

  mappingList(q: { platform?: string; filter: 'all' | 'matched' | 'unmatched'; search?: string; offset: number; limit: number }): SyncMappingPage {
    const $ = this.till.db.$client;
    const like = q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const linked = `EXISTS (SELECT 1 FROM sku_mapping m WHERE m.sku_id = s.id AND (:platform IS NULL OR m.platform = :platform))`;
    const where = `s.active = 1
      AND (:like IS NULL OR s.name LIKE :like ESCAPE '\\' OR s.code LIKE :like ESCAPE '\\' OR s.initials LIKE :like ESCAPE '\\'
           OR EXISTS (SELECT 1 FROM barcodes b WHERE b.sku_id = s.id AND b.code LIKE :like ESCAPE '\\'))
      ${q.filter === 'matched' ? `AND ${linked}` : q.filter === 'unmatched' ? `AND NOT ${linked}` : ''}`;
    const params = { platform: q.platform ?? null, like };
    const total = $.prepare(`SELECT count(*) FROM skus s WHERE ${where}`).pluck().get(params) as number;
    const skus = $.prepare(
      `SELECT s.id, s.name, s.code, s.stock_qty, (SELECT min(b.code) FROM barcodes b WHERE b.sku_id = s.id) AS barcode
         FROM skus s WHERE ${where} ORDER BY s.name, s.id LIMIT :limit OFFSET :offset`,
    ).all({ ...params, limit: q.limit, offset: q.offset }) as { id: string; name: string; code: string; stock_qty: number; barcode: string | null }[];
    return { rows: this.rowsOf(skus), total, offset: q.offset };
  }

  private rowsOf(skus: { id: string; name: string; code: string; stock_qty: number; barcode: string | null }[]): SyncMappingRow[] {
    const links = this.till.db.$client.prepare(
      `SELECT m.platform, m.item_id, m.platform_sku_id, m.matched_by, pi.title FROM sku_mapping m
         LEFT JOIN sync_platform_items pi ON pi.platform = m.platform AND pi.item_id = m.item_id AND pi.platform_sku_id = coalesce(m.platform_sku_id, '')
        WHERE m.sku_id = ? ORDER BY m.platform`,
    );
    return skus.map((s) => ({
      skuId: s.id,
      name: s.name,
      barcode: s.barcode,
      code: s.code || null,
      stock: Math.floor(s.stock_qty / 1000),
      links: (links.all(s.id) as { platform: string; item_id: string; platform_sku_id: string | null; matched_by: 'barcode' | 'code' | 'manual'; title: string | null }[]).map(
        (l) => ({ platform: l.platform as SyncPlatform, itemId: l.item_id, platformSkuId: l.platform_sku_id, matchedBy: l.matched_by, title: l.title }),
      ),
    }));
  }

  private rowOf(skuId: string): SyncMappingRow {
    const s = this.till.db.$client
      .prepare(`SELECT s.id, s.name, s.code, s.stock_qty, (SELECT min(b.code) FROM barcodes b WHERE b.sku_id = s.id) AS barcode FROM skus s WHERE s.id = ?`)
      .get(skuId) as { id: string; name: string; code: string; stock_qty: number; barcode: string | null } | undefined;
    if (!s) throw new TillError('SYNC_SKU_NOT_FOUND', '没有这个商品');
    return this.rowsOf([s])[0];
  }

  platformItems(q: { platform: string; unlinkedOnly: boolean; search?: string; offset: number; limit: number }): SyncPlatformItemsPage {
    const $ = this.till.db.$client;
    const like = q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const from = `FROM sync_platform_items pi LEFT JOIN sku_mapping m ON m.platform = pi.platform AND m.item_id = pi.item_id AND coalesce(m.platform_sku_id, '') = pi.platform_sku_id
      WHERE pi.platform = :platform ${q.unlinkedOnly ? 'AND m.sku_id IS NULL' : ''}
        AND (:like IS NULL OR pi.title LIKE :like ESCAPE '\\' OR pi.code LIKE :like ESCAPE '\\' OR pi.barcode LIKE :like ESCAPE '\\' OR pi.item_id LIKE :like ESCAPE '\\')`;
    const params = { platform: q.platform, like };
    const total = $.prepare(`SELECT count(*) ${from}`).pluck().get(params) as number;
    const rows = $.prepare(`SELECT pi.*, m.sku_id AS linked ${from} ORDER BY pi.title, pi.item_id, pi.platform_sku_id LIMIT :limit OFFSET :offset`).all({
      ...params,
      limit: q.limit,
      offset: q.offset,
    }) as Record<string, never>[];
    return {
      total,
      offset: q.offset,
      items: rows.map((r) => ({
        platform: r.platform,
        itemId: r.item_id,
        platformSkuId: r.platform_sku_id || null,
        title: r.title,
        barcode: r.barcode,
        code: r.code,
        quantity: r.quantity,
        linkedSkuId: r.linked,
        seenAt: r.seen_at,
      })),
    };
  }

  link(input: { skuId: string; platform: ConfigurablePlatform; itemId: string; platformSkuId: string | null }): SyncMappingRow {
    const session = this.till.auth.requireSession();
    const { skuId, platform, itemId, platformSkuId } = input;
    if (platform === 'doudian' && !platformSkuId) throw new TillError('SYNC_NEED_SKU_ID', '抖店商品须选到 SKU（抖店库存按 SKU 同步）');
    if (!/^\d{1,20}$/.test(itemId) || (platformSkuId !== null && !/^\d{1,20}$/.test(platformSkuId))) {
      throw new TillError('SYNC_BAD_PLATFORM_ID', `${NAME(platform)}的商品 ID 和 SKU ID 都是数字`);
    }
    this.till.tx(() => {
      const sku = this.till.db.$client.prepare(`SELECT active FROM skus WHERE id = ?`).get(skuId) as { active: number } | undefined;
      if (!sku) throw new TillError('SYNC_SKU_NOT_FOUND', '没有这个商品');
      const taken = this.till.db.$client
        .prepare(`SELECT m.sku_id, s.name FROM sku_mapping m JOIN skus s ON s.id = m.sku_id WHERE m.platform = ? AND m.item_id = ? AND coalesce(m.platform_sku_id, '') = ? AND m.sku_id <> ?`)
        .get(platform, itemId, platformSkuId ?? '', skuId) as { sku_id: string; name: string } | undefined;
      if (taken) throw new TillError('SYNC_ITEM_TAKEN', `这个${NAME(platform)}商品已关联到“${taken.name}”：请先取消那个关联`);
      const now = this.till.now();
      linkSku(this.till.db, { skuId, platform, itemId, platformSkuId, matchedBy: 'manual' }, now);
      audit(this.till.sqlite, { userId: session.userId, action: 'sync.link', target: skuId, details: { platform, itemId, platformSkuId } }, now);
    });
    return this.rowOf(skuId);
  }

  unlink(input: { skuId: string; platform: ConfigurablePlatform }): SyncMappingRow {
    const session = this.till.auth.requireSession();
    this.till.tx(() => {
      const gone = this.till.db.delete(skuMapping).where(and(eq(skuMapping.skuId, input.skuId), eq(skuMapping.platform, input.platform))).run();
      if (gone.changes !== 1) throw new TillError('SYNC_NOT_LINKED', `这个商品没有关联${NAME(input.platform)}`);
      audit(this.till.sqlite, { userId: session.userId, action: 'sync.unlink', target: input.skuId, details: { platform: input.platform } }, this.till.now());
    });
    return this.rowOf(input.skuId);
  }

  // ---- full reconcile ----------------------------------------------------------------------------------

  /**
   * Reads each platform's stock, compares every mapped SKU with what it should show, and repairs drift
   * by queueing an absolute push (the relay computes the figure again when it sends it). Every drift
   * is recorded (sync.activity); `userId` null for the periodic run.
   */
  async reconcile(platform: ConfigurablePlatform | undefined, userId: string | null): Promise<SyncReconcileReport> {
    const at = this.till.now();
    const out: SyncReconcilePlatform[] = [];
    const targets = platform ? [platform] : enabledPlatforms(this.till).filter((p) => typeof connectorSettingsOf(this.till, p) !== 'string');
    for (const p of targets) {
      let items: PlatformItem[];
      try {
        items = await this.listAndKeep(p);
      } catch (e) {
        if (!(e instanceof SyncError) && !(e instanceof TillError)) throw e;
        out.push({ platform: p, ok: false, error: e.message, checked: 0, missing: 0, drifts: [], repaired: 0 });
        this.till.tx(() => recordActivity(this.till.db, { platform: p, kind: 'reconcile', ok: false, summary: `全量对账失败：${e.message}` }, this.till.now()));
        continue;
      }
      const byRef = new Map(items.map((i) => [`${i.itemId}:${i.platformSkuId ?? ''}`, i]));
      out.push(
        this.till.tx(() => {
          const now = this.till.now();
          const db = this.till.db;
          const mapped = db.$client
            .prepare(`SELECT m.sku_id, m.item_id, m.platform_sku_id, s.name FROM sku_mapping m JOIN skus s ON s.id = m.sku_id WHERE m.platform = ? ORDER BY s.name`)
            .all(p) as { sku_id: string; item_id: string; platform_sku_id: string | null; name: string }[];
          const r: SyncReconcilePlatform = { platform: p, ok: true, error: null, checked: 0, missing: 0, drifts: [], repaired: 0 };
          for (const m of mapped) {
            const item = byRef.get(`${m.item_id}:${m.platform_sku_id ?? ''}`);
            if (!item) {
              r.missing++;
              continue;
            }
            r.checked++;
            // A SKU with moves still waiting to be sent is not drift: the relay is about to change it.
            if (item.quantity === null || pendingFor(db, p, m.sku_id) > 0) continue;
            const expected = expectedFigure(db, p, m.sku_id);
            if (item.quantity === expected) continue;
            r.drifts.push({ skuId: m.sku_id, skuName: m.name, itemId: m.item_id, platformSkuId: m.platform_sku_id, platformQty: item.quantity, expectedQty: expected });
            enqueueAbsolute(db, p, m.sku_id, now);
            r.repaired++;
            recordActivity(db, { platform: p, kind: 'repair', ok: true, skuId: m.sku_id, summary: `对账修正：${NAME(p)}显示 ${item.quantity}，应为 ${expected}（已重推）`, detail: { platformQty: item.quantity, expectedQty: expected } }, now);
          }
          const summary = `全量对账：核对 ${r.checked} 个商品，偏差 ${r.drifts.length} 个已修正${r.missing ? `，平台上找不到 ${r.missing} 个` : ''}`;
          recordActivity(db, { platform: p, kind: 'reconcile', ok: true, summary, detail: { checked: r.checked, drifted: r.drifts.length, missing: r.missing } }, now);
          if (userId) audit(this.till.sqlite, { userId, action: 'sync.reconcile', target: p, details: { checked: r.checked, repaired: r.repaired, missing: r.missing } }, now);
          return r;
        }),
      );
    }
    if (out.some((r) => r.repaired > 0) && this.agent?.running) void this.agent.syncNow().catch(() => undefined);
    return { at, platforms: out };
  }
}

function pendingFor(db: Till['db'], platform: string, skuId: string): number {
  return db.$client.prepare(`SELECT count(*) FROM sync_deliveries WHERE platform = ? AND sku_id = ? AND state = 'pending'`).pluck().get(platform, skuId) as number;
}

/** A cheap authorised call: the token, then the first page of items. Returns the item count the platform gives. */
async function probe(c: ShopConnector): Promise<number> {
  const client = (c as unknown as { client: unknown }).client;
  if (c.platform === 'youzan') {
    const { itemsOnsale } = await import('./youzan/wire');
    return (await itemsOnsale(client as Parameters<typeof itemsOnsale>[0], 1, 1)).count;
  }
  if (c.platform === 'doudian') {
    const { DoudianClient } = await import('./doudian/wire');
    return (await (client as InstanceType<typeof DoudianClient>).listProducts(1, 1)).total;
  }
  if (c.platform === 'weidian') {
    const { WeidianClient } = await import('./weidian/wire');
    return (await (client as InstanceType<typeof WeidianClient>).listItems({ pageNum: 1, pageSize: 1 })).total;
  }
  throw new TillError('SYNC_UNSUPPORTED', `${NAME(c.platform)}暂不支持测试连接`);
}

/**
 * Links each listed platform item/SKU to the one local SKU whose barcode or 货号 equals its barcode or
 * 商家编码. Left for a person: an entry more than one local SKU fits, several entries fitting the same
 * local SKU, and a local SKU already linked to another entry on this platform.
 */
export function matchAndLink(till: Till, platform: ConfigurablePlatform, items: PlatformItem[], now: number): { matched: number; alreadyLinked: number; ambiguous: number; unmatched: number } {
  const $ = till.db.$client;
  const byBarcode = $.prepare(`SELECT b.sku_id FROM barcodes b JOIN skus s ON s.id = b.sku_id WHERE b.code = ? AND s.active = 1`).pluck();
  const byCode = $.prepare(`SELECT id FROM skus WHERE code = ? AND active = 1`).pluck();
  const linkedEntry = $.prepare(`SELECT sku_id FROM sku_mapping WHERE platform = ? AND item_id = ? AND coalesce(platform_sku_id, '') = ?`).pluck();
  const linkedSku = $.prepare(`SELECT 1 FROM sku_mapping WHERE platform = ? AND sku_id = ?`).pluck();
  const r = { matched: 0, alreadyLinked: 0, ambiguous: 0, unmatched: 0 };
  const picks = new Map<string, { item: PlatformItem; by: 'barcode' | 'code' }[]>();
  for (const item of items) {
    if (linkedEntry.get(platform, item.itemId, item.platformSkuId ?? '')) {
      r.alreadyLinked++;
      continue;
    }
    const keys = [...new Set([item.barcode, item.code].filter((k): k is string => !!k && k.trim() !== '').map((k) => k.trim()))];
    const found = new Map<string, 'barcode' | 'code'>();
    for (const k of keys) {
      for (const id of byBarcode.all(k) as string[]) if (!found.has(id)) found.set(id, 'barcode');
      for (const id of byCode.all(k) as string[]) if (!found.has(id)) found.set(id, 'code');
    }
    if (found.size === 0) r.unmatched++;
    else if (found.size > 1) r.ambiguous++;
    else {
      const [[skuId, by]] = [...found];
      picks.set(skuId, [...(picks.get(skuId) ?? []), { item, by }]);
    }
  }
  for (const [skuId, entries] of picks) {
    if (entries.length > 1 || linkedSku.get(platform, skuId)) {
      r.ambiguous += entries.length;
      continue;
    }
    const { item, by } = entries[0];
    if (platform === 'doudian' && !item.platformSkuId) {
      r.unmatched++;
      continue;
    }
    linkSku(till.db, { skuId, platform, itemId: item.itemId, platformSkuId: item.platformSkuId, matchedBy: by }, now);
    r.matched++;
  }
  return r;
}
