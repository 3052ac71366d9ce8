// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { LoginPanel } from './LoginPanel';

afterEach(cleanup);

const deviceLogin = {
  id: 'l1',
  kind: 'device' as const,
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://github.com/login/device',
  expires_at: Date.now() + 600_000,
};

function renderPanel(getLogin: ReturnType<typeof vi.fn>) {
  const { bridge, emit } = fakeBridge({ getLogin } as never);
  const onFinished = vi.fn();
  render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <LoginPanel login={deviceLogin} provider="copilot" onFinished={onFinished} onClose={() => undefined} />
    </StoreProvider>,
  );
  return { emit, onFinished };
}

describe('LoginPanel', () => {
  it('shows the device code large and follows the pushed outcome, not a poll', async () => {
    const getLogin = vi.fn(async () => ({ status: 'pending' as const }));
    const { emit, onFinished } = renderPanel(getLogin);
    expect(screen.getByLabelText('Device code').textContent).toBe('WDJB-MJHT');
    expect(screen.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href')).toBe(
      'https://github.com/login/device',
    );
    expect(await screen.findByText('Waiting for you to approve…')).toBeTruthy();
    act(() => emit('loginChanged', { id: 'other', provider: 'copilot', status: 'error', error: 'x' }));
    expect(screen.queryByText(/Sign-in failed/)).toBeNull();
    act(() => emit('loginChanged', { id: 'l1', provider: 'copilot', status: 'ok', identity: 'octocat' }));
    expect(await screen.findByText(/Signed in as octocat/)).toBeTruthy();
    expect(onFinished).toHaveBeenCalledTimes(1);
    // One read on mount; everything after it arrived as an event.
    expect(getLogin).toHaveBeenCalledTimes(1);
  });

  it('shows an outcome that happened before the panel subscribed', async () => {
    const getLogin = vi.fn(async () => ({ status: 'expired' as const }));
    const { onFinished } = renderPanel(getLogin);
    expect(await screen.findByText(/The code expired before it was approved/)).toBeTruthy();
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Close' })).toBeTruthy();
  });
});
