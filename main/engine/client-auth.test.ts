import { describe, expect, it } from 'vitest';
import { matchClientKey, presentedKey } from './client-auth';

const keys = [
  { key: 'sk-local-1', name: 'laptop' },
  { key: 'sk-local-2', name: 'ci' },
];

describe('presentedKey', () => {
  const none = new URLSearchParams();
  it('reads each API’s own header', () => {
    expect(presentedKey({ authorization: 'Bearer sk-a' }, none)).toBe('sk-a');
    expect(presentedKey({ authorization: 'bearer   sk-a ' }, none)).toBe('sk-a');
    expect(presentedKey({ 'x-api-key': 'sk-b' }, none)).toBe('sk-b');
    expect(presentedKey({ 'x-goog-api-key': 'sk-c' }, none)).toBe('sk-c');
    expect(presentedKey({}, new URLSearchParams('key=sk-d&alt=sse'))).toBe('sk-d');
    expect(presentedKey({}, none)).toBeUndefined();
    expect(presentedKey({ authorization: 'Basic abc' }, none)).toBeUndefined();
  });
});

describe('matchClientKey', () => {
  it('finds the matching key and its name', () => {
    expect(matchClientKey('sk-local-2', keys)?.name).toBe('ci');
  });
  it('refuses wrong, prefixed, longer and missing keys', () => {
    expect(matchClientKey('sk-local-3', keys)).toBeUndefined();
    expect(matchClientKey('sk-local-', keys)).toBeUndefined();
    expect(matchClientKey('sk-local-11', keys)).toBeUndefined();
    expect(matchClientKey(undefined, keys)).toBeUndefined();
  });
});
