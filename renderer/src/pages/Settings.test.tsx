// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { appState, fakeBridge } from '../test-utils/fake-bridge';
import { Settings } from './Settings';

afterEach(cleanup);

async function renderSettings(secretsProtection: 'obfuscated' | 'os-keychain' | 'file-permissions') {
  const { bridge } = fakeBridge({ getState: vi.fn(async () => appState({ secretsProtection })) } as never);
  const store = createAppStore(bridge);
  const stop = store.start();
  await vi.waitFor(() => expect(store.getState().app).toBeDefined());
  render(
    <StoreProvider store={store} bridge={bridge}>
      <Settings />
    </StoreProvider>,
  );
  return { bridge, stop };
}

describe('the Settings page', () => {
  it('warns that tokens are only obfuscated when the system has no keyring', async () => {
    const { stop } = await renderSettings('obfuscated');
    expect((await screen.findByRole('note')).textContent).toContain('only obfuscated on disk');
    stop();
  });

  it('says nothing of the kind when the OS keychain encrypts the tokens', async () => {
    const { stop } = await renderSettings('os-keychain');
    await screen.findByRole('heading', { name: 'Settings' });
    expect(screen.queryByRole('note')).toBeNull();
    stop();
  });

  it('saves the theme picked', async () => {
    const { bridge, stop } = await renderSettings('os-keychain');
    fireEvent.click(await screen.findByLabelText('Dark'));
    await vi.waitFor(() => expect(bridge.setPrefs).toHaveBeenCalledWith({ theme: 'dark' }));
    stop();
  });
});
