// The voucher service: what the vouchers.* endpoints and the `voucher` tender call. Built with the
// connectors the merchant configured (Services.vouchers).
//
//   prepare:  classify the scan (shared/scan-kind.ts) → the platform's prepare → a preview the cashier confirms
//             (kept 10 minutes under a prepareId; a Douyin verify_token pairs 1:1 with the verify it is for).
//   redeem:   the redemption and its exact call are stored (CREATED) → PENDING → the call →
//             REDEEMED | FAILED (a definite refusal) | UNKNOWN (no answer: retried with the same token and
//             params until the platform answers; the first call's outcome comes back, never a second one).
//   undo:     a manager, within the platform's window (Douyin 1 hour), audited; refused after with the reason.
//   recover:  at start-up, every redemption left not final is settled the same way before the next one.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type {
  CartVouchersView,
  RedemptionDetail,
  RedemptionState,
  RedemptionView,
  VoucherLogFilter,
  VoucherLogView,
  VoucherPlatformName,
  VoucherPreview,
} from '../../shared/api/vouchers';
import { ROLE_RANK } from '../../shared/api/endpoint';
import { ApprovalAction } from '../../shared/approvals';
import { TillError } from '../../shared/errors';
import { formatYuan } from '../../shared/money';
import { scanKind } from '../../shared/scan-kind';
import { log } from '../api/log';
import { audit } from '../till/audit';
import { activeCart } from '../till/cart';
import { idempotencyMismatch, requestKey, type IdempotentEndpoint } from '../till/idempotency';
import { exportsDir } from '../till/reports/export-files';
import type { Till } from '../till/till';
import { PLATFORM_LABEL, VoucherRefused, VoucherUnknown, type PreparedVoucher, type VoucherConnector, type VoucherInput } from './connector';
import {
  allForExport,
  codeHash,
  createRedemption,
  eventsOf,
  forgetExpiredRefs,
  getRedemption,
  inSale,
  logPage,
  logTotals,
  maskVoucher,
  move,
  openOfCode,
  openRedemptions,
  redeemedForCart,
  redemptionByRequest,
  viewOf,
  type Redemption,
} from './redemptions';

export interface VoucherServiceOptions {
  /** Waits between retries of a redeem whose outcome is unknown, while the cashier waits (ms). */
  retryDelaysMs?: number[];
  /** After those: keep retrying in the background, backing off to this (ms). */
  maxBackoffMs?: number;
  /** How long a preview (and its Douyin verify_token) may be confirmed (ms). */
  prepareTtlMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Held {
  platform: VoucherPlatformName;
  prepared: PreparedVoucher;
  codeMask: string;
  codeHash: string;
  at: number;
}

const REFUSAL_CODE: Record<VoucherRefused['kind'], string> = {
  used: 'VOUCHER_USED',
  expired: 'VOUCHER_EXPIRED',
  not_found: 'VOUCHER_NOT_FOUND',
  window: 'VOUCHER_UNDO_WINDOW',
  auth: 'VOUCHER_PLATFORM_AUTH',
  not_enough: 'VOUCHER_USES_OVER',
  other: 'VOUCHER_REFUSED',
};

const refusal = (e: VoucherRefused) => new TillError(REFUSAL_CODE[e.kind], e.message);
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

const services = new WeakMap<Till, VoucherService>();

/** The till's voucher service (the voucher tender reaches it through the till). */
export function vouchersOf(till: Till): VoucherService {
  const s = services.get(till);
  if (!s) throw new TillError('VOUCHERS_OFF', '团购券核销未启动');
  return s;
}

export class VoucherService {
  private readonly held = new Map<string, Held>();
  private readonly running = new Map<string, Promise<Redemption>>();
  private stopped = false;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retryDelays: number[];
  private readonly maxBackoff: number;
  private readonly prepareTtl: number;

