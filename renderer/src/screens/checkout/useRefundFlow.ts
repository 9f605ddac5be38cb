// The steps every refund takes, written once for a return by receipt, a cancel and a return without
// receipt: busy and error, the idempotency key (one per user action with one body, kept on a retry),
// the manager's PIN on the spot (withApproval), and the card-terminal step: when the main side says a
// part must first be refunded on the terminal (REFUND_REFERENCE_REQUIRED), the cashier runs it there
// and types the terminal's reference, and the same refund is sent again with it and with the
// manager's token from the approval just given (a refusal does not use it up).
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiInput, RefundPlanView, RefundReferences, SaleResult, SaleView } from '../../../../shared/api';
import { ApiCallError, call } from '../../api/client';
import { RequestKeys } from '../../api/request-key';
import { beepError, beepOk } from '../../feedback';
import type { NameBook } from '../../i18n/approval-text';
import { withApproval } from '../../stores/approval';
import { errorText } from '../../stores/cart';

export type PlanPart = RefundPlanView['parts'][number];
export type Done = { result: SaleResult; refund: SaleView | null };

type RefundEndpoint = 'sales.return' | 'sales.cancel' | 'sales.returnWithoutReceipt';
/** What the screen decides: the endpoint's input without the parts this flow adds. */
export type RefundBody<E extends RefundEndpoint> = Omit<ApiInput<E>, 'requestId' | 'approval' | 'refundReferences'>;

/** What the main side said must be refunded on the card terminal before the refund can be recorded. */
export interface ReferenceStep {
  amountFen: number;
  originalReferences: string[];
  /** The rest of the refund (cash from the drawer), recorded with it. */
  others: PlanPart[];
  /** Sends the same refund again with the terminal's reference. */
  retry(refs: RefundReferences): Promise<void>;
}

function referenceNeed(e: unknown): Omit<ReferenceStep, 'retry'> | null {
  if (!(e instanceof ApiCallError) || e.code !== 'REFUND_REFERENCE_REQUIRED') return null;
  const d = (e.details ?? {}) as { parts?: PlanPart[]; missing?: { method: string; amountFen: number }[] };
  const card = (d.parts ?? []).filter((p) => p.needsReference);
  return {
    amountFen: (d.missing ?? []).reduce((s, m) => s + m.amountFen, 0),
    originalReferences: card.map((p) => p.originalReference).filter((r): r is string => !!r),
    others: (d.parts ?? []).filter((p) => !p.needsReference),
  };
}

export interface RefundOptions {
  /** The approval a cashier may be asked for on the spot; none for a manager-only call. */
  approval?: string;
  refs?: RefundReferences;
  /** The manager's token from the approval just given. */
  token?: string;
  /** What the approval's subject mentions by id (the receipt's lines, the SKUs typed), for the English summary. */
  names?: NameBook;
}

/** `onDone` runs after a refund went through (the screen clears its inputs and shows the result). */
export function useRefundFlow(onDone: (done: Done) => void | Promise<void>) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [refStep, setRefStep] = useState<ReferenceStep | null>(null);
  const [reference, setReference] = useState('');
  const [keys] = useState(() => new RequestKeys());
  const busyRef = useRef(false); // the reference step's retry runs from an older render
  const done = useRef(onDone);
  done.current = onDone;

  const fail = (e: unknown) => {
    beepError();
    setError(errorText(e));
  };

  const submitRefund = async <E extends RefundEndpoint>(endpoint: E, body: RefundBody<E>, opts: RefundOptions = {}): Promise<void> => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError('');
    const sent = { ...body, ...(opts.refs ? { refundReferences: opts.refs } : {}) };
    const requestId = keys.for(endpoint, sent);
    let token = opts.token;
    try {
      const attempt = (approval?: string) => {
        token = approval ?? token;
        return call(endpoint, { ...sent, requestId, ...(token ? { approval: token } : {}) } as ApiInput<E>) as Promise<SaleResult>;
      };
      const r = opts.approval ? await withApproval(opts.approval, attempt, opts.names) : await attempt();
      if (!r) return; // the manager's PIN was not given: nothing changed
      keys.done();
      beepOk();
      const refund = await call('sales.get', { saleId: r.saleId }).catch(() => null);
      setRefStep(null);
      setReference('');
      await done.current({ result: r, refund });
    } catch (e) {
      const need = opts.refs ? null : referenceNeed(e);
      if (need) {
        const kept = token;
        setRefStep({ ...need, retry: (refs) => submitRefund(endpoint, body, { ...opts, refs, token: kept }) });
        setReference('');
      } else fail(e);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  /** The reference typed on the step: checked on screen, then the refund goes again with it. */
  const confirmReference = (): boolean => {
    if (!refStep) return false;
    const ref = reference.trim();
    if (ref.length < 4 || ref.length > 40) {
      beepError();
      setError(t('returns.needRef'));
      return false;
    }
    void refStep.retry({ card_terminal: ref });
    return true;
  };

  return {
    busy,
    error,
    setError,
    fail,
    submitRefund,
    refStep,
    reference,
    setReference,
    confirmReference,
    /** Back out of the reference step (nothing was recorded). */
    leaveReference: () => setRefStep(null),
  };
}

export type RefundFlow = ReturnType<typeof useRefundFlow>;
