// A number field with the on-screen pad under it: the physical keys type into the field, the pad
// keys do the same, Enter (either) submits. Used for quantities, weights, prices, phone numbers.
import { useEffect, useRef } from 'react';
import { NumPad, padEdit } from './NumPad';

interface Props {
  value: string;
  onChange(v: string): void;
  onSubmit(): void;
  decimals?: number;
  maxLen?: number;
  placeholder?: string;
  suffix?: string;
  prefix?: string;
  enterLabel?: string;
  testId: string;
  extra?: string;
  big?: boolean;
}

export function Entry({ value, onChange, onSubmit, decimals = 2, maxLen = 12, placeholder, suffix, prefix, enterLabel, testId, extra, big }: Props) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const allowed = decimals > 0 ? /[^\d.]/g : /\D/g;
  return (
    <div className="entry">
      <form
        className={`entry-field ${big ? 'entry-big' : ''}`}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {prefix && <span className="entry-affix">{prefix}</span>}
        <input
          ref={input}
          value={value}
          inputMode={decimals > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          placeholder={placeholder}
          maxLength={maxLen}
          onChange={(e) => onChange(e.target.value.normalize('NFKC').replace(allowed, ''))}
          data-testid={testId}
        />
        {suffix && <span className="entry-affix">{suffix}</span>}
      </form>
      <NumPad
        dot={decimals > 0}
        extra={extra}
        onKey={(k) => {
          onChange(padEdit(value, k, decimals, maxLen));
          input.current?.focus();
        }}
        onEnter={onSubmit}
        enterLabel={enterLabel}
        testId={`${testId}-pad`}
      />
    </div>
  );
}

/** "1.25" → 1250 thousandths; null when not a positive number with ≤ 3 decimals. */
export function parseThousandths(s: string): number | null {
  const m = /^(\d{0,7})(?:\.(\d{0,3}))?$/.exec(s.trim());
  if (!m || (!m[1] && !m[2])) return null;
  const v = Number(m[1] || '0') * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return v > 0 ? v : null;
}
