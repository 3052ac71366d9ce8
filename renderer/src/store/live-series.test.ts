import { describe, expect, it } from 'vitest';
import { record } from '../test-utils/records';
import {
  addToSeries,
  denseSeries,
  emptySeries,
  MINUTE,
  seriesFromPoints,
  WINDOW_MINUTES,
} from './live-series';

const now = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE) + 30_000;

describe('the live per-minute series', () => {
  it('counts requests, tokens and errors into their minute', () => {
    const series = addToSeries(
      emptySeries(),
      [
        record({ started_at: now - 1_000 }),
        record({ started_at: now - 2_000, status: 500, input_tokens: 1, output_tokens: 1 }),
        record({ started_at: now - MINUTE }),
      ],
      now,
    );
    expect(series.requests).toEqual([1, 2]);
    expect(series.tokens).toEqual([15, 17]);
    expect(series.errors).toEqual([0, 1]);
    expect(series.t[1]).toBe(now - 30_000);
  });

  it('keeps only the window, so memory stays bounded however long it runs', () => {
    let series = emptySeries();
    for (let minute = 0; minute < 500; minute++)
      series = addToSeries(series, [record({ started_at: now + minute * MINUTE })], now + minute * MINUTE);
    expect(series.t).toHaveLength(WINDOW_MINUTES);
    expect(series.requests.every((n) => n === 1)).toBe(true);
  });

  it('inserts a late record into its own minute, and never mutates the previous state', () => {
    const before = addToSeries(emptySeries(), [record({ started_at: now })], now);
    const after = addToSeries(before, [record({ started_at: now - 3 * MINUTE })], now);
    expect(before.t).toHaveLength(1);
    expect(after.t).toEqual([now - 30_000 - 3 * MINUTE, now - 30_000]);
  });

  it('starts from the usage log and fills empty minutes with zeros for the chart', () => {
    const series = seriesFromPoints(
      [
        {
          t: now - 30_000 - 2 * MINUTE,
          group: 'all',
          requests: 3,
          errors: 0,
          input_tokens: 4,
          output_tokens: 6,
          cost_usd: 0,
          saved_usd: 0,
          p50_ms: 1,
          p95_ms: 1,
        },
      ],
      now,
    );
    const dense = denseSeries(series, now);
    expect(dense.t).toHaveLength(WINDOW_MINUTES);
    expect(dense.requests.slice(-3)).toEqual([3, 0, 0]);
    expect(dense.tokens.slice(-3)).toEqual([10, 0, 0]);
  });
});
