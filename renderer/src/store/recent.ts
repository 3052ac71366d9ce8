import type { RequestRecord } from '../../../shared/records';

/** How many requests the live log keeps in memory; older ones are a query away. */
export const RECENT_LIMIT = 1000;

/** Newest first, without duplicates (the first page and live events overlap), bounded. */
export function mergeRecent(
  current: RequestRecord[],
  incoming: RequestRecord[],
  limit = RECENT_LIMIT,
): RequestRecord[] {
  if (incoming.length === 0) return current;
  const seen = new Set<string>();
  const merged: RequestRecord[] = [];
  const sorted = [...incoming].sort((a, b) => b.started_at - a.started_at);
  let i = 0;
  let j = 0;
  while (merged.length < limit && (i < sorted.length || j < current.length)) {
    const a = sorted[i];
    const b = current[j];
    const take = b === undefined || (a !== undefined && a.started_at >= b.started_at) ? a : b;
    if (take === a) i++;
    else j++;
    if (take && !seen.has(take.id)) {
      seen.add(take.id);
      merged.push(take);
    }
  }
  return merged;
}

export interface RecentStats {
  count: number;
  successRate: number | null;
  p50: number | null;
  p95: number | null;
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? null;
}

/** Success rate and latency percentiles over the requests of the last `windowMs`. */
export function recentStats(records: RequestRecord[], now: number, windowMs: number): RecentStats {
  const inWindow = records.filter((r) => r.started_at >= now - windowMs);
  if (inWindow.length === 0) return { count: 0, successRate: null, p50: null, p95: null };
  const ok = inWindow.filter((r) => r.status < 400).length;
  const durations = inWindow.map((r) => r.duration_ms).sort((a, b) => a - b);
  return {
    count: inWindow.length,
    successRate: ok / inWindow.length,
    p50: percentile(durations, 50),
    p95: percentile(durations, 95),
  };
}
