// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmButton } from './ConfirmButton';

afterEach(cleanup);

describe('ConfirmButton', () => {
  it('runs nothing on the first click, nothing on Cancel, and once on Yes', async () => {
    const onConfirm = vi.fn(async () => {});
    render(<ConfirmButton label="Remove" question="Remove work?" onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.getByRole('group', { name: 'Remove work?' })).toBeTruthy();
    expect(onConfirm).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remove' })).toBeTruthy());
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
