// 点钞交班: the drawer counted by denomination on a touch counter (− / + buttons, or type the number;
// the pad types into the selected row), with the cash the till expects, the count and the difference
// in large type beside it — 长款 / 短款 in words, never by colour alone. The float left for the next
// cashier and a note go with the close; a difference asks once more before the shift is closed.
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DENOMINATIONS_FEN, type CashCountLine, type DenominationFen, type ShiftReport } from '../../../../shared/api/shift';
import { formatYuan, parseYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { NumPad, padEdit } from '../../components/NumPad';
import { messageOf } from './format';
import { CountTotals, diffWord } from './ReportFigures';

export interface Closed {
  report: ShiftReport;
  printJobId: string;
}

const label = (fen: number) => (fen >= 100 ? `¥${fen / 100}` : `${fen / 10}角`);

export function CashCounter({ report, onClosed, onBack }: { report: ShiftReport; onClosed(c: Closed): void; onBack(): void }) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState<Record<number, string>>({});
  const [selected, setSelected] = useState<DenominationFen>(DENOMINATIONS_FEN[0]);
  const [floatLeft, setFloatLeft] = useState((report.cash.openingFen / 100).toFixed(2));
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const inputs = useRef(new Map<number, HTMLInputElement>());

  const n = (d: number) => Number(counts[d] || '0');
  const counted = useMemo(() => DENOMINATIONS_FEN.reduce((s, d) => s + d * Number(counts[d] || '0'), 0), [counts]);
  const expected = report.cash.expectedFen;
  const diff = counted - expected;
  const word = diffWord(t, diff);
  let floatFen: number | null = null;
  try {
    floatFen = parseYuan(floatLeft || '0');
  } catch {
    floatFen = null;
  }

  const set = (d: number, v: string) => setCounts((c) => ({ ...c, [d]: v.replace(/\D/g, '').slice(0, 5) }));
  const focus = (d: DenominationFen) => {
    setSelected(d);
    inputs.current.get(d)?.focus();
  };
  const next = () => {
    const i = DENOMINATIONS_FEN.indexOf(selected);
    focus(DENOMINATIONS_FEN[Math.min(i + 1, DENOMINATIONS_FEN.length - 1)]);
  };

  const close = async () => {
    if (busy) return;
    if (floatFen === null || floatFen < 0) return setError(t('shiftScreen.badAmount'));
    if (floatFen > counted) return setError(t('cashCount.floatTooBig'));
    if (diff !== 0 && !confirming) return setConfirming(true);
    setBusy(true);
    setError('');
    try {
      const count: CashCountLine[] = DENOMINATIONS_FEN.filter((d) => n(d) > 0).map((d) => ({ denomFen: d, count: n(d) }));
      const r = await call('shift.close', { shiftId: report.shiftId, count, floatLeftFen: floatFen, ...(note.trim() ? { note: note.trim() } : {}) });
      onClosed(r);
    } catch (e) {
      setConfirming(false);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="counter" data-testid="cash-counter">
      <div className="counter-rows">
        <p className="muted">{t('cashCount.hint')}</p>
        <table className="counter-table">
          <thead>
            <tr>
              <th>{t('cashCount.denom')}</th>
              <th>{t('cashCount.pieces')}</th>
              <th className="num">{t('cashCount.subtotal')}</th>
            </tr>
          </thead>
          <tbody>
            {DENOMINATIONS_FEN.map((d) => (
              <tr key={d} className={selected === d ? 'sel' : ''} onClick={() => focus(d)}>
                <td className="counter-denom">{label(d)}</td>
                <td>
                  <div className="counter-stepper">
                    <button type="button" className="btn step" aria-label={t('cashCount.less')} onClick={() => set(d, String(Math.max(0, n(d) - 1)))} data-testid={`count-${d}-minus`}>
                      −
                    </button>
                    <input
                      ref={(el) => {
                        if (el) inputs.current.set(d, el);
                      }}
                      className="counter-input"
                      inputMode="numeric"
                      autoComplete="off"
                      value={counts[d] ?? ''}
                      placeholder="0"
                      onFocus={() => setSelected(d)}
                      onChange={(e) => set(d, e.target.value.normalize('NFKC'))}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          next();
                        }
                      }}
                      data-testid={`count-${d}`}
                    />
                    <button type="button" className="btn step" aria-label={t('cashCount.more')} onClick={() => set(d, String(n(d) + 1))} data-testid={`count-${d}-plus`}>
                      +
                    </button>
                  </div>
                </td>
                <td className="num">{formatYuan(d * n(d))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <aside className="counter-side">
        <div className="counter-totals">
          <CountTotals expectedFen={expected} countedFen={counted} testIds={{ expected: 'counter-expected', counted: 'counter-counted', diff: 'counter-diff' }} />
          {floatFen !== null && floatFen <= counted && (
            <div className="ct-row ct-small">
              <span>{t('cashCount.handover')}</span>
              <span data-testid="counter-handover">{formatYuan(counted - floatFen)}</span>
            </div>
          )}
        </div>
        <div className="counter-extra">
          <label>
            <span className="muted">{t('cashCount.floatLeft')}</span>
            <input className="st-input" inputMode="decimal" value={floatLeft} onChange={(e) => setFloatLeft(e.target.value)} data-testid="counter-float" />
          </label>
          <label>
            <span className="muted">{t('cashCount.note')}</span>
            <input className="st-input" value={note} maxLength={80} placeholder={t('cashCount.notePlaceholder')} onChange={(e) => setNote(e.target.value)} data-testid="counter-note" />
          </label>
        </div>
        <NumPad
          dot={false}
          onKey={(k) => {
            set(selected, padEdit(counts[selected] ?? '', k, 0, 5));
            inputs.current.get(selected)?.focus();
          }}
          onEnter={next}
          enterLabel="↓"
          testId="counter-pad"
        />
        {confirming && (
          <p className="warn-note" data-testid="counter-confirm-note">
            {t('cashCount.confirmShort', { amount: formatYuan(Math.abs(diff)), word })}
          </p>
        )}
        <div className="error-line" role="alert" data-testid="counter-error">
          {error}
        </div>
        <div className="row-actions">
          <button type="button" className="btn" onClick={onBack}>
            {t('cashCount.back')}
          </button>
          <button type="button" className="btn primary big" disabled={busy} onClick={() => void close()} data-testid="counter-confirm">
            {confirming ? t('cashCount.confirmDo') : t('cashCount.confirm')}
          </button>
        </div>
      </aside>
    </div>
  );
}
