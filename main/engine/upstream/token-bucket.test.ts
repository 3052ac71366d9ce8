import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.waitTime(), bucket.waitTime()]).toEqual([0, 0]);
    return (async () => {
      expect(await bucket.take(0)).toBe(true);
      expect(await bucket.take(0)).toBe(true);
      expect(await bucket.take(0)).toBe(true);
      expect(await bucket.take(0)).toBe(false);
      expect(bucket.waitTime()).toBe(500);
      now += 500;
      expect(await bucket.take(0)).toBe(true);
      now += 10_000;
      expect(bucket.waitTime()).toBe(0);
    })();
  });

  it('waits up to the bound and reserves tokens in order', async () => {
    const bucket = new TokenBucket(20, 1);
    expect(await bucket.take(0)).toBe(true);
    const started = Date.now();
    const [first, second] = await Promise.all([bucket.take(200), bucket.take(200)]);
    expect(first && second).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    expect(await bucket.take(10)).toBe(false);
  });

  it('gives the token back when the wait is aborted', async () => {
    let now = 0;
    const bucket = new TokenBucket(1, 1, () => now);
    await bucket.take(0);
    const controller = new AbortController();
    const pending = bucket.take(5_000, controller.signal);
    controller.abort(new Error('client left'));
    expect(await pending).toBe(false);
    now += 1_000;
    expect(bucket.waitTime()).toBe(0);
  });
});
