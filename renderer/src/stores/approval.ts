// Manager approval on the spot: any screen asks `withApproval(action, attempt)`; when the main side
// answers APPROVAL_REQUIRED it sends an ask (what exactly is to be approved, with a summary the
// manager reads), the ManagerApproval dialog opens, the manager types their PIN (auth.approve with
// the ask's id), and the same call is retried with the single-use token, which approves exactly that
// ask. Nobody logs out.
import { create } from 'zustand';
import { askOf, type ApprovalAsk } from '../../../shared/approvals';
import { ApiCallError } from '../api/client';
import type { NameBook } from '../i18n/approval-text';

interface Pending {
  ask: ApprovalAsk;
  /** Why it needs a manager (the main side's message). */
  reason: string;
  /** Names of what the ask's subject mentions by id, beyond the cart's lines (the receipt being returned …). */
  names?: NameBook;
  /** The token, or null when the cashier backs out. */
  resolve(token: string | null): void;
}

/** The approval just given, shown for a moment after the dialog closes ("李店长 批准：…"). */
export interface Granted {
  approverName: string;
  summary: string;
  at: number;
}

export const useApproval = create<{ pending: Pending | null; granted: Granted | null }>(() => ({ pending: null, granted: null }));

/** Opens the dialog for `ask`; resolves with a token, or null when the cashier backs out. */
export function requestApproval(ask: ApprovalAsk, reason = '', names?: NameBook): Promise<string | null> {
  useApproval.getState().pending?.resolve(null);
  return new Promise((resolve) => {
    useApproval.setState({
      pending: {
        ask,
        reason,
        names,
        resolve: (token) => {
          useApproval.setState({ pending: null });
          resolve(token);
        },
      },
    });
  });
}

/** The dialog got a token: remember who approved what, for the notice. */
export function approvalGranted(approverName: string, summary: string): void {
  useApproval.setState({ granted: { approverName, summary, at: Date.now() } });
}

export class ApprovalCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** At most this many PIN prompts for one user action (the cart may need a second approval when it changed meanwhile). */
const MAX_ASKS = 3;

/**
 * Runs `attempt()`; when the main side asks for a manager (APPROVAL_REQUIRED, or APPROVAL_MISMATCH
 * when the cart changed since) opens the PIN pad with its ask and retries with the token. Returns
 * null when the cashier cancelled (nothing changed). The first argument names the ApprovalAction the
 * caller expects (for the reader); the ask the main side sends decides what is actually approved.
 * `names` finds what the ask mentions by id (for the English summary; the cart's lines are found anyway).
 */
export async function withApproval<T>(_action: string, attempt: (approval?: string) => Promise<T>, names?: NameBook): Promise<T | null> {
  let token: string | undefined;
  for (let asked = 0; ; asked++) {
    try {
      return await attempt(token);
    } catch (e) {
      if (!(e instanceof ApiCallError) || (e.code !== 'APPROVAL_REQUIRED' && e.code !== 'APPROVAL_MISMATCH')) throw e;
      const ask = askOf(e.details);
      if (!ask || asked >= MAX_ASKS) throw e;
      const next = await requestApproval(ask, e.message, names);
      if (!next) return null;
      token = next;
    }
  }
}
