import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabeledHistogram } from './labeled-histogram';

const BOUNDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

describe('LabeledHistogram', () => {
  it("exposes the same text as prom-client's Histogram for the same observations", async () => {
    const observation = fc.record({
      provider: fc.constantFrom('openai', 'anthropic', 'we"ird\\name'),
      model: fc.constantFrom('gpt-4o', 'claude-sonnet-4-5', 'line\nbreak'),
      value: fc.oneof(fc.constantFrom(0, 0.05, 0.1, 5, 7), fc.double({ min: 0, max: 10, noNaN: true })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
        const theirs = new Registry();
        const reference = new Histogram({
          name: 'x_seconds',
          help: 'Some "help"',
          labelNames: ['provider', 'model'],
          buckets: BOUNDS,
          registers: [theirs],
        });
        const ours = new Registry();
        const local = new LabeledHistogram<{ provider: string; model: string }>(
          'x_seconds',
          'Some "help"',
          BOUNDS,
        );
        ours.registerMetric(local as never);
        for (const { provider, model, value } of observations) {
          reference.observe({ provider, model }, value);
          local.observe(`${provider}\u0000${model}`, { provider, model }, value);
        }
        expect(await ours.metrics()).toBe(await theirs.metrics());
      }),
      { numRuns: 200 },
    );
  });
});
