// Youzan self-pickup codes (自提码), PLATFORMS.md §1.6 and §0.6: the code is not in the pulled trade, so
// the till looks it up (youzan.trade.selffetchcode.get 3.0.0 → code, status 0 = not verified / 1 =
// verified, tid) and verifies it when the goods are handed over (youzan.trade.selffetchcode.apply
// 3.0.0 → is_success; the trade moves to TRADE_SUCCESS). Calls go through the shop's YouzanClient
// (token, envelopes, errors): nothing of the wire is repeated here.
import { SyncError } from '../connector';
import type { YouzanClient } from './wire';

export interface SelfFetchCode {
  code: string;
  /** The platform's own word: verified already (status 1). */
  verified: boolean;
  tid: string;
  /** The trade's status when the answer carries it (TRADE_CLOSED …), else null. */
  tradeStatus: string | null;
  /** The shop the trade belongs to, when the answer carries it. */
  kdtId: string | null;
}

/** Looks the code up; a code the platform does not know is a SyncError 'refused' (its message says why). */
export async function selfFetchGet(client: YouzanClient, code: string): Promise<SelfFetchCode> {
  const r = await client.call('youzan.trade.selffetchcode.get', '3.0.0', { code });
  const tid = r.tid ?? r.trade?.tid;
  if (tid === undefined || tid === null || tid === '' || (r.status !== 0 && r.status !== 1 && r.status !== '0' && r.status !== '1')) {
    throw new SyncError('bad_response', 'MALFORMED', '有赞自提码应答缺少 tid/status');
  }
  const trade = r.trade && typeof r.trade === 'object' ? (r.trade as Record<string, unknown>) : null;
  return {
    code: String(r.code ?? code),
    verified: Number(r.status) === 1,
    tid: String(tid),
    tradeStatus: trade?.status ? String(trade.status) : null,
    kdtId: trade?.kdt_id !== undefined && trade.kdt_id !== null ? String(trade.kdt_id) : null,
  };
}

/**
 * Verifies the code. A refusal is read as "already done" when a fresh lookup says the code is verified
 * (a second apply answers 50000 不能重复核销订单!, §0.6: never a failure to retry with new values);
 * otherwise the refusal stands. A timeout leaves the outcome unknown (the caller says so and may retry:
 * a repeat is harmless for the same reason).
 */
export async function selfFetchApply(client: YouzanClient, code: string, operator?: string): Promise<'applied' | 'already'> {
  try {
    const r = await client.call('youzan.trade.selffetchcode.apply', '3.0.0', operator ? { code, extra_info: operator } : { code });
    if (r.is_success !== true) throw new SyncError('bad_response', 'MALFORMED', '有赞自提核销没有返回 is_success');
    return 'applied';
  } catch (e) {
    if (!(e instanceof SyncError) || e.kind !== 'refused') throw e;
    const now = await selfFetchGet(client, code).catch(() => null);
    if (now?.verified) return 'already';
    throw e;
  }
}
