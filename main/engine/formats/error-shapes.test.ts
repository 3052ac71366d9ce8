import { describe, expect, it } from 'vitest';
import { decodeErrorBody, retryDelayOf } from './error-shapes';

// A Gemini 429 as Google sends it: the wait is in the body, not in a Retry-After header.
const gemini429 = JSON.stringify({
  error: {
    code: 429,
    message: 'You exceeded your current quota.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' },
    ],
  },
});

describe('decodeErrorBody', () => {
  it('takes the wait from Google’s RetryInfo when no header gave one', () => {
    expect(decodeErrorBody(429, gemini429)).toMatchObject({
      status: 429,
      kind: 'rate_limit',
      message: 'You exceeded your current quota.',
      code: 'RESOURCE_EXHAUSTED',
      retryAfter: 37,
    });
  });

  it('lets a Retry-After header win over the body', () => {
    expect(decodeErrorBody(429, gemini429, 5).retryAfter).toBe(5);
  });

  it('reads protobuf durations only', () => {
    expect(retryDelayOf([{ retryDelay: '0.862983s' }])).toBeCloseTo(0.862983);
    expect(retryDelayOf([{ retryDelay: '12' }])).toBeUndefined();
    expect(retryDelayOf([{ retryDelay: '-3s' }])).toBeUndefined();
    expect(retryDelayOf([null, 'x', { other: 1 }])).toBeUndefined();
    expect(retryDelayOf(undefined)).toBeUndefined();
    expect(decodeErrorBody(429, '{"error":{"message":"slow down"}}').retryAfter).toBeUndefined();
  });

  it('takes the wait from Codex’s usage_limit_reached: resets_in_seconds, else resets_at', () => {
    const codex = (fields: Record<string, unknown>) =>
      JSON.stringify({
        error: {
          type: 'usage_limit_reached',
          message: 'The usage limit has been reached',
          plan_type: 'plus',
          ...fields,
        },
      });
    expect(decodeErrorBody(429, codex({ resets_in_seconds: 13_872, resets_at: 1 })).retryAfter).toBe(13_872);
    const inAnHour = Math.floor(Date.now() / 1000) + 3_600;
    expect(decodeErrorBody(429, codex({ resets_at: inAnHour })).retryAfter).toBeGreaterThanOrEqual(3_599);
    expect(decodeErrorBody(429, codex({ resets_at: 1 })).retryAfter).toBe(0);
    expect(decodeErrorBody(429, codex({ resets_in_seconds: 'soon' })).retryAfter).toBeUndefined();
  });
});
