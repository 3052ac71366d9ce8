import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineSweeper } from './deadlines';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeadlineSweeper', () => {
  it('expires each deadline once, within one tick after it is due, and never a cancelled one', () => {
    const sweeper = new DeadlineSweeper(100, () => Date.now());
    const expired: string[] = [];
    sweeper.watch(250, () => expired.push('a'));
    const b = sweeper.watch(250, () => expired.push('b'));
    sweeper.watch(1_000, () => expired.push('c'));
    sweeper.cancel(b);
    vi.advanceTimersByTime(200);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(800);
    expect(expired).toEqual(['a', 'c']);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(['a', 'c']);
    expect(sweeper.size).toBe(0);
  });

  it('keeps sweeping after an expiry throws, and stops its timer once nothing is watched', () => {
    const sweeper = new DeadlineSweeper(100, () => Date.now());
    const expired: string[] = [];
    sweeper.watch(100, () => {
      throw new Error('boom');
    });
    sweeper.watch(100, () => expired.push('after'));
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['after']);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(vi.getTimerCount()).toBe(0);
    sweeper.watch(50, () => expired.push('again'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['after', 'again']);
  });
});