  constructor(
    readonly till: Till,
    private readonly connectors: (p: VoucherPlatformName) => VoucherConnector | null,
    opts: VoucherServiceOptions = {},
  ) {
    this.sleep = opts.sleep ?? realSleep;
    this.retryDelays = opts.retryDelaysMs ?? [1_000, 2_000, 4_000];
    this.maxBackoff = opts.maxBackoffMs ?? 60_000;
    this.prepareTtl = opts.prepareTtlMs ?? 600_000;
    services.set(till, this);
    till.onClose(() => this.stop());
  }

  stop(): void {
    this.stopped = true;
    if (services.get(this.till) === this) services.delete(this.till);
  }

  connector(p: VoucherPlatformName): VoucherConnector {
    const c = this.connectors(p);
    if (!c) throw new TillError('VOUCHER_PLATFORM_OFF', `未配置${PLATFORM_LABEL[p]}核销参数，请店主在设置中填写`);
    return c;
  }

  private windowOf(p: VoucherPlatformName): number | null {
    return this.connectors(p)?.undoWindowMs ?? null;
  }

  private view(r: Redemption): RedemptionView {
    return viewOf(this.till, r, this.windowOf(r.platform as VoucherPlatformName));
  }

  private changed(r: Redemption): void {
    // The code is never logged: its mask only.
    log.info('voucher', { id: r.id, platform: r.platform, code: r.codeMask, state: r.state, uses: r.uses, valueFen: r.valueFen });
    this.till.events.emit('voucher', this.view(r));
  }

  private to(id: string, state: RedemptionState, c: Parameters<typeof move>[3] = {}): Redemption {
    const { r, changed } = move(this.till, id, state, c);
    if (changed) this.changed(r);
    return r;
  }

  // -------------------------------------------------------------------------------------------
  // vouchers.prepare

  /** Which platform and what to send, from the scan; refuses anything that is not a voucher, in the cashier's words. */
  route(code: string, chosen?: VoucherPlatformName): { platform: VoucherPlatformName; input: VoucherInput; key: string } {
    const k = scanKind(code);
    const other = (is: VoucherPlatformName) =>
      new TillError('VOUCHER_OTHER_PLATFORM', `这是${PLATFORM_LABEL[is]}券，不是${PLATFORM_LABEL[chosen!]}券：请按${PLATFORM_LABEL[is]}核销`);
    switch (k.kind) {
      case 'product':
        throw new TillError('VOUCHER_IS_PRODUCT', '这是商品条码，不是团购券：请在收银页扫码加入商品');
      case 'payment':
        throw new TillError('VOUCHER_IS_PAYMENT_CODE', '这是顾客的付款码，不是团购券：请在结算时扫付款码收款（未核销、未扣款）');
      case 'bad_link':
        throw new TillError('VOUCHER_BAD_QR', k.reason);
      case 'douyin_link': {
        if (chosen && chosen !== 'douyin') throw other('douyin');
        const input: VoucherInput = k.objectId ? { encryptedData: k.objectId } : { shortId: k.shortId! };
        return { platform: 'douyin', input, key: k.objectId ?? k.shortId! };
      }
      case 'code': {
        const platforms = k.candidates.filter((c): c is VoucherPlatformName => c === 'douyin' || c === 'meituan');
        if (chosen && !platforms.includes(chosen)) {
          if (platforms.length === 1) throw other(platforms[0]);
          throw new TillError('VOUCHER_OTHER_PLATFORM', `券码格式不是${PLATFORM_LABEL[chosen]}券（抖音券码 15 位数字或二维码，美团券码 10 或 12 位数字）`);
        }
        const platform = chosen ?? (platforms.length === 1 ? platforms[0] : null);
        if (!platform) break;
        return { platform, input: { code: k.code }, key: k.code };
      }
      case 'other':
        break;
    }
    throw new TillError('VOUCHER_BAD_CODE', '无法识别的团购券：抖音券请扫二维码或输入 15 位券码，美团券为 10 或 12 位数字');
  }

