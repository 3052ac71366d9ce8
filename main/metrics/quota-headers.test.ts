import { describe, expect, it } from 'vitest';
import { parseResetDuration, quotaFromHeaders } from './quota-headers';

const now = 1_800_000_000_000;

describe('quotaFromHeaders', () => {
  it('reads Anthropic API-key windows', () => {
    expect(
      quotaFromHeaders(
        {
          'anthropic-ratelimit-requests-limit': '50',
          'anthropic-ratelimit-requests-remaining': '49',
          'anthropic-ratelimit-requests-reset': '2027-01-15T12:00:30Z',
          'anthropic-ratelimit-tokens-limit': '40000',
          'anthropic-ratelimit-tokens-remaining': '30000',
        },
        now,
      ),
    ).toEqual([
      {
        name: 'requests',
        limit: 50,
        remaining: 49,
        used_percent: 2,
        resets_at: Date.parse('2027-01-15T12:00:30Z'),
      },
      { name: 'tokens', limit: 40000, remaining: 30000, used_percent: 25 },
    ]);
  });

  it('reads Claude subscription (unified) windows', () => {
    expect(
      quotaFromHeaders(
        {
          'anthropic-ratelimit-unified-5h-utilization': '0.42',
          'anthropic-ratelimit-unified-5h-reset': '1800003600',
        },
        now,
      ),
    ).toEqual([{ name: '5h', used_percent: 42, resets_at: 1_800_003_600_000 }]);
  });

  it('reads OpenAI windows with duration resets', () => {
    expect(
      quotaFromHeaders(
        {
          'x-ratelimit-limit-requests': '500',
          'x-ratelimit-remaining-requests': '400',
          'x-ratelimit-reset-requests': '1m30s',
        },
        now,
      ),
    ).toEqual([{ name: 'requests', limit: 500, remaining: 400, used_percent: 20, resets_at: now + 90_000 }]);
  });

  it('reads Codex usage windows', () => {
    expect(
      quotaFromHeaders(
        {
          'x-codex-primary-used-percent': '12.5',
          'x-codex-primary-window-minutes': '300',
          'x-codex-primary-reset-after-seconds': '600',
          'x-codex-secondary-used-percent': '3',
          'x-codex-secondary-window-minutes': '10080',
        },
        now,
      ),
    ).toEqual([
      { name: '5h', used_percent: 12.5, resets_at: now + 600_000 },
      { name: '7d', used_percent: 3 },
    ]);
  });

  it('finds nothing in ordinary headers', () => {
    expect(quotaFromHeaders({ 'content-type': 'application/json' }, now)).toEqual([]);
  });
});

describe('parseResetDuration', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
  ])('%s', (text, ms) => {
    expect(parseResetDuration(text)).toBe(ms);
  });
});
