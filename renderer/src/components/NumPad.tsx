// On-screen numeric pad (touch first, keys ≥ 44 px) laid out like a keyboard's number block.
// It types into a value the caller owns; the physical keys go to the focused field as usual.
import { useTranslation } from 'react-i18next';

interface Props {
  onKey(k: string): void;
  onEnter?(): void;
  enterLabel?: string;
  /** Show the decimal point key. */
  dot?: boolean;
  /** Extra key (e.g. "×" for a multiplier, "00"). */
  extra?: string;
  compact?: boolean;
  testId?: string;
}

export function NumPad({ onKey, onEnter, enterLabel, dot = true, extra, compact, testId }: Props) {
  const { t } = useTranslation();
  const k = (label: string, value = label, cls = '') => (
    <button
      key={value}
      type="button"
      className={`np-key ${cls}`}
      data-key={value}
      onMouseDown={(e) => e.preventDefault() /* keep focus in the field */}
      onClick={() => onKey(value)}
    >
      {label}
    </button>
  );
  return (
    <div className={`numpad ${compact ? 'numpad-compact' : ''}`} data-testid={testId}>
      {k('7')}
      {k('8')}
      {k('9')}
      {k('⌫', 'Backspace', 'np-muted')}
      {k('4')}
      {k('5')}
      {k('6')}
      {k(t('common.clear'), 'Clear', 'np-muted')}
      {k('1')}
      {k('2')}
      {k('3')}
      <button
        type="button"
        className="np-key np-enter"
        data-key="Enter"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onEnter?.()}
      >
        {enterLabel ?? t('common.ok')}
      </button>
      {k('0', '0', `np-span${4 - (dot ? 1 : 0) - (extra ? 1 : 0) - 1}`)}
      {dot && k('.')}
      {extra && k(extra)}
    </div>
  );
}

/** Applies a pad key to a text value (digits, '.', Backspace, Clear; keeps at most `decimals`). */
export function padEdit(value: string, key: string, decimals = 2, maxLen = 12): string {
  if (key === 'Backspace') return value.slice(0, -1);
  if (key === 'Clear') return '';
  if (key === '.') return decimals > 0 && !value.includes('.') ? (value || '0') + '.' : value;
  if (!/^\d$/.test(key) && key.length === 1) return (value + key).slice(0, maxLen);
  if (!/^\d+$/.test(key)) return value;
  const dotAt = value.indexOf('.');
  if (dotAt >= 0 && value.length - dotAt > decimals) return value;
  if (value === '0' && key !== '.') return key;
  return (value + key).slice(0, maxLen);
}
