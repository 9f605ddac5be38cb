// 存入 / 取出 现金: amount on the pad, a reason (one tap for the usual ones). A cashier is asked for
// the manager's PIN on the spot (the main side sends the ask: this amount, this direction, this
// reason); the drawer opens once the move is booked.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan, parseYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Entry } from '../../components/Entry';
import { withApproval } from '../../stores/approval';
import { messageOf } from './format';

const REASONS = ['change', 'bank', 'supplier'] as const;

export function CashMoveDialog({ kind, onClose, onDone }: { kind: 'cash_in' | 'cash_out'; onClose(): void; onDone(text: string): void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    let fen: number;
    try {
      fen = parseYuan(amount);
    } catch {
      return setError(t('shiftScreen.badAmount'));
    }
    if (fen <= 0) return setError(t('shiftScreen.badAmount'));
    setBusy(true);
    setError('');
    try {
      const r = await withApproval('cash_move', (approval) =>
        call('shift.cashMove', { kind, amountFen: fen, reason: reason.trim(), ...(approval ? { approval } : {}) }),
      );
      if (!r) return; // the cashier backed out of the PIN pad: nothing was booked
      onDone(t('shiftScreen.moveDone', { kind: t(kind === 'cash_in' ? 'shiftScreen.cashIn' : 'shiftScreen.cashOut'), amount: formatYuan(fen), drawer: r.drawer.message }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t(kind === 'cash_in' ? 'shiftScreen.moveTitleIn' : 'shiftScreen.moveTitleOut')} testId="cash-move-dialog" onClose={onClose}>
      <p className="muted">{t('shiftScreen.needManager')}</p>
      <div className="st-row">
        <span className="st-label">{t('shiftScreen.reason')}</span>
        <input
          className="st-input"
          value={reason}
          maxLength={40}
          placeholder={t('shiftScreen.reasonPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
          data-testid="cash-move-reason"
        />
      </div>
      <div className="seg">
        {REASONS.map((r) => (
          <button key={r} type="button" className={`seg-btn ${reason === t(`shiftScreen.reasons.${r}`) ? 'on' : ''}`} onClick={() => setReason(t(`shiftScreen.reasons.${r}`))}>
            {t(`shiftScreen.reasons.${r}`)}
          </button>
        ))}
      </div>
      <Entry value={amount} onChange={setAmount} onSubmit={() => void submit()} prefix="¥" placeholder="0.00" testId="cash-move-amount" enterLabel={t('shiftScreen.moveDo')} />
      <div className="error-line" role="alert" data-testid="cash-move-error">
        {error}
      </div>
    </Dialog>
  );
}
