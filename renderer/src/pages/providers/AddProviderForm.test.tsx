// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { AddProviderForm, validateDraft } from './AddProviderForm';

afterEach(cleanup);

const draft = {
  type: 'openai_compatible' as const,
  name: 'openrouter',
  api_key: 'sk-or-1',
  endpoint: 'https://openrouter.ai/api/v1',
  prefix: '',
  models: 'meta-llama/llama-3-70b as llama',
};

describe('validateDraft', () => {
  it('accepts a complete aggregator and parses its model lines', () => {
    const { value, errors } = validateDraft(draft, []);
    expect(errors).toEqual({});
    expect(value).toMatchObject({
      name: 'openrouter',
      type: 'openai_compatible',
      endpoint: 'https://openrouter.ai/api/v1',
      models: [{ name: 'meta-llama/llama-3-70b', alias: 'llama' }],
    });
  });

  it('names the field that is wrong, including a taken name', () => {
    expect(validateDraft({ ...draft, endpoint: 'not a url' }, []).errors.endpoint).toBeTruthy();
    expect(validateDraft({ ...draft, api_key: '' }, []).errors.api_key).toBeTruthy();
    expect(validateDraft(draft, ['openrouter']).errors.name).toBe('a provider with this name already exists');
  });
});

describe('AddProviderForm', () => {
  function renderForm(addProvider = vi.fn(async () => ({ ok: true }))) {
    const { bridge } = fakeBridge({ addProvider } as never);
    const onDone = vi.fn();
    render(
      <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
        <AddProviderForm takenNames={['openai']} onDone={onDone} onCancel={() => undefined} />
      </StoreProvider>,
    );
    return { addProvider, onDone };
  }

  it('shows errors inline after a submit and sends nothing while any field is wrong', () => {
    const { addProvider } = renderForm();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'openai' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    expect(screen.getByText('a provider with this name already exists')).toBeTruthy();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(addProvider).not.toHaveBeenCalled();
  });

  it('sends the validated provider and reports the name back', async () => {
    const { addProvider, onDone } = renderForm();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'openrouter' } });
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'sk-or-1' } });
    fireEvent.change(screen.getByLabelText('Endpoint URL'), {
      target: { value: 'https://openrouter.ai/api/v1' },
    });
    fireEvent.change(screen.getByLabelText('Models'), { target: { value: 'gpt-4o-mini\nllama-3 as llama' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith('openrouter'));
    expect(addProvider).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'openrouter', api_key: 'sk-or-1', models: expect.any(Array) }),
    );
  });
});
