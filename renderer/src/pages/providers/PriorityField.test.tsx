// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { PriorityField } from './PriorityField';

afterEach(cleanup);

function renderField() {
  const setProviderPriority = vi.fn(async (input: { provider: string; priority: number }) => input);
  const { bridge } = fakeBridge({ setProviderPriority } as never);
  const onError = vi.fn();
  render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <PriorityField provider="work" priority={0} onError={onError} />
    </StoreProvider>,
  );
  return { setProviderPriority, onError, input: screen.getByLabelText('Priority') };
}

describe('PriorityField', () => {
  it('writes a changed priority on Enter, and nothing when unchanged', async () => {
    const { setProviderPriority, input } = renderField();
    fireEvent.blur(input);
    expect(setProviderPriority).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: '3' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await vi.waitFor(() =>
      expect(setProviderPriority).toHaveBeenCalledWith({ provider: 'work', priority: 3 }),
    );
  });

  it('says what is wrong with a value the config would refuse', () => {
    const { setProviderPriority, onError, input } = renderField();
    fireEvent.change(input, { target: { value: '2.5' } });
    fireEvent.blur(input);
    expect(onError).toHaveBeenCalledWith('Priority must be a whole number between -1000 and 1000.');
    expect(setProviderPriority).not.toHaveBeenCalled();
  });
});
