import { describe, expect, it } from 'vitest';
import { record } from '../test-utils/records';
import { mergeRecent, percentile, recentStats } from './recent';

describe('the recent requests buffer', () => {
  it('merges newest first without duplicates and stays bounded', () => {
    const a = record({ started_at: 1 });
    const b = record({ started_at: 2 });
    const c = record({ started_at: 3 });
    expect(mergeRecent([b, a], [c, b]).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    const many = Array.from({ length: 50 }, (_, i) => record({ started_at: i }));
    const merged = mergeRecent([], many, 10);
    expect(merged).toHaveLength(10);
    expect(merged[0]?.started_at).toBe(49);
  });

  it('computes success rate and latency percentiles over a window', () => {
    const now = 10_000;
    const records = [
      ...Array.from({ length: 9 }, (_, i) => record({ started_at: now - 100, duration_ms: (i + 1) * 10 })),
      record({ started_at: now - 100, status: 502, duration_ms: 1000 }),
      record({ started_at: now - 99_999, status: 500 }),
    ];
    expect(recentStats(records, now, 5_000)).toEqual({ count: 10, successRate: 0.9, p50: 50, p95: 1000 });
    expect(recentStats([], now, 5_000).successRate).toBeNull();
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});
