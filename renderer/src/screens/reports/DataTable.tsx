// A report's table: columns as the main side defined them, the header and the totals fixed, rows
// virtualized (a report may have thousands), numbers right-aligned in tabular figures.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnDef, ReportRow } from '../../../../shared/reports/defs';
import { cellText, isNumeric } from './format';

const ROW = 44;

/** The least width of a column, px (a wider screen shares out the rest). */
function minWidthOf(c: ColumnDef): number {
  if (c.key === 'name' || c.key === 'member') return 180;
  if (c.type === 'text' || c.type === 'day') return 110;
  return 88;
}
const widthOf = (c: ColumnDef) => `minmax(${minWidthOf(c)}px, ${c.key === 'name' ? 2 : 1}fr)`;

export function DataTable({ columns, rows, totals, testId }: { columns: ColumnDef[]; rows: ReportRow[]; totals: ReportRow | null; testId?: string }) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const grid = { gridTemplateColumns: columns.map(widthOf).join(' ') };
  const label = (c: ColumnDef) => (i18n.language === 'en' ? c.en : c.zh);
  const cells = (r: ReportRow) =>
    columns.map((c) => (
      <div key={c.key} className={`dt-cell ${isNumeric(c) ? 'num' : ''}`} data-col={c.key}>
        {cellText(c, r, t, i18n.language)}
      </div>
    ));
  return (
    <div className="dt" data-testid={testId} role="table">
      <div className="dt-scroll" ref={scroller}>
        <div className="dt-inner" style={{ minWidth: columns.reduce((w, c) => w + minWidthOf(c), 0) }}>
        <div className="dt-head dt-row" style={grid} role="row">
          {columns.map((c) => (
            <div key={c.key} className={`dt-cell ${isNumeric(c) ? 'num' : ''}`} role="columnheader">
              {label(c)}
            </div>
          ))}
        </div>
        {rows.length === 0 ? (
          <div className="dt-empty">{t('reports.noRows')}</div>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => (
              <div
                key={v.key}
                className={`dt-row ${v.index % 2 ? 'odd' : ''}`}
                role="row"
                data-testid="dt-row"
                style={{ ...grid, position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
              >
                {cells(rows[v.index])}
              </div>
            ))}
          </div>
        )}
        {totals && (
          <div className="dt-row dt-totals" style={grid} role="row" data-testid="dt-totals">
            {cells(totals)}
          </div>
        )}
        </div>
      </div>
    </div>
  );
}
