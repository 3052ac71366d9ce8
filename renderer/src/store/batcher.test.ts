import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher } from './batcher';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the render batcher', () => {
  it('hands over 50 items a second in four batches, not fifty renders', () => {
    const batches: number[][] = [];
    const batcher = createBatcher<number>((items) => batches.push(items), 250);
    for (let i = 0; i < 50; i++) {
      batcher.push(i);
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(250);
    expect(batches.length).toBeLessThanOrEqual(5);
    expect(batches.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('drops what is pending when cancelled', () => {
    const flush = vi.fn();
    const batcher = createBatcher<number>(flush, 100);
    batcher.push(1);
    batcher.cancel();
    vi.advanceTimersByTime(500);
    expect(flush).not.toHaveBeenCalled();
  });
});
