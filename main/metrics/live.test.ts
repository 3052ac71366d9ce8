import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../shared/records';
import { LiveCounters } from './live';

const record = (status: number, input: number, output: number) =>
  ({ status, input_tokens: input, output_tokens: output }) as RequestRecord;

describe('LiveCounters', () => {
  it('counts per second over a bounded window, zeros included', () => {
    let now = 1_000_000;
    const live = new LiveCounters(3, () => now);
    live.add(record(200, 10, 5));
    live.add(record(500, 1, 0));
    now += 1000;
    live.add(record(200, 2, 2));
    expect(live.window()).toEqual([
      { t: 999_000, requests: 0, errors: 0, input_tokens: 0, output_tokens: 0 },
      { t: 1_000_000, requests: 2, errors: 1, input_tokens: 11, output_tokens: 5 },
      { t: 1_001_000, requests: 1, errors: 0, input_tokens: 2, output_tokens: 2 },
    ]);
    now += 10_000;
    expect(live.window().every((s) => s.requests === 0)).toBe(true);
  });
});
