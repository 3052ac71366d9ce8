import type { RequestRecord, UsagePoint } from '../../../shared/records';

export const MINUTE = 60_000;
/** The dashboard's live window: the last hour, one bucket per minute. */
export const WINDOW_MINUTES = 60;

/** Requests and tokens per minute, oldest first; bounded to the window, so memory never grows. */
export interface MinuteSeries {
  t: number[];
  requests: number[];
  tokens: number[];
  errors: number[];
}

export const emptySeries = (): MinuteSeries => ({ t: [], requests: [], tokens: [], errors: [] });

const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/** The series from the usage log's minute buckets (ungrouped), as the dashboard's starting point. */
export function seriesFromPoints(points: UsagePoint[], now: number): MinuteSeries {
  const series = emptySeries();
  for (const point of [...points].sort((a, b) => a.t - b.t)) {
    series.t.push(point.t);
    series.requests.push(point.requests);
    series.tokens.push(point.input_tokens + point.output_tokens);
    series.errors.push(point.errors);
  }
  return trimSeries(series, now);
}

/** Adds finished requests to their minute buckets (new arrays: the store stays immutable). */
export function addToSeries(series: MinuteSeries, records: RequestRecord[], now: number): MinuteSeries {
  if (records.length === 0) return trimSeries(series, now);
  const next: MinuteSeries = {
    t: [...series.t],
    requests: [...series.requests],
    tokens: [...series.tokens],
    errors: [...series.errors],
  };
  for (const record of records) {
    const minute = minuteOf(record.started_at);
    let index = next.t.lastIndexOf(minute);
    if (index === -1) {
      // Records arrive nearly in order; insert where the minute belongs.
      index = next.t.findIndex((t) => t > minute);
      if (index === -1) index = next.t.length;
      next.t.splice(index, 0, minute);
      next.requests.splice(index, 0, 0);
      next.tokens.splice(index, 0, 0);
      next.errors.splice(index, 0, 0);
    }
    next.requests[index] = (next.requests[index] ?? 0) + 1;
    next.tokens[index] = (next.tokens[index] ?? 0) + record.input_tokens + record.output_tokens;
    if (record.status >= 400) next.errors[index] = (next.errors[index] ?? 0) + 1;
  }
  return trimSeries(next, now);
}

export function trimSeries(series: MinuteSeries, now: number): MinuteSeries {
  const oldest = minuteOf(now) - (WINDOW_MINUTES - 1) * MINUTE;
  const first = series.t.findIndex((t) => t >= oldest);
  if (first === 0) return series;
  const from = first === -1 ? series.t.length : first;
  return {
    t: series.t.slice(from),
    requests: series.requests.slice(from),
    tokens: series.tokens.slice(from),
    errors: series.errors.slice(from),
  };
}

/** Every minute of the window with zeros where nothing happened: what a chart plots. */
export function denseSeries(series: MinuteSeries, now: number): MinuteSeries {
  const dense = emptySeries();
  const last = minuteOf(now);
  const at = new Map(series.t.map((t, i) => [t, i]));
  for (let t = last - (WINDOW_MINUTES - 1) * MINUTE; t <= last; t += MINUTE) {
    const i = at.get(t);
    dense.t.push(t);
    dense.requests.push(i === undefined ? 0 : (series.requests[i] ?? 0));
    dense.tokens.push(i === undefined ? 0 : (series.tokens[i] ?? 0));
    dense.errors.push(i === undefined ? 0 : (series.errors[i] ?? 0));
  }
  return dense;
}
