import { useTranslation } from 'react-i18next';
import type { Screen } from '../stores/nav';

// Screens that later issues build: they say what they will be and do nothing that pretends to work.
export function Placeholder({ screen }: { screen: Exclude<Screen, 'checkout'> }) {
  const { t } = useTranslation();
  return (
    <section className="placeholder" data-testid={`screen-${screen}`}>
      <h2>{t(`nav.${screen}`)}</h2>
      <p>{t(`placeholder.${screen}`)}</p>
      <p className="muted">{t('placeholder.notYet')}</p>
    </section>
  );
}
