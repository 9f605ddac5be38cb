// 数据看板 (the owner): today against the same weekday last week (up to this hour, and the whole
// day), 客单价, 连带率, 复购, hourly traffic, 30 days of net sales, best sellers at the counter beside
// the online shop's (an honest empty column until online orders arrive), and low stock. Each figure
// has its definition one tap away (ⓘ), worded as shared/reports/kpi.ts computes it. Loaded on first
// use with ECharts, so the checkout never carries the charts' code.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardData, DashboardKpis } from '../../../../shared/api/reports';
import { changePct } from '../../../../shared/reports/kpi';
import { call, on } from '../../api/client';
import { errorText, formatMoney, formatQty } from '../reports/format';
import { EChart, type ChartOption } from './EChart';
import '../reports/reports.css';
import './dashboard.css';

const BRAND = '#c8102e';
const GREY = '#8a939d';

/** ⓘ with the figure's definition: a tap shows it (no hover-only help on a touchscreen). */
function Definition({ id, text }: { id: string; text: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <span className="def">
      <button type="button" className="def-btn" aria-expanded={open} aria-label={t('dashboard.definition')} title={text} onClick={() => setOpen(!open)} data-testid={`def-${id}`}>
        ⓘ
      </button>
      {open && (
        <span className="def-pop" role="tooltip" data-testid={`def-text-${id}`}>
          {text}
        </span>
      )}
    </span>
  );
}

function Change({ now, before }: { now: number | null; before: number | null }) {
  const { t } = useTranslation();
  if (now === null || before === null) return <span className="chg">—</span>;
  const pct = changePct(now, before);
  if (pct === null) return <span className="chg">—</span>;
  const word = pct > 0 ? t('dashboard.up') : pct < 0 ? t('dashboard.down') : t('dashboard.same');
  return (
    <span className={`chg ${pct > 0 ? 'up' : pct < 0 ? 'down' : ''}`}>
      {pct > 0 ? '▲' : pct < 0 ? '▼' : '＝'} {word} {Math.abs(pct).toFixed(1)}%
    </span>
  );
}

type KpiKey = 'netFen' | 'tickets' | 'avgTicketFen' | 'itemsPerTicket';
const KPIS: { key: KpiKey; money: boolean }[] = [
  { key: 'netFen', money: true },
  { key: 'tickets', money: false },
  { key: 'avgTicketFen', money: true },
  { key: 'itemsPerTicket', money: false },
];

function KpiCard({ k, d }: { k: (typeof KPIS)[number]; d: DashboardData }) {
  const { t } = useTranslation();
  const show = (v: number | null) => (v === null ? '—' : k.money ? formatMoney(v) : k.key === 'itemsPerTicket' ? v.toFixed(2) : v.toLocaleString());
  const ref: DashboardKpis = d.lastWeekSoFar ?? d.lastWeek;
  return (
    <div className={`kpi ${k.key === 'netFen' ? 'kpi-main' : ''}`} data-testid={`kpi-${k.key}`}>
      <div className="kpi-head">
        <span>{t(`dashboard.kpi.${k.key}`)}</span>
        <Definition id={k.key} text={t(`dashboard.def.${k.key}`)} />
      </div>
      <strong className="kpi-value" data-testid={`kpi-${k.key}-value`}>
        {show(d.today[k.key])}
      </strong>
      <div className="kpi-cmp">
        <Change now={d.today[k.key]} before={ref[k.key]} />
        <span className="muted">
          {d.lastWeekSoFar ? t('dashboard.vsSoFar', { value: show(ref[k.key]), hour: d.asOfHour }) : t('dashboard.vsDay', { value: show(ref[k.key]) })}
        </span>
      </div>
      {d.lastWeekSoFar && <small className="muted">{t('dashboard.lastWeekDay', { value: show(d.lastWeek[k.key]) })}</small>}
    </div>
  );
}

