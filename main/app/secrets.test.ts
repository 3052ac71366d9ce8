import { describe, expect, it } from 'vitest';
import { type SafeStorageLike, safeStorageBox } from './secrets';

function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
    decryptString: (cipher) => Buffer.from([...cipher].map((b) => b ^ 0x5a)).toString(),
    getSelectedStorageBackend: () => backend,
  };
}

describe('safeStorageBox', () => {
  it('round-trips secrets without leaving them readable', () => {
    const { box, warning } = safeStorageBox(fakeSafeStorage(true), 'linux');
    expect(warning).toBeUndefined();
    const cipher = box?.encrypt('sk-secret-token') ?? '';
    expect(cipher).not.toContain('sk-secret');
    expect(box?.decrypt(cipher)).toBe('sk-secret-token');
    expect(box?.obfuscatedOnly).toBe(false);
  });

  it('flags the basic_text backend on Linux as obfuscation only', () => {
    const { box, warning } = safeStorageBox(fakeSafeStorage(true, 'basic_text'), 'linux');
    expect(box?.obfuscatedOnly).toBe(true);
    expect(warning).toMatch(/only obfuscated/);
  });

  it('ignores the backend name on other platforms', () => {
    expect(safeStorageBox(fakeSafeStorage(true, 'basic_text'), 'darwin').box?.obfuscatedOnly).toBe(false);
  });

  it('gives no box and says why when encryption is unavailable', () => {
    const result = safeStorageBox(fakeSafeStorage(false), 'linux');
    expect(result.box).toBeUndefined();
    expect(result.warning).toMatch(/not available/);
  });
});
