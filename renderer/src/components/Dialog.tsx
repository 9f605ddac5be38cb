// A modal panel over a screen. Esc (or the close button) backs out without touching the cart, on
// every screen; F-keys stop here; scans pass through to the layer below unless the dialog takes them.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LEVEL, useLayer } from '../keys/layers';

interface Props {
  title: string;
  testId: string;
  onClose(): void;
  onScan?(code: string): boolean | void;
  children: ReactNode;
  wide?: boolean;
  full?: boolean;
  footer?: ReactNode;
}

export function Dialog({ title, testId, onClose, onScan, children, wide, full, footer }: Props) {
  const { t } = useTranslation();
  useLayer({ onEsc: onClose, onScan, modal: true }, LEVEL.dialog);
  return (
    <div className={`backdrop ${full ? 'backdrop-full' : ''}`}>
      <section
        className={`dialog ${wide ? 'dialog-wide' : ''} ${full ? 'dialog-full' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
      >
        <header className="dialog-head">
          <h2>{title}</h2>
          <button type="button" className="btn dialog-close" onClick={onClose} data-testid="dialog-close">
            {t('common.close')} <kbd>Esc</kbd>
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-foot">{footer}</footer>}
      </section>
    </div>
  );
}
