import { describe, expect, it } from 'vitest';
import { hostAllowed, originAllowed } from './guard';

describe('hostAllowed', () => {
  it('accepts loopback names with or without port on a loopback bind', () => {
    for (const host of ['localhost:8317', '127.0.0.1:8317', '[::1]:8317', 'LOCALHOST', '127.0.0.1']) {
      expect(hostAllowed(host, '127.0.0.1', [])).toBe(true);
    }
  });

  it('refuses rebinding names unless listed', () => {
    expect(hostAllowed('evil.example:8317', '127.0.0.1', [])).toBe(false);
    expect(hostAllowed('127.0.0.1.evil.example', '127.0.0.1', [])).toBe(false);
    expect(hostAllowed('proxy.lan:8317', '127.0.0.1', ['proxy.lan'])).toBe(true);
  });

  it('does not restrict a non-loopback bind (api_keys protect it) nor a missing Host', () => {
    expect(hostAllowed('my-box.lan', '0.0.0.0', [])).toBe(true);
    expect(hostAllowed(undefined, '127.0.0.1', [])).toBe(true);
  });
});

describe('originAllowed', () => {
  it('lets requests without Origin through (SDKs, CLIs)', () => {
    expect(originAllowed(undefined, [], [])).toBe(true);
  });

  it('refuses browser origins unless listed or the engine itself', () => {
    expect(originAllowed('https://evil.example', [], ['http://127.0.0.1:8317'])).toBe(false);
    expect(originAllowed('null', [], [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:8317', [], ['http://127.0.0.1:8317'])).toBe(true);
    expect(originAllowed('https://app.example/', ['https://app.example'], [])).toBe(true);
  });
});
