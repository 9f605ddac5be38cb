// On-screen letter pad for 查找 (touch-only counters have no keyboard): A–Z in alphabetical order
// for pinyin initials (kkkl → 可口可乐), the digits for codes, backspace and clear. Keys ≥ 44 px.
// Focus stays in the search field (mousedown is not allowed to take it), so a keyboard still works.
import { useTranslation } from 'react-i18next';

const DIGITS = '1234567890'.split('');
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/** Applies a letter-pad key to the text: a character is appended, Backspace / Clear edit. */
export function letterEdit(value: string, key: string, maxLen = 40): string {
  if (key === 'Backspace') return value.slice(0, -1);
  if (key === 'Clear') return '';
  return (value + key).slice(0, maxLen);
}

export function LetterPad({ onKey, testId }: { onKey(key: string): void; testId: string }) {
  const { t } = useTranslation();
  const key = (label: string, value: string, cls = '') => (
    <button
      key={value}
      type="button"
      className={`lp-key ${cls}`}
      data-key={value}
      onMouseDown={(e) => e.preventDefault() /* keep focus in the field */}
      onClick={() => onKey(value)}
    >
      {label}
    </button>
  );
  return (
    <div className="letterpad" role="group" aria-label={t('counter.letterPad')} data-testid={testId}>
      {DIGITS.map((d) => key(d, d, 'lp-digit'))}
      {LETTERS.map((l) => key(l, l.toLowerCase()))}
      {key('⌫', 'Backspace', 'lp-wide')}
      {key(t('common.clear'), 'Clear', 'lp-wide')}
    </div>
  );
}
