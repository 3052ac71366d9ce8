import type { UsagePoint } from '../../../../shared/records';
import { formatInt } from '../../format';

const DAY = 86_400_000;

/** Requests per day over the last weeks, one square per day (weeks as columns), darker = busier. */
export function Heatmap({ days, weeks = 12, now }: { days: UsagePoint[]; weeks?: number; now: number }) {
  const today = Math.floor(now / DAY) * DAY;
  const first = today - (weeks * 7 - 1) * DAY;
  const byDay = new Map<number, number>();
  for (const p of days) byDay.set(p.t, (byDay.get(p.t) ?? 0) + p.requests);
  const max = Math.max(1, ...byDay.values());
  const total = [...byDay.entries()].filter(([t]) => t >= first).reduce((sum, [, n]) => sum + n, 0);
  const active = [...byDay.entries()].filter(([t, n]) => t >= first && n > 0).length;
  const cells: Array<{ t: number; n: number }> = [];
  for (let t = first; t <= today; t += DAY) cells.push({ t, n: byDay.get(t) ?? 0 });
  return (
    <figure className="chart" style={{ margin: 0 }}>
      <div
        className="heatmap"
        role="img"
        aria-label={`Requests per day over ${weeks} weeks: ${formatInt(total)} requests on ${active} days`}
      >
        {cells.map((c) => (
          <span
            key={c.t}
            title={`${new Date(c.t).toISOString().slice(0, 10)}: ${formatInt(c.n)} requests`}
            style={c.n > 0 ? { background: `rgba(37, 99, 235, ${0.25 + 0.75 * (c.n / max)})` } : undefined}
          />
        ))}
      </div>
      <figcaption className="muted small">
        {formatInt(total)} requests on {active} of the last {weeks * 7} days (UTC days)
      </figcaption>
    </figure>
  );
}
