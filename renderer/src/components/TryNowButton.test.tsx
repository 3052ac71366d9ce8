// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { fakeBridge } from '../test-utils/fake-bridge';
import { TryNowButton } from './TryNowButton';

afterEach(cleanup);

function renderButton(endCooldowns: (input: { account: string }) => Promise<{ ended: number }>) {
  const { bridge } = fakeBridge({ endCooldowns } as never);
  render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <TryNowButton accounts={['a', 'a/b@example.com']} label="Try work now" />
    </StoreProvider>,
  );
  return screen.getByRole('button', { name: 'Try work now' });
}

describe('TryNowButton', () => {
  it('ends the cooldowns of every account it stands for', async () => {
    const endCooldowns = vi.fn(async () => ({ ended: 1 }));
    fireEvent.click(renderButton(endCooldowns));
    await vi.waitFor(() => expect(endCooldowns).toHaveBeenCalledTimes(2));
    expect(endCooldowns.mock.calls).toEqual([[{ account: 'a' }], [{ account: 'a/b@example.com' }]]);
    await vi.waitFor(() =>
      expect((screen.getByRole('button', { name: 'Try work now' }) as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
  });

  it('says why when the engine refuses', async () => {
    fireEvent.click(renderButton(vi.fn(async () => Promise.reject(new Error('engine is stopped')))));
    expect((await screen.findByRole('alert')).textContent).toBe('engine is stopped');
  });
});
