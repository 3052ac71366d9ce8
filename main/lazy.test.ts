import { describe, expect, it } from 'vitest';
import { lazy } from './lazy';

describe('lazy', () => {
  it('makes the value once for concurrent callers and then holds it', async () => {
    let made = 0;
    const value = lazy(async () => ++made);
    expect(value.value).toBeUndefined();
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([1, 1, 1]);
    expect(value.value).toBe(1);
    expect(await value.get()).toBe(1);
    expect(made).toBe(1);
  });

  it('tries again after a failed attempt', async () => {
    let attempts = 0;
    const value = lazy(async () => {
      attempts++;
      if (attempts === 1) throw new Error('not yet');
      return 'ok';
    });
    await expect(value.get()).rejects.toThrow('not yet');
    expect(value.value).toBeUndefined();
    expect(await value.get()).toBe('ok');
    expect(attempts).toBe(2);
  });
});
