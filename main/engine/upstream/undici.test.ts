import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { undiciAgentOnly } from './undici';

describe('undiciAgentOnly', () => {
  it('is the very Agent class the undici index exports', async () => {
    expect((await undiciAgentOnly.get()).Agent).toBe(Agent);
  });
});
