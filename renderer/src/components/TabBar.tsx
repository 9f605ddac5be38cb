// A row of tabs (设置, 交班 / 日结): role="tablist", the selected one marked for screen readers and
// styled by .settings-tab.active (settings.css).
export function TabBar<K extends string>(props: { tabs: readonly K[]; current: K; onSelect(k: K): void; label(k: K): string; testIdPrefix: string }) {
  const { tabs, current, onSelect, label, testIdPrefix } = props;
  return (
    <nav className="settings-tabs" role="tablist">
      {tabs.map((k) => (
        <button
          key={k}
          type="button"
          role="tab"
          aria-selected={current === k}
          className={`settings-tab ${current === k ? 'active' : ''}`}
          onClick={() => onSelect(k)}
          data-testid={`${testIdPrefix}${k}`}
        >
          {label(k)}
        </button>
      ))}
    </nav>
  );
}
