// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/context';
import { fakeBridge } from '../../test-utils/fake-bridge';
import { RequestBodiesView } from './RequestBodiesView';

afterEach(cleanup);

function renderBodies(getRequestBodies: ReturnType<typeof vi.fn>) {
  const { bridge } = fakeBridge({ getRequestBodies } as never);
  return render(
    <StoreProvider store={createAppStore(bridge)} bridge={bridge}>
      <RequestBodiesView id="r1" />
    </StoreProvider>,
  );
}

describe('RequestBodiesView', () => {
  it('shows both kept bodies and says which one was cut', async () => {
    const getRequestBodies = vi.fn(async () => ({
      bodies: {
        id: 'r1',
        request: '{"model":"m","messages":[]}',
        response: '{"choices":[]}',
        request_truncated: false,
        response_truncated: true,
      },
    }));
    renderBodies(getRequestBodies);
    expect(await screen.findByText('{"model":"m","messages":[]}')).toBeTruthy();
    expect(screen.getByText('{"choices":[]}')).toBeTruthy();
    expect(screen.getAllByText('(cut at log_body_max_bytes)')).toHaveLength(1);
    expect(getRequestBodies).toHaveBeenCalledWith({ id: 'r1' });
  });

  it('explains how to keep bodies when none were kept', async () => {
    renderBodies(vi.fn(async () => ({ bodies: null })));
    expect((await screen.findByText(/No bodies were kept/)).textContent).toContain('log_bodies: true');
  });

  it('says why the bodies could not be read', async () => {
    renderBodies(
      vi.fn(async () => {
        throw new Error('The usage log is not available');
      }),
    );
    expect((await screen.findByText(/Could not read the bodies/)).textContent).toContain(
      'The usage log is not available',
    );
  });
});
