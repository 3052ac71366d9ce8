// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../../../shared/records';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { fakeBridge } from '../test-utils/fake-bridge';
import { record } from '../test-utils/records';
import { Requests } from './Requests';

afterEach(cleanup);

/** A stored log of 3,000 requests, newest first, of which every 150th asked for model "rare". */
const LOG: RequestRecord[] = Array.from({ length: 3_000 }, (_, i) =>
  record({ started_at: 1_700_000_000_000 - i * 1000, model: i % 150 === 149 ? 'rare' : 'mini' }),
);

function queryRequests({ limit = 50, before }: { limit?: number; before?: number }) {
  const start = before === undefined ? 0 : before;
  const items = LOG.slice(start, start + limit);
  const next = start + limit < LOG.length ? start + limit : undefined;
  return Promise.resolve({ items, ...(next !== undefined ? { next } : {}) });
}

describe('the Requests page', () => {
  it('keeps loading older pages while a filter finds too few matches, and says how far it searched', async () => {
    const query = vi.fn(queryRequests);
    const { bridge } = fakeBridge({ queryRequests: query } as never);
    const store = createAppStore(bridge);
    const stop = store.start();
    // The shell shows a page once the state is loaded; so does the test.
    await vi.waitFor(() => expect(store.getState().app).toBeDefined());
    render(
      <StoreProvider store={store} bridge={bridge}>
        <Requests route={{ page: 'requests' }} />
      </StoreProvider>,
    );
    await screen.findByText(/Showing 200 of 200 matching requests/);
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'rare' } });
    expect(screen.getByRole('status').textContent).toMatch(/Showing 1 of 1 matching/);
    const callsBefore = query.mock.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Load older requests' }));
    // Ten pages of 200 in one click (the cap), not one: the log down to its 2,000th row, 13 "rare".
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/searched back to/), {
      timeout: 3000,
    });
    expect(screen.getByRole('status').textContent).toMatch(
      /^Showing 13 of 13 matching requests \(the log searched back to/,
    );
    expect(query.mock.calls.length - callsBefore).toBe(10);
    fireEvent.click(screen.getByRole('button', { name: 'Load older requests' }));
    await screen.findByText(/Showing 20 of 20 matching requests .*; that is the whole log\./);
    expect(screen.queryByRole('button', { name: 'Load older requests' })).toBeNull();
    stop();
  });
});
