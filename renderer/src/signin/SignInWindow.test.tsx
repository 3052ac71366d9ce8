// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBridge } from '../test-utils/fake-bridge';
import { SignInWindow } from './SignInWindow';

afterEach(cleanup);

describe('SignInWindow', () => {
  it('shows the device code, then the signed-in identity when the login is pushed as done', async () => {
    const startLogin = vi.fn(async () => ({
      id: 'l1',
      kind: 'device' as const,
      user_code: 'WDJB-MJHT',
      verification_uri: 'https://github.com/login/device',
      expires_at: Date.now() + 600_000,
    }));
    const { bridge, emit } = fakeBridge({ startLogin });
    render(<SignInWindow bridge={bridge} provider="copilot" />);
    expect(await screen.findByText('WDJB-MJHT')).toBeTruthy();
    expect(startLogin).toHaveBeenCalledWith({ provider: 'copilot' });
    expect(screen.getByRole('button', { name: 'Open github.com' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the device code' })).toBeTruthy();
    act(() => emit('loginChanged', { id: 'l1', provider: 'copilot', status: 'ok', identity: 'octocat' }));
    expect(await screen.findByText(/Signed in as octocat/)).toBeTruthy();
  });

  it('opens the browser for a browser login and reports a failure with a retry', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const startLogin = vi.fn(async () => ({
      id: 'l2',
      kind: 'browser' as const,
      url: 'https://claude.ai/oauth/authorize?x=1',
      expires_at: Date.now() + 300_000,
    }));
    const { bridge, emit } = fakeBridge({ startLogin });
    render(<SignInWindow bridge={bridge} provider="claude-max" />);
    expect(await screen.findByText(/Finish signing in in your browser/)).toBeTruthy();
    expect(open).toHaveBeenCalledWith('https://claude.ai/oauth/authorize?x=1', '_blank', 'noopener');
    act(() =>
      emit('loginChanged', { id: 'l2', provider: 'claude-max', status: 'error', error: 'access_denied' }),
    );
    expect((await screen.findByRole('alert')).textContent).toBe('The sign-in failed. access_denied');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    open.mockRestore();
  });
});
