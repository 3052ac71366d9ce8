import { describe, expect, it } from 'vitest';
import { ClientLimits, modelAllowed } from './client-limits';

describe('modelAllowed', () => {
  it('matches exact names and * globs', () => {
    const key = { key: 'k', name: 'n', models: ['gpt-4o-mini', 'claude-*', 'or/*/free'] };
    expect(modelAllowed(key, 'gpt-4o-mini')).toBe(true);
    expect(modelAllowed(key, 'claude-sonnet-4')).toBe(true);
    expect(modelAllowed(key, 'or/meta/free')).toBe(true);
    expect(modelAllowed(key, 'gpt-4o')).toBe(false);
    expect(modelAllowed(key, 'xclaude-1')).toBe(false);
    expect(modelAllowed({ key: 'k', name: 'n' }, 'anything')).toBe(true);
  });
});

describe('ClientLimits', () => {
  it('refuses past rpm and says when to come back', () => {
    let now = 0;
    const limits = new ClientLimits(() => now);
    const key = { key: 'k', name: 'laptop', rpm: 2 };
    expect(limits.admit(key).ok).toBe(true);
    now = 10_000;
    expect(limits.admit(key).ok).toBe(true);
    now = 20_000;
    expect(limits.admit(key)).toEqual({ ok: false, limit: 'rpm', retryAfterSeconds: 40 });
    now = 60_001;
    expect(limits.admit(key).ok).toBe(true);
  });

  it('refuses past tpm once usage is recorded, and recovers as the window slides', () => {
    let now = 0;
    const limits = new ClientLimits(() => now);
    const key = { key: 'k', name: 'ci', tpm: 1_000 };
    expect(limits.admit(key).ok).toBe(true);
    limits.recordTokens(key, 1_200);
    now = 30_000;
    expect(limits.admit(key)).toMatchObject({ ok: false, limit: 'tpm' });
    now = 60_001;
    expect(limits.admit(key).ok).toBe(true);
  });

  it('keeps keys apart', () => {
    const limits = new ClientLimits();
    limits.admit({ key: 'a', name: 'a', rpm: 1 });
    expect(limits.admit({ key: 'b', name: 'b', rpm: 1 }).ok).toBe(true);
  });
});