export function Dashboard() {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = async () => {
    setLoading(true);
    try {
      setData(await call('dashboard.load', {}));
      setError(null);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
    // A sale or a return moves the figures: refresh a few seconds after the last one.
    const off = on('sale', () => {
      if (pending.current) clearTimeout(pending.current);
      pending.current = setTimeout(() => void load(), 3000);
    });
    return () => {
      off();
      if (pending.current) clearTimeout(pending.current);
    };
  }, []);

  const charts = useMemo(() => {
    if (!data) return null;
    const hours = Array.from({ length: 24 }, (_, h) => `${h}`);
    const axisText = { fontSize: 13 };
    const hourly: ChartOption = {
      animation: false,
      grid: { left: 40, right: 12, top: 36, bottom: 28 },
      legend: { top: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: hours, axisLabel: axisText, name: t('dashboard.hourAxis') },
      yAxis: { type: 'value', minInterval: 1, axisLabel: axisText },
      series: [
        { name: t('dashboard.today', { day: data.day }), type: 'bar', data: data.hourly.today, itemStyle: { color: BRAND } },
        { name: t('dashboard.lastWeekSeries', { day: data.lastWeekDay }), type: 'line', data: data.hourly.lastWeek, itemStyle: { color: GREY }, lineStyle: { type: 'dashed' } },
      ],
    };
    const trend: ChartOption = {
      animation: false,
      grid: { left: 64, right: 12, top: 16, bottom: 28 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatMoney(Math.round(Number(v) * 100)) },
      xAxis: { type: 'category', data: data.trend.map((x) => x.day.slice(5)), axisLabel: axisText },
      yAxis: { type: 'value', axisLabel: { ...axisText, formatter: (v: number) => `¥${v.toLocaleString()}` } },
      series: [{ name: t('dashboard.kpi.netFen'), type: 'line', smooth: true, areaStyle: { opacity: 0.12 }, data: data.trend.map((x) => x.netFen / 100), itemStyle: { color: BRAND } }],
    };
    const top = [...data.bestSellers.counter].reverse();
    const sellers: ChartOption = {
      animation: false,
      grid: { left: 128, right: 72, top: 4, bottom: 4 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => formatMoney(Math.round(Number(v) * 100)) },
      xAxis: { type: 'value', show: false },
      yAxis: { type: 'category', data: top.map((x) => x.name), axisLabel: { fontSize: 13, width: 120, overflow: 'truncate' } },
      series: [{ type: 'bar', data: top.map((x) => x.netFen / 100), itemStyle: { color: BRAND }, label: { show: true, position: 'right', formatter: (p: { value: number }) => formatMoney(Math.round(p.value * 100)) } }],
    };
    return { hourly, trend, sellers };
  }, [data, t, i18n.language]);

  return (
    <section className="dashboard" data-testid="screen-dashboard" data-loaded={data ? '1' : undefined}>
      <div className="dash-head">
        <h2>{t('dashboard.title')}</h2>
        {data && <span className="muted">{t('dashboard.asOf', { day: data.day, lastWeek: data.lastWeekDay })}</span>}
        <button type="button" className="btn" onClick={() => void load()} disabled={loading} data-testid="dash-refresh">
          {loading ? t('dashboard.loading') : t('dashboard.refresh')}
        </button>
      </div>
      {error && <p className="settings-error" role="alert">{error}</p>}
      {data && charts && (
        <div className="dash-grid">
          <div className="kpis">
            {KPIS.map((k) => (
              <KpiCard key={k.key} k={k} d={data} />
            ))}
          </div>
          <div className="panel panel-hourly">
            <div className="panel-head">
              <h3>{t('dashboard.hourly')}</h3>
              <Definition id="hourly" text={t('dashboard.def.hourly')} />
            </div>
            <EChart option={charts.hourly} testId="chart-hourly" label={t('dashboard.hourly')} />
          </div>
          <div className="panel panel-trend">
            <div className="panel-head">
              <h3>{t('dashboard.trend')}</h3>
              <Definition id="trend" text={t('dashboard.def.trend')} />
            </div>
            <EChart option={charts.trend} testId="chart-trend" label={t('dashboard.trend')} />
          </div>
          <div className="panel panel-repeat" data-testid="repurchase">
            <div className="panel-head">
              <h3>{t('dashboard.repurchase')}</h3>
            </div>
            <div className="rep-figs">
              <div>
                <span>
                  {t('dashboard.kpi.repurchaseDays')} <Definition id="repurchaseDays" text={t('dashboard.def.repurchaseDays')} />
                </span>
                <strong data-testid="kpi-repurchaseDays-value">
                  {data.repurchase.medianDays === null ? '—' : t('dashboard.days', { n: data.repurchase.medianDays })}
                </strong>
                <small className="muted">{t('dashboard.gaps', { n: data.repurchase.gaps })}</small>
              </div>
              <div>
                <span>
                  {t('dashboard.kpi.back30')} <Definition id="back30" text={t('dashboard.def.back30')} />
                </span>
                <strong data-testid="kpi-back30-value">{data.repurchase.backPct === null ? '—' : `${data.repurchase.backPct.toFixed(1)}%`}</strong>
                <small className="muted">{t('dashboard.backOf', { back: data.repurchase.back, eligible: data.repurchase.eligible })}</small>
              </div>
            </div>
            <small className="muted">{t('dashboard.window', { from: data.repurchase.from, to: data.repurchase.to })}</small>
          </div>
          <div className="panel panel-sellers">
            <div className="panel-head">
              <h3>{t('dashboard.bestSellers', { from: data.bestSellers.from.slice(5), to: data.bestSellers.to.slice(5) })}</h3>
              <Definition id="bestSellers" text={t('dashboard.def.bestSellers')} />
            </div>
            <div className="sellers-cols">
              <div className="sellers-col" data-testid="sellers-counter">
                <h4>{t('dashboard.counter')}</h4>
                {data.bestSellers.counter.length ? (
                  <EChart option={charts.sellers} testId="chart-sellers" label={t('dashboard.counter')} />
                ) : (
                  <p className="muted empty">{t('dashboard.noSales')}</p>
                )}
              </div>
              <div className="sellers-col sellers-online" data-testid="sellers-online">
                <h4>{t('dashboard.online')}</h4>
                {data.bestSellers.online === null ? <p className="muted empty">{t('dashboard.onlineNotYet')}</p> : null}
              </div>
            </div>
          </div>
          <div className="panel panel-stock" data-testid="low-stock">
            <div className="panel-head">
              <h3>{t('dashboard.lowStock')}</h3>
              <Definition id="lowStock" text={t('dashboard.def.lowStock')} />
            </div>
            {data.lowStock.length ? (
              <div className="low-wrap">
              <table className="low-table">
                <thead>
                  <tr>
                    <th>{t('dashboard.item')}</th>
                    <th className="num">{t('dashboard.stock')}</th>
                    <th className="num">{t('dashboard.cover')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.lowStock.map((x) => (
                    <tr key={x.code}>
                      <td>{x.name}</td>
                      <td className="num">
                        {formatQty(x.stockQty)}
                        {x.unit}
                      </td>
                      <td className={`num ${x.daysOfCover === 0 ? 'out' : ''}`}>{x.daysOfCover === 0 ? t('dashboard.soldOut') : t('dashboard.days', { n: x.daysOfCover })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            ) : (
              <p className="muted empty">{t('dashboard.noLowStock')}</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
