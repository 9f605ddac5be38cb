// Business days from / to: presets (今天, 昨天, 近7天, 本周, 本月, 上月, 今年) and two date fields.
import { useTranslation } from 'react-i18next';
import { PRESETS, presetRange, type Preset } from './format';

export interface Range {
  from: string;
  to: string;
}

export function RangePicker({ today, value, onChange, presets = PRESETS }: { today: string; value: Range; onChange(r: Range): void; presets?: readonly Preset[] }) {
  const { t } = useTranslation();
  const active = presets.find((p) => {
    const r = presetRange(p, today);
    return r.from === value.from && r.to === value.to;
  });
  return (
    <div className="range-picker" data-testid="range-picker">
      <div className="range-presets" role="group" aria-label={t('reports.range')}>
        {presets.map((p) => (
          <button
            key={p}
            type="button"
            className={`btn range-preset ${active === p ? 'active' : ''}`}
            aria-pressed={active === p}
            onClick={() => onChange(presetRange(p, today))}
            data-testid={`range-${p}`}
          >
            {t(`reports.preset.${p}`)}
          </button>
        ))}
      </div>
      <label className="range-field">
        <span>{t('reports.from')}</span>
        <input type="date" value={value.from} max={value.to} onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })} data-testid="range-from" />
      </label>
      <label className="range-field">
        <span>{t('reports.to')}</span>
        <input type="date" value={value.to} min={value.from} onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })} data-testid="range-to" />
      </label>
    </div>
  );
}
