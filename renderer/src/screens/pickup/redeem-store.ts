// Which redemption dialog is open, for any screen: the checkout's scan field and the pickup screen open
// the voucher dialog (or the pickup-code hand-over) without changing screens. The classifier
// (shared/scan-kind.ts) decides what a code is; nothing here adds a rule of its own.
import { create } from 'zustand';
import { scanKind, type CodeCandidate } from '../../../../shared/scan-kind';
import { call } from '../../api/client';

export type RedeemOpen =
  /** A code: a voucher (douyin / meituan) or a pickup code; several candidates → the cashier picks. */
  { code: string; candidates: CodeCandidate[] };

export const useRedeem = create<{ open: RedeemOpen | null; show(o: RedeemOpen): void; close(): void }>((set) => ({
  open: null,
  show: (open) => set({ open }),
  close: () => set({ open: null }),
}));

/** A Douyin link (or a cut-short one: the dialog says why) opens the voucher dialog at once. */
export function isVoucherLink(code: string): boolean {
  const k = scanKind(code);
  return k.kind === 'douyin_link' || k.kind === 'bad_link';
}

/** The candidates of a code the catalog did not know (product and payment codes have none: never redeemed). */
export function candidatesOf(code: string): CodeCandidate[] {
  const k = scanKind(code);
  if (k.kind === 'douyin_link' || k.kind === 'bad_link') return ['douyin'];
  return k.kind === 'code' ? k.candidates : [];
}

/**
 * 收银's scan field: a Douyin voucher link opens the dialog before the catalog is asked; a code the
 * catalog did not know (UNKNOWN_BARCODE) opens it when it fits a voucher or pickup shape. Returns
 * whether the dialog opened (product and payment codes never do: the classifier gives them no candidate).
 */
export function offerRedeem(code: string, catalogSaidUnknown: boolean): boolean {
  if (!isVoucherLink(code) && !catalogSaidUnknown) return false;
  const candidates = candidatesOf(code);
  if (!candidates.length) return false;
  useRedeem.getState().show({ code, candidates });
  return true;
}

let youzanOn: { at: number; on: boolean } | null = null;
/** Whether the Youzan shop is switched on (read at most every 30 s): without it no code is a pickup code here. */
async function pickupPossible(): Promise<boolean> {
  if (youzanOn && Date.now() - youzanOn.at < 30_000) return youzanOn.on;
  const on = await call('sync.status', {})
    .then((s) => s.platforms.some((p) => p.platform === 'youzan' && p.enabled))
    .catch(() => false);
  youzanOn = { at: Date.now(), on };
  return on;
}

/**
 * 收银, a code the catalog did not know: the dialog when it fits a voucher shape, or a pickup code while the
 * Youzan shop is on (a shop selling only at the counter keeps its 商品条码不存在 with 查找 / 新建商品).
 */
export async function offerRedeemUnknown(code: string): Promise<boolean> {
  let candidates = candidatesOf(code);
  if (candidates.includes('pickup') && !(await pickupPossible())) candidates = candidates.filter((c) => c !== 'pickup');
  if (!candidates.length) return false;
  useRedeem.getState().show({ code, candidates });
  return true;
}