  async prepare(input: { code: string; platform?: VoucherPlatformName }): Promise<VoucherPreview> {
    this.till.auth.requireSession();
    const { platform, input: send, key } = this.route(input.code, input.platform);
    const connector = this.connector(platform);
    const hash = codeHash(this.till, platform, key);
    const open = openOfCode(this.till, hash);
    if (open) throw new TillError('VOUCHER_IN_PROGRESS', `这张券正在核销（${viewOf(this.till, open, null).words}），请勿重复扫码`);
    let prepared: PreparedVoucher;
    try {
      prepared = await connector.prepare(send);
    } catch (e) {
      if (e instanceof VoucherRefused) throw refusal(e);
      if (e instanceof VoucherUnknown) throw new TillError('VOUCHER_PLATFORM_UNREACHABLE', `${e.message}：未能查询团购券，请稍后重新扫码（未核销）`);
      throw e;
    }
    const at = this.till.now();
    for (const [id, h] of this.held) if (at - h.at > this.prepareTtl) this.held.delete(id);
    const prepareId = randomBytes(16).toString('hex');
    const codeMask = maskVoucher(key);
    this.held.set(prepareId, { platform, prepared, codeMask, codeHash: hash, at });
    return {
      prepareId, platform, platformLabel: PLATFORM_LABEL[platform], codeMask, title: prepared.title,
      unitValueFen: prepared.unitValueFen, usesLeft: prepared.usesLeft, expiresAt: prepared.expiresAt,
    };
  }

  // -------------------------------------------------------------------------------------------
  // vouchers.redeem

  async redeem(input: { requestId: string; prepareId: string; uses: number }): Promise<RedemptionView> {
    const session = this.till.auth.requireSession();
    // Bound to its body like every money call (idempotency.ts hashes the endpoint's name with it; the name is not in
    // its union, which another part is editing now: cast rather than touch that file).
    const key = requestKey('vouchers.redeem' as IdempotentEndpoint, input);
    const earlier = redemptionByRequest(this.till, input.requestId);
    if (earlier) {
      if (earlier.requestHash !== key.hash) throw idempotencyMismatch();
      if (!earlier.final && !this.running.has(earlier.id)) this.background(earlier.id);
      return this.view(earlier); // a retried call: the same redemption, never a second one
    }
    const held = this.held.get(input.prepareId);
    if (!held || this.till.now() - held.at > this.prepareTtl) {
      throw new TillError('VOUCHER_PREPARE_EXPIRED', '团购券信息已过期，请重新扫描团购券');
    }
    if (input.uses > held.prepared.usesLeft) {
      throw new TillError('VOUCHER_USES_OVER', `这张券最多可核销 ${held.prepared.usesLeft} 次`, { usesLeft: held.prepared.usesLeft });
    }
    this.connector(held.platform); // an unconfigured platform is refused before anything is stored
    const plan = held.prepared.plan(input.uses);
    const r = this.till.tx(() => {
      const open = openOfCode(this.till, held.codeHash);
      if (open) throw new TillError('VOUCHER_IN_PROGRESS', '这张券正在核销，请勿重复核销');
      return createRedemption(this.till, {
        platform: held.platform, codeMask: held.codeMask, codeHash: held.codeHash, idemKey: plan.idemKey, params: plan.params,
        uses: input.uses, unitValueFen: held.prepared.unitValueFen, title: held.prepared.title, platformOrderId: held.prepared.platformOrderId,
        cartId: activeCart(this.till).id, requestId: input.requestId, requestHash: key.hash, createdBy: session.userId,
      });
    });
    this.held.delete(input.prepareId); // one verify per prepare (Douyin pairs them 1:1)
    this.changed(r);
    return this.view(await this.settle(r.id, true));
  }

  /**
   * Settles a redemption that is not final (once: a second call while it runs gets the same promise).
   * In the foreground (the cashier waits) it gives up after retryDelaysMs and hands over to a background
   * loop that goes on retrying the same call until the platform answers.
   */
  settle(id: string, foreground = false): Promise<Redemption> {
    const running = this.running.get(id);
    if (running) return running;
    let handOff = false;
    const p = this.settleLoop(id, foreground, () => (handOff = true)).finally(() => {
      this.running.delete(id);
      if (handOff && !this.stopped) this.background(id);
    });
    this.running.set(id, p);
    return p;
  }

