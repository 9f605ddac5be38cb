// After a login: when the till's open shift was opened on an earlier business day (left open
// overnight), say so at once and offer to count and close it on its own business day (交班 screen).
// A cashier is told only about their own shift; another cashier's stale shift is a manager's job.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpenShiftInfo } from '../../../../shared/api/shift';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';

export function StaleShiftPrompt() {
  const { t } = useTranslation();
  const userId = useSession((s) => s.session?.userId);
  const [stale, setStale] = useState<OpenShiftInfo | null>(null);
  useEffect(() => {
    setStale(null);
    if (!userId) return;
    let live = true;
    call('shift.state', {})
      .then((s) => live && setStale(s.current?.stale && s.current.openingCashFen !== null ? s.current : null))
      .catch(() => undefined); // the 交班 screen says it too
    return () => {
      live = false;
    };
  }, [userId]);
  if (!stale) return null;
  return (
    <Dialog title={t('shiftScreen.staleTitle')} testId="stale-shift" onClose={() => setStale(null)}>
      <p className="big-note">{t('shiftScreen.staleAsk', { name: stale.userName, day: stale.businessDay })}</p>
      <div className="row-actions">
        <button type="button" className="btn big" onClick={() => setStale(null)}>
          {t('shiftScreen.later')}
        </button>
        <button
          type="button"
          className="btn primary big"
          onClick={() => {
            setStale(null);
            useNav.getState().go('shift');
          }}
          data-testid="stale-shift-go"
        >
          {t('shiftScreen.closeNow')}
        </button>
      </div>
    </Dialog>
  );
}
