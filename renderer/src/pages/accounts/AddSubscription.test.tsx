// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { AddSubscription, freeName } from './AddSubscription';

afterEach(cleanup);

function renderForm(addSubscription: ReturnType<typeof vi.fn>) {
  const { bridge } = fakeBridge({ addSubscription } as never);
  const onAdded = vi.fn();
  render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <AddSubscription takenNames={['work']} onAdded={onAdded} />
    </StoreProvider>,
  );
  return { onAdded };
}

describe('freeName', () => {
  it('numbers a suggestion the config already uses', () => {
    expect(freeName('copilot', ['work'])).toBe('copilot');
    expect(freeName('copilot', ['copilot', 'copilot-2'])).toBe('copilot-3');
  });
});

describe('AddSubscription', () => {
  it('adds the picked service under the suggested name', async () => {
    const addSubscription = vi.fn(async ({ name }: { name: string }) => ({ provider: name }));
    const { onAdded } = renderForm(addSubscription);
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'copilot' } });
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('copilot');
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('status')).textContent).toContain('Added copilot.');
    expect(addSubscription).toHaveBeenCalledWith({ name: 'copilot', type: 'copilot' });
    expect(onAdded).toHaveBeenCalledTimes(1);
  });

  it('refuses a taken or malformed name before writing anything', async () => {
    const addSubscription = vi.fn();
    renderForm(addSubscription);
    const name = screen.getByLabelText('Name');
    fireEvent.change(name, { target: { value: 'work' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByText(/already exists/)).textContent).toContain('work');
    fireEvent.change(name, { target: { value: 'has space' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByText(/letters, digits/)).textContent).toContain('Name:');
    expect(addSubscription).not.toHaveBeenCalled();
  });
});
