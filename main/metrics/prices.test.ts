import { describe, expect, it } from 'vitest';
import { costUsd, DEFAULT_PRICES, priceFor } from './prices';

describe('cost', () => {
  it('prices input, cached input and output per million tokens', () => {
    // 1M input of which 400k cached, 100k output at gpt-4o prices: 600k*2.5 + 400k*1.25 + 100k*10, per 1M
    expect(costUsd('gpt-4o', { input: 1_000_000, cached: 400_000, output: 100_000 }, DEFAULT_PRICES)).toBe(3);
  });

  it('matches dated snapshots to their family and prices unknown models at zero', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor('claude-sonnet-4-5-20250929', DEFAULT_PRICES)).toEqual(
      DEFAULT_PRICES['claude-sonnet-4-5'],
    );
    expect(costUsd('my-local-llama', { input: 10, cached: 0, output: 10 }, DEFAULT_PRICES)).toBe(0);
  });

  it('lets the config override a price', () => {
    expect(
      costUsd(
        'gpt-4o',
        { input: 1_000_000, cached: 0, output: 0 },
        { ...DEFAULT_PRICES, 'gpt-4o': { input: 1, output: 1 } },
      ),
    ).toBe(1);
  });
});
