import { describe, expect, it } from 'vitest';
import { allCoolingDown, modelNotFound } from './pipeline';

describe('errors that quote the model', () => {
  it('quote a normal name whole', () => {
    expect(modelNotFound('gpt-4o').message).toContain('"gpt-4o" does not exist');
  });

  it('cut a name of any length short, so a client cannot make the proxy echo megabytes', () => {
    const long = 'x'.repeat(100_000);
    expect(modelNotFound(long).message.length).toBeLessThan(400);
    expect(modelNotFound(long).message).toContain(`"${'x'.repeat(200)}…"`);
    const cooling = [
      { account: 'a', model: long, until: Date.now() + 5_000, reason: 'rate_limit: slow down' },
    ];
    expect(allCoolingDown(long, cooling as Parameters<typeof allCoolingDown>[1]).message.length).toBeLessThan(
      500,
    );
  });
});