  private background(id: string): void {
    this.settle(id).catch((e) => log.error('vouchers: settling failed', { id, error: e instanceof Error ? e.message : String(e) }));
  }

  /** One send of the stored call: REDEEMED, FAILED, or UNKNOWN (no answer). */
  private async sendOnce(r: Redemption): Promise<Redemption> {
    if (this.stopped) return r;
    const connector = this.connector(r.platform as VoucherPlatformName);
    const params = JSON.parse(r.pendingParams ?? '{}') as Record<string, unknown>;
    const cur = this.to(r.id, r.state === 'CREATED' ? 'PENDING' : (r.state as RedemptionState));
    try {
      const out = await connector.redeem(params);
      if (this.stopped) return cur; // the till is closing: the next start-up's recovery learns it again (same key)
      return this.to(r.id, 'REDEEMED', {
        redeemedUses: out.redeemedUses, platformOrderId: out.platformOrderId, refs: out.refs, detail: out.detail ?? null,
      });
    } catch (e) {
      if (this.stopped) return cur;
      if (e instanceof VoucherRefused) {
        // A retry refused (its first answer was lost): the first call may have redeemed it. Never guessed: asked.
        const retry = r.state === 'UNKNOWN' || r.state === 'PENDING';
        const unsure = (why: string) => this.to(r.id, 'UNKNOWN', { detail: `${why}，无法确认核销结果，正在重试（请勿重复核销）` });
        if (retry && e.kind === 'auth') return unsure(e.message); // the credentials, not the voucher: keep asking
        if (retry && connector.confirm) {
          try {
            const out = await connector.confirm(params, r.createdAt);
            if (this.stopped) return cur;
            if (out) return this.to(r.id, 'REDEEMED', { redeemedUses: out.redeemedUses, platformOrderId: out.platformOrderId, refs: out.refs, detail: out.detail ?? null });
          } catch (q) {
            if (!(q instanceof VoucherRefused) || q.kind === 'auth') return unsure('重试被拒，查询券状态未得到应答');
          }
        }
        return this.to(r.id, 'FAILED', { detail: e.message });
      }
      if (e instanceof VoucherUnknown) return this.to(r.id, 'UNKNOWN', { detail: `${e.message}，正在以相同参数重试` });
      return this.to(r.id, 'UNKNOWN', { detail: '核销结果未知，正在以相同参数重试' });
    }
  }

