// 交班 tab: the till's open shift as this user may see it (a cashier: only their own), its live X
// report, cash in and out, the count and close, and the hand-over to the next cashier. A shift left
// open overnight says so and is closed on its own business day. Recent shifts with their
// differences and a reprint of the shift report.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShiftReport, ShiftState, ShiftSummary } from '../../../../shared/api/shift';
import { formatYuan, parseYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Entry } from '../../components/Entry';
import { Money } from '../../components/Money';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { CashCounter, type Closed } from './CashCounter';
import { CashMoveDialog } from './CashMoveDialog';
import { clock, dateTime, messageOf } from './format';
import { CountTotals, diffWord, FigCard, TenderTable } from './ReportFigures';

type Mode = { kind: 'view' } | { kind: 'count' } | { kind: 'done'; closed: Closed };

export function ShiftTab() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [state, setState] = useState<ShiftState | null>(null);
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [list, setList] = useState<ShiftSummary[]>([]);
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [dialog, setDialog] = useState<'open' | 'cash_in' | 'cash_out' | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const s = await call('shift.state', {});
      setState(s);
      setReport(s.current && s.current.openingCashFen !== null ? await call('shift.report', { shiftId: s.current.id }) : null);
      setList(await call('shift.list', { limit: 10 }));
    } catch (e) {
      setMessage({ ok: false, text: messageOf(e) });
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const reprint = async (shiftId: string) => {
    try {
      await call('shift.reprint', { shiftId });
      setMessage({ ok: true, text: t('shiftScreen.reprinted') });
    } catch (e) {
      setMessage({ ok: false, text: messageOf(e) });
    }
  };

  if (!state) return <div className="boot">{t('app.loading')}</div>;

  if (mode.kind === 'count' && report) {
    return (
      <CashCounter
        report={report}
        onBack={() => setMode({ kind: 'view' })}
        onClosed={(closed) => {
          setMode({ kind: 'done', closed });
          void useSession.getState().refreshStatus();
          void load();
        }}
      />
    );
  }
  if (mode.kind === 'done') return <Done closed={mode.closed} onReprint={() => void reprint(mode.closed.report.shiftId)} message={message} />;

  const cur = state.current;
  return (
    <div className="shift-tab">
      {message && (
        <p className={message.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="shift-message">
          {message.text}
        </p>
      )}
      {!cur && (
        <div className="shift-panel" data-testid="shift-none">
          <p className="big-note">{t('shiftScreen.none')}</p>
          <p className="muted">{t('shiftScreen.openHint', { amount: formatYuan(state.suggestedFloatFen) })}</p>
          <button type="button" className="btn primary big" onClick={() => setDialog('open')} data-testid="shift-open">
            {t('shiftScreen.open')}
          </button>
        </div>
      )}
      {cur && !report && (
        <p className="warn-note big-note" data-testid="shift-other">
          {t('shiftScreen.otherCashier', { name: cur.userName, since: dateTime(cur.openedAt, lang) })}
        </p>
      )}
      {cur && report && (
        <>
          {cur.stale && (
            <p className="warn-note big-note" data-testid="shift-stale">
              ⚠ {t('shiftScreen.stale', { day: cur.businessDay })}
            </p>
          )}
          <header className="settings-head">
            <div>
              <h2>{t('shiftScreen.who', { name: report.cashier })}</h2>
              <div className="muted">{t('shiftScreen.since', { time: dateTime(report.openedAt, lang), day: report.businessDay, no: report.shiftNo })}</div>
            </div>
            <div className="settings-head-actions">
              <button type="button" className="btn" onClick={() => void load()}>
                {t('shiftScreen.refresh')}
              </button>
              <button type="button" className="btn" onClick={() => setDialog('cash_in')} disabled={cur.stale} data-testid="cash-in">
                {t('shiftScreen.cashInBtn')}
              </button>
              <button type="button" className="btn" onClick={() => setDialog('cash_out')} disabled={cur.stale} data-testid="cash-out">
                {t('shiftScreen.cashOutBtn')}
              </button>
              <button type="button" className="btn primary big" onClick={() => setMode({ kind: 'count' })} data-testid="shift-count">
                {t('shiftScreen.closeBtn')}
              </button>
            </div>
          </header>
          <ShiftFigures report={report} />
        </>
      )}
      <h3>{t('shiftScreen.recent')}</h3>
      <table className="queue-table" data-testid="shift-list">
        <thead>
          <tr>
            <th>{t('shiftScreen.colNo')}</th>
            <th>{t('shiftScreen.colWho')}</th>
            <th>{t('shiftScreen.colOpened')}</th>
            <th>{t('shiftScreen.colClosed')}</th>
            <th className="num">{t('shiftScreen.colExpected')}</th>
            <th className="num">{t('shiftScreen.colCounted')}</th>
            <th className="num">{t('shiftScreen.colDiff')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((s) => (
            <tr key={s.id}>
              <td className="nowrap">{s.shiftNo}</td>
              <td>{s.userName}</td>
              <td className="nowrap">{dateTime(s.openedAt, lang)}</td>
              <td className="nowrap">{s.closedAt ? dateTime(s.closedAt, lang) : <strong>{t('shiftScreen.stillOpen')}</strong>}</td>
              <td className="num">{s.expectedCashFen !== null ? formatYuan(s.expectedCashFen) : ''}</td>
              <td className="num">{s.countedCashFen !== null ? formatYuan(s.countedCashFen) : ''}</td>
              <td className="num">{s.differenceFen !== null ? <Difference fen={s.differenceFen} /> : ''}</td>
              <td>
                {s.closedAt && (
                  <button type="button" className="btn" onClick={() => void reprint(s.id)} data-testid={`shift-reprint-${s.shiftNo}`}>
                    {t('shiftScreen.reprint')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dialog === 'open' && (
        <OpenDialog
          suggestedFen={state.suggestedFloatFen}
          onClose={() => setDialog(null)}
          onOpened={(text) => {
            setDialog(null);
            setMessage({ ok: true, text });
            void useSession.getState().refreshStatus();
            void load();
          }}
        />
      )}
      {(dialog === 'cash_in' || dialog === 'cash_out') && (
        <CashMoveDialog
          kind={dialog}
          onClose={() => setDialog(null)}
          onDone={(text) => {
            setDialog(null);
            setMessage({ ok: true, text });
            void load();
          }}
        />
      )}
    </div>
  );

}

function Difference({ fen }: { fen: number }) {
  const { t } = useTranslation();
  return (
    <span className={fen < 0 ? 'money-neg' : ''}>
      {fen > 0 ? '+' : ''}
      {formatYuan(fen)} {diffWord(t, fen)}
    </span>
  );
}

function ShiftFigures({ report: r }: { report: ShiftReport }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const c = r.cash;
  return (
    <div className="shift-figures">
      <div className="fig-cards">
        <FigCard label={t('shiftScreen.sales')} testId="shift-sales" note={t('shiftScreen.count', { count: r.sales.count })}>
          {formatYuan(r.sales.totalFen)}
        </FigCard>
        <FigCard label={t('shiftScreen.returns')} note={t('shiftScreen.count', { count: r.returns.count })}>
          <Money fen={r.returns.totalFen} />
        </FigCard>
        <FigCard label={t('shiftScreen.voids')} note={`${t('shiftScreen.noSale')} ${t('shiftScreen.times', { count: r.noSaleCount })}`}>
          {t('shiftScreen.count', { count: r.voids.count })}
        </FigCard>
        <FigCard label={t('shiftScreen.expected')} testId="shift-expected" main>
          {formatYuan(c.expectedFen)}
        </FigCard>
      </div>
      <div className="fig-tables">
        <TenderTable tenders={r.tenders} />
        <table className="queue-table">
          <caption>{t('shiftScreen.cash')}</caption>
          <tbody>
            {(
              [
                ['float', c.openingFen],
                ['cashSales', c.salesFen],
                ['cashRefunds', c.refundsFen],
                ['cashIn', c.inFen],
                ['cashOut', c.outFen],
              ] as const
            ).map(([k, fen]) => (
              <tr key={k}>
                <td>{t(`shiftScreen.${k}`)}</td>
                <td className="num">
                  <Money fen={fen} />
                </td>
              </tr>
            ))}
            <tr>
              <td>
                <strong>{t('shiftScreen.expected')}</strong>
              </td>
              <td className="num">
                <strong>{formatYuan(c.expectedFen)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
        <table className="queue-table" data-testid="shift-moves">
          <caption>{t('shiftScreen.moves')}</caption>
          <tbody>
            {r.moves.map((m) => (
              <tr key={m.id}>
                <td className="nowrap">{clock(m.at, lang)}</td>
                <td>
                  {t(m.kind === 'cash_in' ? 'shiftScreen.cashIn' : 'shiftScreen.cashOut')} · {m.reason}
                  <div className="muted">{m.approverName && m.approverName !== m.userName ? `${m.userName} / ${m.approverName}` : m.userName}</div>
                </td>
                <td className="num">
                  <Money fen={m.amountFen} />
                </td>
              </tr>
            ))}
            {!r.moves.length && (
              <tr>
                <td className="muted">{t('shiftScreen.noMoves')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function OpenDialog({ suggestedFen, onClose, onOpened }: { suggestedFen: number; onClose(): void; onOpened(text: string): void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState((suggestedFen / 100).toFixed(2));
  const [error, setError] = useState('');
  const submit = async () => {
    let fen: number;
    try {
      fen = value ? parseYuan(value) : 0;
    } catch {
      return setError(t('shiftScreen.badAmount'));
    }
    if (fen < 0) return setError(t('shiftScreen.badAmount'));
    try {
      await call('shift.open', { openingCashFen: fen });
      onOpened(t('shiftScreen.openedToast', { amount: formatYuan(fen) }));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Dialog title={t('shiftScreen.openTitle')} testId="shift-open-dialog" onClose={onClose}>
      <Entry value={value} onChange={setValue} onSubmit={() => void submit()} prefix="¥" placeholder="0.00" testId="shift-open-float" enterLabel={t('shiftScreen.open')} />
      <div className="error-line" role="alert">
        {error}
      </div>
    </Dialog>
  );
}

/** After the close: the difference once more, the report on its way to the printer, and the hand-over. */
function Done({ closed, onReprint, message }: { closed: Closed; onReprint(): void; message: { ok: boolean; text: string } | null }) {
  const { t } = useTranslation();
  const c = closed.report.cash;
  return (
    <div className="shift-panel shift-done" data-testid="shift-done">
      <p className="ok-line big-note">{t('cashCount.done')}</p>
      <div className="counter-totals">
        <CountTotals expectedFen={c.expectedFen} countedFen={c.countedFen ?? 0} testIds={{ diff: 'done-diff' }} />
        <div className="ct-row">
          <span>{t('cashCount.floatLeft')}</span>
          <strong>{formatYuan(c.floatLeftFen ?? 0)}</strong>
        </div>
        <div className="ct-row">
          <span>{t('cashCount.handover')}</span>
          <strong>{formatYuan(c.handoverFen ?? 0)}</strong>
        </div>
      </div>
      {message && <p className={message.ok ? 'settings-ok' : 'settings-error'}>{message.text}</p>}
      <p className="muted">{t('cashCount.handOverHint', { amount: formatYuan(c.floatLeftFen ?? 0) })}</p>
      <div className="row-actions">
        <button type="button" className="btn big" onClick={onReprint} data-testid="done-reprint">
          {t('shiftScreen.reprint')}
        </button>
        <button type="button" className="btn big" onClick={() => useNav.getState().go('checkout')}>
          {t('cashCount.toCheckout')}
        </button>
        <button type="button" className="btn primary big" onClick={() => void useSession.getState().logout()} data-testid="hand-over">
          {t('cashCount.handOver')}
        </button>
      </div>
    </div>
  );
}
