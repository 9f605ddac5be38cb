// 虚拟打印机: the receipts the virtual printer kept, as the pictures it drew from the very bytes a
// real printer would have received (and the text beside them on request).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VirtualReceipt } from '../../../../shared/api';
import { call } from '../../api/client';
import { useDevices } from '../../stores/devices';

export function VirtualTab() {
  const { t, i18n } = useTranslation();
  const tick = useDevices((s) => s.jobTick);
  const [jobs, setJobs] = useState<VirtualReceipt[] | null>(null);
  const [error, setError] = useState('');
  const [textOf, setTextOf] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('print.virtualJobs', { limit: 12 })
      .then((j) => live && (setJobs(j), setError('')))
      .catch((e) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [tick]);

  return (
    <div className="virtual-tab">
      <header className="settings-head">
        <h2>{t('settings.tabs.virtual')}</h2>
        <span className="settings-note">{t('settings.virtual.note')}</span>
      </header>
      {error && <p className="settings-error">{error}</p>}
      {jobs && !jobs.length && <p className="settings-note">{t('settings.virtual.empty')}</p>}
      <ul className="virtual-list" data-testid="virtual-jobs">
        {jobs?.map((j) => (
          <li key={j.id} className="virtual-item">
            <div className="virtual-head">
              <span>{new Date(j.at).toLocaleString(i18n.language)}</span>
              <button type="button" className="btn small" onClick={() => setTextOf(textOf === j.id ? null : j.id)}>
                {textOf === j.id ? t('settings.virtual.picture') : t('settings.virtual.text')}
              </button>
            </div>
            <div className="st-paper">
              {textOf === j.id || !j.png ? <pre className="virtual-text">{j.text}</pre> : <img src={j.png} alt={j.id} loading="lazy" />}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
