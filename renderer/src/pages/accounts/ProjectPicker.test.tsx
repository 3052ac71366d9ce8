// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountSummary } from '../../../../shared/contract';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { ProjectPicker } from './ProjectPicker';

afterEach(cleanup);

const account: AccountSummary = {
  id: 'gem-ada',
  provider: 'gem',
  identity: 'ada@example.com',
  status: 'active',
  project: 'zeta-project',
};

function renderPicker(overrides: Record<string, ReturnType<typeof vi.fn>>) {
  const { bridge } = fakeBridge(overrides as never);
  const onChanged = vi.fn();
  render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <ProjectPicker account={account} onChanged={onChanged} />
    </StoreProvider>,
  );
  return { onChanged };
}

describe('ProjectPicker', () => {
  it('lists the projects with the one in use chosen, and switches to another', async () => {
    const listAccountProjects = vi.fn(async () => ({
      projects: [
        { id: 'alpha-project', name: 'Alpha' },
        { id: 'zeta-project', name: 'zeta-project' },
      ],
      current: 'zeta-project',
      fixedByConfig: null,
    }));
    const setAccountProject = vi.fn(async () => ({ account: { ...account, project: 'alpha-project' } }));
    const { onChanged } = renderPicker({ listAccountProjects, setAccountProject });
    expect(screen.getByText('zeta-project').tagName).toBe('CODE');
    fireEvent.click(
      screen.getByRole('button', { name: 'Change the Google Cloud project of ada@example.com' }),
    );
    const select = (await screen.findByLabelText('Google Cloud project')) as HTMLSelectElement;
    expect(select.value).toBe('zeta-project');
    expect([...select.options].map((o) => o.textContent)).toEqual(['Alpha (alpha-project)', 'zeta-project']);
    const use = screen.getByRole('button', { name: 'Use this project' }) as HTMLButtonElement;
    expect(use.disabled).toBe(true);
    fireEvent.change(select, { target: { value: 'alpha-project' } });
    fireEvent.click(use);
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(setAccountProject).toHaveBeenCalledWith({ id: 'gem-ada', project: 'alpha-project' });
    expect(screen.queryByLabelText('Google Cloud project')).toBeNull();
  });

  it('explains a project fixed by the provider entry, and shows why listing failed', async () => {
    renderPicker({
      listAccountProjects: vi.fn(async () => ({
        projects: [],
        current: 'fixed-1',
        fixedByConfig: 'fixed-1',
      })),
    });
    fireEvent.click(screen.getByRole('button', { name: /Change the Google Cloud project/ }));
    expect((await screen.findByText(/for every account; change it in/)).textContent).toContain(
      'project_id: fixed-1',
    );
    cleanup();
    renderPicker({
      listAccountProjects: vi.fn(async () => {
        throw new Error('Google Cloud answered HTTP 403 listing projects: permission denied');
      }),
    });
    fireEvent.click(screen.getByRole('button', { name: /Change the Google Cloud project/ }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Google Cloud answered HTTP 403 listing projects: permission denied',
    );
  });
});
