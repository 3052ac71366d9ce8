import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** A CSS colour; defaults to the palette by position. */
  color?: string;
}

const PALETTE = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16'];

export const colorAt = (index: number) => PALETTE[index % PALETTE.length] ?? '#3b82f6';

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * A time-series chart (uPlot, canvas): created once per shape and theme, then fed new data with
 * setData, so live updates do not rebuild it. `label` names the chart for screen readers, which get
 * a short text summary instead of the canvas.
 */
export function LineChart({
  label,
  times,
  series,
  height = 180,
  theme,
  kind = 'line',
  summary,
  formatTick,
}: {
  label: string;
  times: number[];
  series: ChartSeries[];
  height?: number;
  theme: string;
  kind?: 'line' | 'bars';
  summary?: string;
  /** Labels of the y axis (uPlot's default rounds tiny values such as costs to 0). */
  formatTick?: (value: number) => string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const shape = `${series.map((s) => s.label).join('|')}:${theme}:${kind}:${height}`;
  const data = [times.map((t) => t / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData;
  const dataRef = useRef(data);
  dataRef.current = data;

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the shape or theme changes
  useEffect(() => {
    const el = host.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const axisColor = cssVar('--muted', '#888');
    const gridColor = cssVar('--grid', 'rgba(128,128,128,0.15)');
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const bars = kind === 'bars' ? uPlot.paths.bars?.({ size: [0.8, 24] }) : undefined;
    const made = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height,
        legend: { show: series.length > 1 },
        cursor: { drag: { x: false, y: false } },
        axes: [
          axis,
          {
            ...axis,
            size: formatTick ? 76 : 56,
            ...(formatTick ? { values: (_u: uPlot, ticks: number[]) => ticks.map(formatTick) } : {}),
          },
        ],
        scales: { x: { time: true } },
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color ?? colorAt(i),
            width: 2,
            fill: series.length === 1 ? `${s.color ?? colorAt(i)}22` : undefined,
            ...(bars ? { paths: bars, fill: `${s.color ?? colorAt(i)}aa` } : {}),
          })),
        ],
      },
      dataRef.current,
      el,
    );
    chart.current = made;
    const observer = new ResizeObserver(() => made.setSize({ width: Math.max(el.clientWidth, 200), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      made.destroy();
      chart.current = null;
    };
  }, [shape]);

  useEffect(() => {
    chart.current?.setData(data);
  });

  return (
    <figure className="chart" aria-label={label}>
      <div ref={host} className="chart-canvas" aria-hidden="true" />
      <figcaption className="visually-hidden">{summary ?? label}</figcaption>
    </figure>
  );
}
