import { describe, expect, it } from 'vitest';
import { CooldownBook, failureKindForStatus, MAX_RATE_LIMIT_MS, MAX_RETRY_AFTER_MS } from './cooldowns';

function book() {
  let now = 1_000_000;
  const b = new CooldownBook(() => now);
  return { b, advance: (ms: number) => (now += ms), now: () => now };
}

describe('CooldownBook', () => {
  it('honours Retry-After for a 429', () => {
    const { b, now } = book();
    const entry = b.recordFailure('acct', 'm', {
      kind: 'rate_limit',
      status: 429,
      retryAfter: 7,
      baseCooldownMs: 30_000,
    });
    expect(entry.until).toBe(now() + 7_000);
  });

  it('ends an account’s active cooldowns on request, keeping their strikes for the next backoff', () => {
    const { b, now, advance } = book();
    b.recordFailure('acct', 'm1', { kind: 'rate_limit', baseCooldownMs: 1_000 });
    b.recordFailure('acct', 'm2', { kind: 'server', baseCooldownMs: 1_000 });
    b.recordFailure('other', 'm1', { kind: 'server', baseCooldownMs: 1_000 });
    expect(b.endCooldowns('acct')).toBe(2);
    expect(b.active('acct', 'm1')).toBeUndefined();
    expect(b.active('acct', 'm2')).toBeUndefined();
    expect(b.active('other', 'm1')).toBeDefined();
    expect(b.endCooldowns('acct')).toBe(0);
    advance(1);
    // the second 429 in a row backs off twice as long as the first, "Try now" or not
    expect(b.recordFailure('acct', 'm1', { kind: 'rate_limit', baseCooldownMs: 1_000 }).until).toBe(
      now() + 2_000,
    );
  });

  it('takes a Retry-After at most a week: a larger one is a broken header, not a quota window', () => {
    const { b, now } = book();
    const week = b.recordFailure('acct', 'm', {
      kind: 'rate_limit',
      retryAfter: 6 * 86_400,
      baseCooldownMs: 1_000,
    });
    expect(week.until).toBe(now() + 6 * 86_400_000);
    const broken = b.recordFailure('acct', 'm', {
      kind: 'rate_limit',
      retryAfter: 1e9,
      baseCooldownMs: 1_000,
    });
    expect(broken.until).toBe(now() + MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(7 * 86_400_000);
  });

  it('backs off exponentially from the configured cooldown, capped at 30 minutes', () => {
    const { b, now } = book();
    const durations = Array.from({ length: 10 }, () => {
      const e = b.recordFailure('acct', 'm', { kind: 'rate_limit', baseCooldownMs: 30_000 });
      return e.until - now();
    });
    expect(durations.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(Math.max(...durations)).toBe(MAX_RATE_LIMIT_MS);
  });

  it('uses the fixed table for other failures', () => {
    const { b, now } = book();
    expect(b.recordFailure('a', 'm1', { kind: 'auth', baseCooldownMs: 1 }).until - now()).toBe(30 * 60_000);
    expect(b.recordFailure('a', 'm2', { kind: 'not_found', baseCooldownMs: 1 }).until - now()).toBe(
      12 * 3_600_000,
    );
    expect(b.recordFailure('a', 'm3', { kind: 'server', baseCooldownMs: 1 }).until - now()).toBe(60_000);
    expect(b.recordFailure('a', 'm4', { kind: 'timeout', baseCooldownMs: 1 }).until - now()).toBe(60_000);
  });

  it('keeps the book per (account, model)', () => {
    const { b } = book();
    b.recordFailure('acct', 'opus', { kind: 'rate_limit', baseCooldownMs: 30_000 });
    expect(b.active('acct', 'opus')).toBeDefined();
    expect(b.active('acct', 'haiku')).toBeUndefined();
    expect(b.active('other', 'opus')).toBeUndefined();
  });

  it('clears the entry and the backoff on success', () => {
    const { b, now } = book();
    b.recordFailure('acct', 'm', { kind: 'rate_limit', baseCooldownMs: 10_000 });
    b.recordFailure('acct', 'm', { kind: 'rate_limit', baseCooldownMs: 10_000 });
    b.recordSuccess('acct', 'm');
    expect(b.active('acct', 'm')).toBeUndefined();
    const next = b.recordFailure('acct', 'm', { kind: 'rate_limit', baseCooldownMs: 10_000 });
    expect(next.until - now()).toBe(10_000);
  });

  it('expires on time but remembers strikes until a success', () => {
    const { b, advance, now } = book();
    b.recordFailure('acct', 'm', { kind: 'rate_limit', baseCooldownMs: 10_000 });
    advance(10_001);
    expect(b.active('acct', 'm')).toBeUndefined();
    expect(b.list()).toEqual([]);
    expect(b.recordFailure('acct', 'm', { kind: 'rate_limit', baseCooldownMs: 10_000 }).until - now()).toBe(
      20_000,
    );
  });

  it('lists active cooldowns soonest first', () => {
    const { b } = book();
    b.recordFailure('a', 'm', { kind: 'auth', baseCooldownMs: 1 });
    b.recordFailure('b', 'm', { kind: 'server', baseCooldownMs: 1 });
    expect(b.list().map((e) => e.account)).toEqual(['b', 'a']);
  });
});

describe('failureKindForStatus', () => {
  it('maps statuses to cooldown kinds', () => {
    expect([429, 401, 402, 403, 404, 408, 500, 503, 504, 400].map(failureKindForStatus)).toEqual([
      'rate_limit',
      'auth',
      'auth',
      'auth',
      'not_found',
      'timeout',
      'server',
      'server',
      'timeout',
      undefined,
    ]);
  });
});
