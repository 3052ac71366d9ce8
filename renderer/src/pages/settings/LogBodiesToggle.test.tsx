// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { LogBodiesToggle } from './LogBodiesToggle';

afterEach(cleanup);

function renderToggle(setLogBodies: ReturnType<typeof vi.fn>) {
  const { bridge } = fakeBridge({ setLogBodies } as never);
  const onError = vi.fn();
  render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <LogBodiesToggle enabled={false} onError={onError} />
    </StoreProvider>,
  );
  return { onError, box: screen.getByRole('checkbox', { name: 'Keep request and response bodies' }) };
}

describe('LogBodiesToggle', () => {
  it('writes log_bodies when ticked', async () => {
    const setLogBodies = vi.fn(async ({ enabled }: { enabled: boolean }) => ({ enabled }));
    const { box } = renderToggle(setLogBodies);
    fireEvent.click(box);
    await waitFor(() => expect(setLogBodies).toHaveBeenCalledWith({ enabled: true }));
    expect((box as HTMLInputElement).checked).toBe(true);
  });

  it('goes back and says why when the config cannot be written', async () => {
    const setLogBodies = vi.fn(async () => {
      throw new Error('the config has YAML errors; fix them first');
    });
    const { box, onError } = renderToggle(setLogBodies);
    fireEvent.click(box);
    await waitFor(() => expect(onError).toHaveBeenCalledWith('the config has YAML errors; fix them first'));
    expect((box as HTMLInputElement).checked).toBe(false);
  });
});
