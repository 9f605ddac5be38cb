// One ECharts chart in a div: drawn on the canvas renderer with only the chart kinds the dashboard
// uses (this module is loaded with the dashboard, never with the checkout), resized with its box,
// disposed with the component. data-drawn="1" once ECharts says the drawing is finished (e2e and the
// dashboard_load_ms bench wait for it).
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function EChart({ option, testId, label }: { option: ChartOption; testId: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, null, { renderer: 'canvas' });
    chart.current = c;
    c.on('finished', () => el.setAttribute('data-drawn', '1'));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={box} className="echart" data-testid={testId} role="img" aria-label={label} />;
}
