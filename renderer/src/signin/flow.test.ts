import { describe, expect, it } from 'vitest';
import { type SignInState, signInProviderOf, signInReducer } from './flow';

const device = {
  id: 'l1',
  kind: 'device' as const,
  user_code: 'ABCD-EFGH',
  verification_uri: 'https://github.com/login/device',
  expires_at: 1_000_000,
};

describe('signInReducer', () => {
  it('goes from starting to waiting to done with the identity', () => {
    let state: SignInState = { step: 'starting' };
    state = signInReducer(state, { type: 'started', login: device });
    expect(state).toEqual({ step: 'waiting', login: device });
    state = signInReducer(state, { type: 'update', update: { id: 'l1', provider: 'gh', status: 'pending' } });
    expect(state.step).toBe('waiting');
    state = signInReducer(state, {
      type: 'update',
      update: { id: 'l1', provider: 'gh', status: 'ok', identity: 'octocat' },
    });
    expect(state).toEqual({ step: 'done', identity: 'octocat' });
  });

  it('ignores updates for other logins', () => {
    const waiting = signInReducer({ step: 'starting' }, { type: 'started', login: device });
    expect(
      signInReducer(waiting, { type: 'update', update: { id: 'other', provider: 'gh', status: 'ok' } }),
    ).toBe(waiting);
  });

  it('explains failures and offers a retry', () => {
    const waiting = signInReducer({ step: 'starting' }, { type: 'started', login: device });
    expect(
      signInReducer(waiting, { type: 'update', update: { id: 'l1', provider: 'gh', status: 'expired' } }),
    ).toEqual({ step: 'failed', message: 'The code expired before the sign-in was approved.', retry: true });
    expect(
      signInReducer(waiting, {
        type: 'update',
        update: { id: 'l1', provider: 'gh', status: 'error', error: 'access_denied' },
      }),
    ).toMatchObject({ message: 'The sign-in failed. access_denied' });
    expect(
      signInReducer({ step: 'starting' }, { type: 'start-failed', message: 'no provider' }),
    ).toMatchObject({
      step: 'failed',
    });
    expect(signInReducer({ step: 'failed', message: 'x', retry: true }, { type: 'retry' })).toEqual({
      step: 'starting',
    });
  });
});

describe('signInProviderOf', () => {
  it('reads the provider from the sign-in route only', () => {
    expect(signInProviderOf('#/signin/claude-max')).toBe('claude-max');
    expect(signInProviderOf('#/signin/my%20gh')).toBe('my gh');
    expect(signInProviderOf('#/accounts')).toBeNull();
    expect(signInProviderOf('#/signin/')).toBeNull();
    expect(signInProviderOf('#/signin/%E0%A4%A')).toBeNull();
  });
});
