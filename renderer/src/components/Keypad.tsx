// On-screen numeric keypad (touch first, ≥ 44 px keys). Physical digit keys work too.
interface Props {
  onDigit(d: string): void;
  onBack(): void;
  onClear(): void;
  onEnter?(): void;
  enterLabel?: string;
  clearLabel: string;
  backLabel: string;
}

export function Keypad({ onDigit, onBack, onClear, onEnter, enterLabel, clearLabel, backLabel }: Props) {
  return (
    <div className="keypad" role="group">
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
        <button key={d} type="button" className="key" onClick={() => onDigit(d)} data-key={d}>
          {d}
        </button>
      ))}
      <button type="button" className="key key-muted" onClick={onClear}>
        {clearLabel}
      </button>
      <button type="button" className="key" onClick={() => onDigit('0')} data-key="0">
        0
      </button>
      <button type="button" className="key key-muted" onClick={onBack} aria-label={backLabel}>
        ⌫
      </button>
      {onEnter && (
        <button type="button" className="key key-primary key-wide" onClick={onEnter}>
          {enterLabel}
        </button>
      )}
    </div>
  );
}
