import { describe, expect, it } from 'vitest';
import type { UsagePoint } from '../../../../shared/records';
import { bucketStarts, groupTotals, pivot } from './pivot';

const point = (t: number, group: string, requests: number, cost = 0): UsagePoint => ({
  t,
  group,
  requests,
  errors: 0,
  input_tokens: requests * 10,
  output_tokens: 0,
  cost_usd: cost,
  saved_usd: 0,
  p50_ms: 0,
  p95_ms: 0,
});

describe('usage pivot', () => {
  it('aligns groups on every bucket and folds the tail into "other"', () => {
    const points = [
      point(0, 'a', 5),
      point(10, 'a', 1),
      point(10, 'b', 3),
      point(0, 'c', 1),
      point(20, 'd', 1),
    ];
    const { times, series } = pivot(points, 'requests', bucketStarts(0, 30, 10), 2);
    expect(times).toEqual([0, 10, 20]);
    expect(series).toEqual([
      { label: 'a', values: [5, 1, 0] },
      { label: 'b', values: [0, 3, 0] },
      { label: 'other', values: [1, 0, 1] },
    ]);
    expect(pivot(points, 'tokens', [0], 5).series[0]).toEqual({ label: 'a', values: [50] });
  });

  it('totals each group, busiest first', () => {
    expect(groupTotals([point(0, 'a', 1, 0.5), point(10, 'b', 2), point(20, 'a', 2, 0.25)])).toEqual([
      { group: 'a', requests: 3, errors: 0, tokens: 30, cost: 0.75, saved: 0 },
      { group: 'b', requests: 2, errors: 0, tokens: 20, cost: 0, saved: 0 },
    ]);
  });
});
