import { useEffect, useMemo, useState } from 'react';
import type { UsageBucket, UsageGroup, UsagePoint } from '../../../shared/records';
import { EmptyState } from '../components/EmptyState';
import { ErrorText } from '../components/ErrorText';
import { LineChart } from '../components/LineChart';
import { formatCompact, formatInt, formatUsd, formatUsdTick } from '../format';
import { useApp, useBridge } from '../store/context';
import type { ResolvedTheme } from '../theme';
import { Heatmap } from './usage/Heatmap';
import { bucketStarts, groupTotals, pivot } from './usage/pivot';

const RANGES = [
  { id: '24h', label: '24 hours', ms: 86_400_000, bucket: 'hour', size: 3_600_000 },
  { id: '7d', label: '7 days', ms: 7 * 86_400_000, bucket: 'hour', size: 3_600_000 },
  { id: '30d', label: '30 days', ms: 30 * 86_400_000, bucket: 'day', size: 86_400_000 },
] as const;

const GROUPS: Array<{ id: UsageGroup; label: string }> = [
  { id: 'model', label: 'Model' },
  { id: 'provider', label: 'Provider' },
  { id: 'account', label: 'Account' },
  { id: 'client_key', label: 'Client key' },
];

/** Refetching after new requests is throttled to this: charts of hours need not move per request. */
const REFRESH_MS = 5_000;

export function Usage({ theme }: { theme: ResolvedTheme }) {
  const bridge = useBridge();
  const version = useApp((s) => s.requestsVersion);
  const [rangeId, setRangeId] = useState<(typeof RANGES)[number]['id']>('24h');
  const [group, setGroup] = useState<UsageGroup>('model');
  const [points, setPoints] = useState<UsagePoint[] | null>(null);
  const [days, setDays] = useState<UsagePoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now);
  const range = RANGES.find((r) => r.id === rangeId) ?? RANGES[0];

  // New requests (pushed) trigger a refetch at most every few seconds.
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the trigger
  useEffect(() => {
    const timer = setTimeout(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearTimeout(timer);
  }, [version]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is the trigger
  useEffect(() => {
    let cancelled = false;
    const t = Date.now();
    Promise.all([
      bridge.queryUsage({
        from: t - range.ms,
        to: t + 1,
        bucket: range.bucket as UsageBucket,
        groupBy: group,
      }),
      bridge.queryUsage({ from: t - 84 * 86_400_000, to: t + 1, bucket: 'day' }),
    ]).then(
      ([grouped, daily]) => {
        if (cancelled) return;
        setNow(t);
        setPoints(grouped.points);
        setDays(daily.points);
        setError(null);
      },
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [bridge, range, group, tick]);

  const buckets = useMemo(() => bucketStarts(now - range.ms, now + 1, range.size), [now, range]);
  const requests = useMemo(() => pivot(points ?? [], 'requests', buckets), [points, buckets]);
  const tokens = useMemo(() => pivot(points ?? [], 'tokens', buckets), [points, buckets]);
  const cost = useMemo(() => pivot(points ?? [], 'cost', buckets), [points, buckets]);
  const totals = useMemo(() => groupTotals(points ?? []), [points]);
  const groupLabel = GROUPS.find((g) => g.id === group)?.label ?? 'Group';

  return (
    <div className="page">
      <h1>Usage</h1>
      <div className="row">
        <fieldset className="row" style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend className="visually-hidden">Time range</legend>
          {RANGES.map((r) => (
            <button
              key={r.id}
              type="button"
              className={`button ${r.id === rangeId ? 'primary' : ''}`}
              aria-pressed={r.id === rangeId}
              onClick={() => setRangeId(r.id)}
            >
              {r.label}
            </button>
          ))}
        </fieldset>
        <div className="field" style={{ width: 180 }}>
          <label htmlFor="usage-group" className="visually-hidden">
            Group by
          </label>
          <select id="usage-group" value={group} onChange={(e) => setGroup(e.target.value as UsageGroup)}>
            {GROUPS.map((g) => (
              <option key={g.id} value={g.id}>
                By {g.label.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorText error={error} />
      {points !== null && points.length === 0 ? (
        <EmptyState title={`No requests in the last ${range.label}`}>
          <p>Usage is recorded per request; send some through the proxy and the charts fill in.</p>
        </EmptyState>
      ) : null}
      <div className="grid2">
        <section className="card" aria-labelledby="u-req">
          <h2 id="u-req">Requests by {groupLabel.toLowerCase()}</h2>
          <LineChart
            label={`Requests by ${groupLabel}`}
            times={requests.times}
            series={requests.series}
            theme={theme}
          />
        </section>
        <section className="card" aria-labelledby="u-tok">
          <h2 id="u-tok">Tokens by {groupLabel.toLowerCase()}</h2>
          <LineChart
            label={`Tokens by ${groupLabel}`}
            times={tokens.times}
            series={tokens.series}
            theme={theme}
          />
        </section>
        <section className="card" aria-labelledby="u-cost">
          <h2 id="u-cost">Cost by {groupLabel.toLowerCase()} (USD at API prices)</h2>
          <LineChart
            label={`Cost by ${groupLabel}`}
            times={cost.times}
            series={cost.series}
            theme={theme}
            kind="bars"
            formatTick={formatUsdTick}
          />
        </section>
        <section className="card" aria-labelledby="u-heat">
          <h2 id="u-heat">Daily activity</h2>
          <Heatmap days={days} now={now} />
        </section>
      </div>
      {totals.length > 0 ? (
        <section className="card" aria-labelledby="u-table">
          <h2 id="u-table">Totals by {groupLabel.toLowerCase()}</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{groupLabel}</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  Saved by subscriptions
                </th>
              </tr>
            </thead>
            <tbody>
              {totals.map((t) => (
                <tr key={t.group}>
                  <td>{t.group || '(none)'}</td>
                  <td className="num">{formatInt(t.requests)}</td>
                  <td className="num">{formatInt(t.errors)}</td>
                  <td className="num">{formatCompact(t.tokens)}</td>
                  <td className="num">{formatUsd(t.cost)}</td>
                  <td className="num">{formatUsd(t.saved)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
