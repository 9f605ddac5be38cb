// 设置 → 设备 → 顾客屏: how a person connects the second screen. In the browser host, a link with
// the display's read-only token (it shows the customer display and can do nothing else), to open
// on the second screen, with "open" and "copy"; under Electron the display window opens by itself
// on a second monitor.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { displayLink } from '../../api/client';

export function CustomerDisplayLink() {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState('');
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    displayLink().then(setUrl, (e) => setError((e as Error).message));
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url!);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard (insecure context, denied): the link stays selectable on screen
    }
  };
  return (
    <section className="cd-link" data-testid="customer-display-link">
      <h3>{t('counter.display.title')}</h3>
      {url === null ? (
        <p className="settings-note">{t('counter.display.electron')}</p>
      ) : (
        <>
          <p className="settings-note">{t('counter.display.how')}</p>
          {url && (
            <div className="cd-link-row">
              <label className="field grow">
                <span>{t('counter.display.link')}</span>
                <input readOnly value={url} onFocus={(e) => e.target.select()} data-testid="customer-display-url" />
              </label>
              <button type="button" className="btn" onClick={() => void copy()} data-testid="customer-display-copy">
                {copied ? t('counter.display.copied') : t('counter.display.copy')}
              </button>
              <button
                type="button"
                className="btn primary"
                onClick={() => window.open(url, 'customer-display', 'width=1024,height=600')}
                data-testid="open-customer-display"
              >
                {t('counter.display.open')}
              </button>
            </div>
          )}
        </>
      )}
      {error && <p className="settings-error">{error}</p>}
    </section>
  );
}
