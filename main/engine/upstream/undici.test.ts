import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { undiciAgent } from './undici';

describe('undiciAgent', () => {
  it('is the very Agent class the undici index exports', async () => {
    expect(await undiciAgent.get()).toBe(Agent);
  });
});
