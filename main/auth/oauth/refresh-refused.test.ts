import { describe, expect, it } from 'vitest';
import { refreshRefused, TokenEndpointError } from './client';

describe('refreshRefused', () => {
  it('is a refusal when the token endpoint answered 4xx (invalid_grant and the like)', () => {
    expect(refreshRefused({ status: 400, error: 'invalid_grant' })).toBe(true);
    expect(refreshRefused({ status: 401 })).toBe(true);
    expect(refreshRefused(new TokenEndpointError('invalid_grant (HTTP 400)', 400))).toBe(true);
    // oauth4webapi's error for an answer that is not OAuth JSON carries the Response as its cause
    expect(refreshRefused(Object.assign(new Error('not conform'), { cause: { status: 403 } }))).toBe(true);
  });

  it('is a passing failure for no answer, a timeout, a 5xx, 408 or 429', () => {
    expect(refreshRefused(new TypeError('fetch failed'))).toBe(false);
    expect(refreshRefused(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))).toBe(false);
    for (const status of [408, 429, 500, 502, 503]) {
      expect(refreshRefused({ status }), String(status)).toBe(false);
      expect(refreshRefused(Object.assign(new Error('x'), { cause: { status } })), String(status)).toBe(
        false,
      );
    }
    expect(refreshRefused(new TokenEndpointError('refresh failed (HTTP 200)', 200))).toBe(false);
  });
});
