// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { QuotaBar } from './AccountRow';

afterEach(cleanup);

describe('QuotaBar', () => {
  it('shows the share used, from a percentage or from limit and remaining', () => {
    render(<QuotaBar label="work" window={{ name: '5h', used_percent: 25 }} />);
    render(<QuotaBar label="work" window={{ name: 'tokens', limit: 1000, remaining: 100 }} />);
    const bars = screen.getAllByRole('progressbar');
    expect(bars.map((bar) => bar.getAttribute('aria-label'))).toEqual([
      'work: 5h quota 25% used',
      'work: tokens quota 90% used',
    ]);
    expect(bars.map((bar) => bar.getAttribute('value'))).toEqual(['25', '90']);
  });

  it('says what is left when there is no limit to measure against, and when it resets', () => {
    render(
      <QuotaBar
        label="work"
        window={{ name: 'requests', remaining: 1234, resets_at: Date.now() + 90 * 60_000 }}
      />,
    );
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByText('1,234 left')).toBeTruthy();
    expect(document.body.textContent).toMatch(/resets in/);
  });
});
