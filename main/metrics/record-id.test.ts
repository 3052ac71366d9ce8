import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './record-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the time in milliseconds', () => {
    const now = Date.UTC(2026, 11, 2, 12, 0, 0, 123);
    const id = timeOrderedId(now);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(now);
  });

  it('sorts by time as text, so later records append to the index', () => {
    const ids = [0, 1, 255, 256, 1_000_000, Date.now()].map((t) => timeOrderedId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the time of each call when calls alternate between milliseconds', () => {
    const times = [5, 5, 6, 5, 0x1234_5678_9abc];
    for (const t of times)
      expect(Number.parseInt(timeOrderedId(t).replace('-', '').slice(0, 12), 16)).toBe(t);
  });

  it('differs and grows within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => timeOrderedId(42));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    // The 24-bit sequence may wrap once (it starts at a random value); otherwise the ids ascend.
    const descents = ids.filter((id, i) => i > 0 && id < (ids[i - 1] ?? '')).length;
    expect(descents).toBeLessThanOrEqual(1);
  });
});
