// One interface for every group-buy voucher platform (Douyin 来客, Meituan/Dianping). Each platform's
// wire format — endpoints, auth, signing, its error codes — lives in its own folder behind this; the
// redemption store and flow (redemptions.ts, flow.ts) see only these normalized answers.
//
// The rule that keeps a voucher from being redeemed twice or reported wrongly (PLATFORMS.md §7): a
// redeem whose outcome the till did not learn throws VoucherUnknown and is NEVER read as a failure; it
// is retried with exactly the parameters persisted before the first call (Douyin: the same verify_token,
// Meituan: the same requestid), and the platform answers the retry with the first call's outcome.
import type { VoucherPlatformName } from '../../shared/api/vouchers';

/** What the cashier scanned or typed, as the platform takes it. */
export type VoucherInput =
  | { code: string }
  /** Douyin: the long link's object_id, sent as encrypted_data. */
  | { encryptedData: string }
  /** Douyin: a short link id (v.douyin.com/<id>/) to resolve to the long link first. */
  | { shortId: string };

export interface RedeemPlan {
  /** The platform's idempotency key (verify_token / requestid): persisted with the params, reused on every retry. */
  idemKey: string;
  /** The exact body of the redeem call (JSON). */
  params: Record<string, unknown>;
}

export interface PreparedVoucher {
  title: string;
  unitValueFen: number;
  usesLeft: number;
  expiresAt: number | null;
  platformOrderId: string | null;
  /** The redeem call for `uses` uses (Douyin: one per prepare — its verify_token pairs 1:1 with it). */
  plan(uses: number): RedeemPlan;
}

export interface RedeemOutcome {
  /** Uses the platform redeemed (Douyin answers per code; a partial success redeems fewer). */
  redeemedUses: number;
  platformOrderId: string | null;
  /** What undo needs (Douyin: verify_id and certificate_id per use; Meituan: the receipt and deal). */
  refs: unknown;
  /** The platform's words when it redeemed fewer than asked. */
  detail?: string;
}

export type UnknownReason = 'timeout' | 'network' | 'server_error' | 'rate_limited' | 'bad_response';

/** The call may or may not have been applied: retry with the same parameters, never record a failure. */
export class VoucherUnknown extends Error {
  constructor(
    readonly reason: UnknownReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'VoucherUnknown';
  }
}

/**
 * The platform refused and redeemed nothing. `kind` says why in the till's terms (the cashier's message
 * is `message`, in Chinese): used, expired, not found, window (undo too late), auth, other.
 */
export class VoucherRefused extends Error {
  constructor(
    readonly kind: 'used' | 'expired' | 'not_found' | 'window' | 'auth' | 'not_enough' | 'other',
    message: string,
    readonly platformCode: string | number | null = null,
  ) {
    super(message);
    this.name = 'VoucherRefused';
  }
}

export interface VoucherConnector {
  readonly platform: VoucherPlatformName;
  /** How long after redemption the platform accepts an undo (Douyin: 1 hour). */
  readonly undoWindowMs: number;
  prepare(input: VoucherInput): Promise<PreparedVoucher>;
  /** Sends the persisted call. Throws VoucherUnknown (retry the same) or VoucherRefused (nothing redeemed). */
  redeem(params: Record<string, unknown>): Promise<RedeemOutcome>;
  /**
   * After a retry of a call whose first answer was lost is refused: asks the platform what became of the
   * codes (Douyin certificate/get, meant for this after an outage). An outcome when they were redeemed
   * (by that first call), null when they were not. Absent: the refusal stands.
   */
  confirm?(params: Record<string, unknown>, since: number): Promise<RedeemOutcome | null>;
  /** Undoes a redemption (all its uses). Throws VoucherRefused('window') after the platform's window. */
  undo(refs: unknown): Promise<void>;
}

export const PLATFORM_LABEL: Record<VoucherPlatformName, string> = { douyin: '抖音团购', meituan: '美团团购' };
