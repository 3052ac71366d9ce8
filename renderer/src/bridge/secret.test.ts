import { describe, expect, it, vi } from 'vitest';
import { forgetSecret, takeSecret } from './secret';

function env(hash: string) {
  const data = new Map<string, string>();
  const storage = {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
  return {
    location: { hash, pathname: '/ui/', search: '' },
    history: { replaceState: vi.fn() },
    storage,
    data,
  };
}

describe('the management secret in the tab', () => {
  it('takes #secret= once, keeps it in sessionStorage and removes it from the address bar', () => {
    const e = env('#secret=s3cr%2Bet');
    expect(takeSecret(e)).toBe('s3cr+et');
    expect([...e.data.values()]).toEqual(['s3cr+et']);
    expect(e.history.replaceState).toHaveBeenCalledWith(null, '', '/ui/#/dashboard');
  });

  it('reads the stored one otherwise, and forgets it on request', () => {
    const e = env('#/providers');
    expect(takeSecret(e)).toBeUndefined();
    e.storage.setItem('cliproxy.managementSecret', 'x');
    expect(takeSecret(e)).toBe('x');
    expect(e.history.replaceState).not.toHaveBeenCalled();
    forgetSecret(e.storage);
    expect(takeSecret(e)).toBeUndefined();
  });
});
