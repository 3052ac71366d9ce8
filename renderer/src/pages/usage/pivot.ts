import type { UsagePoint } from '../../../../shared/records';

export type Metric = 'requests' | 'tokens' | 'cost';

export const metricOf = (p: UsagePoint, metric: Metric) =>
  metric === 'requests' ? p.requests : metric === 'tokens' ? p.input_tokens + p.output_tokens : p.cost_usd;

export interface GroupTotal {
  group: string;
  requests: number;
  errors: number;
  tokens: number;
  cost: number;
  saved: number;
}

/**
 * Grouped points → one aligned series per group (the busiest `maxGroups`, the rest summed as
 * "other"), on every bucket of the range so gaps plot as zeros.
 */
export function pivot(
  points: UsagePoint[],
  metric: Metric,
  buckets: number[],
  maxGroups = 6,
): { times: number[]; series: Array<{ label: string; values: number[] }> } {
  const totals = new Map<string, number>();
  for (const p of points) totals.set(p.group, (totals.get(p.group) ?? 0) + p.requests);
  const ranked = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([g]) => g);
  const shown = ranked.slice(0, maxGroups);
  const hasOther = ranked.length > maxGroups;
  const labels = hasOther ? [...shown, 'other'] : shown;
  const index = new Map(buckets.map((t, i) => [t, i]));
  const series = labels.map((label) => ({ label: label || '(none)', values: buckets.map(() => 0) }));
  for (const p of points) {
    const i = index.get(p.t);
    if (i === undefined) continue;
    const g = shown.indexOf(p.group);
    const s = series[g === -1 ? labels.length - 1 : g];
    if (s) s.values[i] = (s.values[i] ?? 0) + metricOf(p, metric);
  }
  return { times: buckets, series };
}

export function groupTotals(points: UsagePoint[]): GroupTotal[] {
  const map = new Map<string, GroupTotal>();
  for (const p of points) {
    const t = map.get(p.group) ?? { group: p.group, requests: 0, errors: 0, tokens: 0, cost: 0, saved: 0 };
    t.requests += p.requests;
    t.errors += p.errors;
    t.tokens += p.input_tokens + p.output_tokens;
    t.cost += p.cost_usd;
    t.saved += p.saved_usd;
    map.set(p.group, t);
  }
  return [...map.values()].sort((a, b) => b.requests - a.requests || a.group.localeCompare(b.group));
}

/** Bucket starts from `from` to `to` (aligned like the usage log: multiples of the size). */
export function bucketStarts(from: number, to: number, size: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) out.push(t);
  return out;
}
