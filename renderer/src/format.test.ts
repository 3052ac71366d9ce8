import { describe, expect, it } from 'vitest';
import { formatRemaining, formatUsd, formatUsdTick } from './format';

describe('format', () => {
  it('keeps tiny costs apart on a chart axis', () => {
    expect([0, 0.00002, 0.00004, 0.000061].map(formatUsdTick)).toEqual([
      '$0',
      '$0.00002',
      '$0.00004',
      '$0.000061',
    ]);
    expect(formatUsdTick(0.125)).toBe('$0.13');
    expect(formatUsdTick(3)).toBe('$3');
    expect(formatUsdTick(2.5)).toBe('$2.50');
  });

  it('shows costs and countdowns the way the tables do', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.00001)).toBe('<$0.0001');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatRemaining(65_000)).toBe('1m 05s');
    expect(formatRemaining(3_720_000)).toBe('1h 02m');
    expect(formatRemaining(-1)).toBe('now');
  });
});
