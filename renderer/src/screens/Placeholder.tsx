import { useTranslation } from 'react-i18next';
import { useNav, type Screen } from '../stores/nav';

// A screen that is not built yet says so in the user's words (what it will do, what to do today)
// and offers the way back to the checkout; nothing on it pretends to work.
export function Placeholder({ screen }: { screen: Exclude<Screen, 'checkout'> }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  return (
    <section className="placeholder" data-testid={`screen-${screen}`}>
      <h2>
        {t(`nav.${screen}`)} <span className="tag">{t('counter.soon.badge')}</span>
      </h2>
      <p data-testid="placeholder-text">{t(`counter.soon.${screen}`, { defaultValue: t('counter.soon.badge') })}</p>
      <button type="button" className="btn" onClick={() => go('checkout')} data-testid="placeholder-back">
        {t('counter.soon.back')}
      </button>
    </section>
  );
}
