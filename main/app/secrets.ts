import type { SecretBox } from '../auth/secret-box';

/** The slice of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageBoxResult {
  box?: SecretBox;
  /** Shown in the log and the UI: why tokens are not (fully) protected by the OS. */
  warning?: string;
}

/**
 * Account files encrypted with the OS keychain (Keychain, DPAPI, libsecret/kwallet). On Linux
 * without a keyring Electron falls back to `basic_text`, a fixed key: still used (better than
 * plain text) but flagged so the UI can say tokens are only obfuscated. Call after app `ready`.
 */
export function safeStorageBox(safe: SafeStorageLike, platform: NodeJS.Platform): SafeStorageBoxResult {
  if (!safe.isEncryptionAvailable()) {
    return {
      warning:
        'The OS keychain is not available: account tokens are stored in files readable only by you, unencrypted.',
    };
  }
  const backend = platform === 'linux' ? safe.getSelectedStorageBackend?.() : undefined;
  const obfuscatedOnly = backend === 'basic_text';
  const box: SecretBox = {
    kind: 'electron-safe-storage',
    obfuscatedOnly,
    encrypt: (plain) => safe.encryptString(plain).toString('base64'),
    decrypt: (cipher) => safe.decryptString(Buffer.from(cipher, 'base64')),
  };
  return obfuscatedOnly
    ? {
        box,
        warning:
          'No keyring (GNOME Keyring / KWallet) was found: account tokens are only obfuscated, not encrypted.',
      }
    : { box };
}