  private async settleLoop(id: string, foreground: boolean, handOff: () => void): Promise<Redemption> {
    let r = getRedemption(this.till, id);
    r = await this.sendOnce(r);
    let i = 0;
    let backoff = this.retryDelays[this.retryDelays.length - 1] ?? 1_000;
    while (!r.final && !this.stopped) {
      if (foreground && i >= this.retryDelays.length) {
        handOff(); // the cashier is told 结果未知; retries go on in the background
        return r;
      }
      const wait = i < this.retryDelays.length ? this.retryDelays[i] : (backoff = Math.min(backoff * 2, this.maxBackoff));
      i++;
      await this.sleep(wait);
      if (this.stopped) break;
      r = await this.sendOnce(getRedemption(this.till, id));
    }
    return r;
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  get(id: string): RedemptionDetail {
    this.till.auth.requireSession();
    const r = getRedemption(this.till, id);
    return { ...this.view(r), events: eventsOf(this.till, id) };
  }

  forCart(): CartVouchersView {
    this.till.auth.requireSession();
    const cart = activeCart(this.till);
    const rows = redeemedForCart(this.till, cart.id);
    return {
      cartId: cart.id,
      redeemed: rows.map((r) => this.view(r)),
      redeemedFen: rows.reduce((s, r) => s + r.valueFen, 0),
      toInclude: rows.map((r) => ({ method: 'voucher' as const, amountFen: r.valueFen, redemptionId: r.id })),
    };
  }

  log(input: VoucherLogFilter & { page: number; pageSize: number }): VoucherLogView {
    const session = this.till.auth.requireSession();
    const { page, pageSize, ...rest } = input;
    const f = ROLE_RANK[session.role] < ROLE_RANK.manager ? { ...rest, by: session.userId } : rest; // cashier/staff: their own only
    const { rows, total } = logPage(this.till, f, page, pageSize);
    return { rows: rows.map((r) => this.view(r)), total, page, pageSize, totals: logTotals(this.till, f) };
  }

  /** The log as a spreadsheet in exports/ (small: written in one go, not through the reports worker). */
  async export(input: VoucherLogFilter & { format: 'xlsx' | 'csv' }): Promise<{ file: string; rows: number }> {
    const session = this.till.auth.requireSession();
    const { format, ...f } = input;
    const rows = allForExport(this.till, f).map((r) => this.view(r));
    const header = ['核销时间', '平台', '券码', '商品', '次数', '单次金额', '核销金额', '结果', '收银员', '小票号', '撤销时间', '说明'];
    const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toLocaleString('zh-CN', { hour12: false }));
    const data = rows.map((v) => [
      time(v.redeemedAt ?? v.createdAt), v.platformLabel, v.codeMask, v.title, v.uses, v.unitValueFen / 100, v.valueFen / 100, v.words,
      v.createdByName ?? v.createdBy, v.receiptNo ?? '', time(v.undoneAt), v.detail ?? '',
    ]);
    const dir = exportsDir(this.till);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `核销记录_${this.till.calendarDay()}_${createHash('sha1').update(String(this.till.now())).digest('hex').slice(0, 6)}.${format}`);
    const partial = `${file}.partial`;
    if (format === 'csv') {
      const cell = (x: string | number, i: number) => {
        const s = typeof x === 'number' ? (i === 5 || i === 6 ? x.toFixed(2) : String(x)) : x;
        return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      };
      const lines = [header, ...data].map((row) => row.map((x, i) => cell(x, i)).join(','));
      writeFileSync(partial, `\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    } else {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('核销记录');
      ws.addRow(header);
      for (const row of data) ws.addRow(row);
      for (const c of [6, 7]) ws.getColumn(c).numFmt = '0.00';
      await wb.xlsx.writeFile(partial);
    }
    renameSync(partial, file);
    this.till.tx(() => audit(this.till.db, { userId: session.userId, action: 'voucher.export', target: file, details: { ...f, format, rows: rows.length } }, this.till.now()));
    return { file, rows: rows.length };
  }

  // -------------------------------------------------------------------------------------------
  // Undo (manager)

  /** Undoes on the platform within its window; the redemption becomes UNDONE (audited with who approved). Refused with the reason otherwise. */
  async undo(input: { id: string; reason?: string; approval?: string }, opts: { forReturn?: string } = {}): Promise<RedemptionView> {
    // A return undoes the voucher it refunds: the return itself was approved (sales.return). Otherwise a
    // manager: their own session, or their on-the-spot approval bound to exactly this redemption.
    const session = this.till.auth.requireSession();
    const r0 = getRedemption(this.till, input.id);
    if (!this.undoable(r0, opts)) return this.view(r0); // undone already: nothing to approve
    const grant = opts.forReturn
      ? null
      : this.till.auth.approvals.claim(input.approval, {
          action: ApprovalAction.voucherUndo,
          subject: { kind: 'voucher_undo', redemptionId: r0.id, platform: r0.platform, uses: r0.uses, valueFen: r0.valueFen },
          summary: `撤销${PLATFORM_LABEL[r0.platform as VoucherPlatformName] ?? r0.platform}核销 ${r0.codeMask} ${r0.title} ×${r0.uses} ${formatYuan(r0.valueFen)}`,
          message: '撤销团购券核销需要店长授权（输入店长 PIN）',
        });
    try {
      const out = await this.undoApproved(input, session, grant?.approverId ?? null, opts);
      if (grant) this.till.auth.approvals.spend(grant);
      return out;
    } finally {
      if (grant) this.till.auth.approvals.release(grant); // refused or failed: the token may be used again (a spent one is gone)
    }
  }

  /**
   * Why this redemption cannot be undone now (thrown, in the cashier's words), checked before a manager
   * is asked for their PIN and again before the platform is called; null when it is undone already.
   */
  private undoable(r: Redemption, opts: { forReturn?: string }): { connector: VoucherConnector; tooLate: () => TillError } | null {
    const label = PLATFORM_LABEL[r.platform as VoucherPlatformName] ?? r.platform;
    if (r.state === 'UNDONE') return null;
    if (r.state !== 'REDEEMED') throw new TillError('VOUCHER_NOT_REDEEMED', `这次核销${viewOf(this.till, r, null).words}，无需撤销`);
    if (!opts.forReturn && inSale(this.till, r)) {
      throw new TillError('VOUCHER_IN_SALE', `这张券已用于小票 ${this.view(r).receiptNo} 的结账：请通过退货撤销`);
    }
    const connector = this.connector(r.platform as VoucherPlatformName);
    const windowMin = Math.round(connector.undoWindowMs / 60_000);
    const tooLate = () =>
      new TillError('VOUCHER_UNDO_WINDOW', `已超过${label}的撤销时限（核销后 ${windowMin >= 60 ? `${windowMin / 60} 小时` : `${windowMin} 分钟`}内可撤销），未撤销`);
    if (r.redeemedAt === null || this.till.now() - r.redeemedAt > connector.undoWindowMs || !r.platformRefs) throw tooLate();
    return { connector, tooLate };
  }

  private async undoApproved(
    input: { id: string; reason?: string },
    session: { userId: string },
    approverId: string | null,
    opts: { forReturn?: string },
  ): Promise<RedemptionView> {
    const r = getRedemption(this.till, input.id);
    const can = this.undoable(r, opts);
    if (!can) return this.view(r);
    const { connector, tooLate } = can;
    try {
      await connector.undo(JSON.parse(r.platformRefs!));
    } catch (e) {
      if (e instanceof VoucherRefused) throw e.kind === 'window' ? tooLate() : refusal(e);
      if (e instanceof VoucherUnknown) throw new TillError('VOUCHER_UNDO_UNKNOWN', `${e.message}：撤销结果未知，券仍记为已核销，请稍后再试`);
      throw e;
    }
    const after = this.till.tx(() => {
      const a = move(this.till, r.id, 'UNDONE', { by: session.userId, detail: input.reason ? `店长撤销：${input.reason}` : '店长撤销核销' }).r;
      audit(this.till.db, {
        userId: session.userId, approverId, action: 'voucher.undo', target: r.id,
        details: { platform: r.platform, code: r.codeMask, uses: r.uses, valueFen: r.valueFen, reason: input.reason ?? null, returnId: opts.forReturn ?? null },
      }, this.till.now());
      return a;
    });
    this.changed(after);
    log.info('voucher undone', { id: r.id, value: formatYuan(r.valueFen) });
    return this.view(after);
  }

  // -------------------------------------------------------------------------------------------
  // Start-up

  /** Settles every redemption a previous run left not final: never sent → FAILED; sent → retried with the same call. */
  async recover(): Promise<RedemptionView[]> {
    forgetExpiredRefs(this.till, (p) => this.windowOf(p) ?? 0);
    const open = openRedemptions(this.till);
    if (open.length) log.warn('vouchers: settling redemptions left open by the last run', { count: open.length });
    const out: RedemptionView[] = [];
    for (const r of open) {
      if (r.state === 'CREATED') {
        out.push(this.view(this.to(r.id, 'FAILED', { detail: '核销请求未发出，券未使用' })));
        continue;
      }
      if (!this.connectors(r.platform as VoucherPlatformName)) continue;
      out.push(this.view(await this.settle(r.id)));
    }
    return out;
  }
}
