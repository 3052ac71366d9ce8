// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { KiroImport } from './KiroImport';

afterEach(cleanup);

function renderImport(importKiroToken: ReturnType<typeof vi.fn>) {
  const { bridge } = fakeBridge({ importKiroToken } as never);
  const onImported = vi.fn();
  const view = render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <KiroImport provider="kiro" onImported={onImported} />
    </StoreProvider>,
  );
  return { onImported, view };
}

const account = { id: 'kiro-kiro-github', provider: 'kiro', identity: 'Kiro (Github)', status: 'active' };

describe('KiroImport', () => {
  it("imports Kiro's own sign-in and says who it is", async () => {
    const importKiroToken = vi.fn(async () => ({ account }));
    const { onImported } = renderImport(importKiroToken);
    fireEvent.click(screen.getByRole('button', { name: "Import Kiro's own sign-in into kiro" }));
    expect((await screen.findByRole('status')).textContent).toBe('Imported Kiro (Github).');
    expect(importKiroToken).toHaveBeenCalledWith({ provider: 'kiro' });
    expect(onImported).toHaveBeenCalledTimes(1);
  });

  it('sends the text of a picked file, and shows why an import failed', async () => {
    const importKiroToken = vi.fn(async () => {
      throw new Error('not a Kiro token file: accessToken is missing');
    });
    const { onImported, view } = renderImport(importKiroToken);
    const input = view.container.querySelector('input[type=file]') as HTMLInputElement;
    const file = new File(['{"refreshToken":"r"}'], 'kiro-auth-token.json', { type: 'application/json' });
    fireEvent.change(input, { target: { files: [file] } });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'not a Kiro token file: accessToken is missing',
    );
    expect(importKiroToken).toHaveBeenCalledWith({ provider: 'kiro', text: '{"refreshToken":"r"}' });
    expect(onImported).not.toHaveBeenCalled();
  });
});
