// Manager approval on the spot: any screen asks `withApproval(action, attempt)`; when the main side
// answers APPROVAL_REQUIRED the ManagerApproval dialog opens, the manager types their PIN
// (auth.approve), and the same call is retried once with the single-use token. Nobody logs out.
import { create } from 'zustand';
import { ApiCallError } from '../api/client';

interface Pending {
  action: string;
  /** Why it needs a manager (the main side's message). */
  reason: string;
  resolve(token: string | null): void;
}

export const useApproval = create<{ pending: Pending | null }>(() => ({ pending: null }));

/** Opens the dialog; resolves with a token, or null when the cashier backs out. */
export function requestApproval(action: string, reason = ''): Promise<string | null> {
  useApproval.getState().pending?.resolve(null);
  return new Promise((resolve) => {
    useApproval.setState({
      pending: {
        action,
        reason,
        resolve: (token) => {
          useApproval.setState({ pending: null });
          resolve(token);
        },
      },
    });
  });
}

export class ApprovalCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Runs `attempt()`; on APPROVAL_REQUIRED asks for a manager and retries with the token. Returns null
 * when the cashier cancelled the approval (nothing changed). The action the main side names in the
 * error's details wins over the caller's guess.
 */
export async function withApproval<T>(action: string, attempt: (approval?: string) => Promise<T>): Promise<T | null> {
  try {
    return await attempt();
  } catch (e) {
    if (!(e instanceof ApiCallError) || e.code !== 'APPROVAL_REQUIRED') throw e;
    const named = (e.details as { action?: unknown } | undefined)?.action;
    const token = await requestApproval(typeof named === 'string' ? named : action, e.message);
    if (!token) return null;
    return attempt(token);
  }
}
