/**
 * Encrypts account files at rest. In Electron it wraps safeStorage (the OS keychain); headless
 * there is none, and files are plain JSON protected by their 0600 mode.
 */
export interface SecretBox {
  /** Names the scheme in the file so a file is never decrypted with the wrong box. */
  readonly kind: string;
  /** True when the box only obfuscates (Linux safeStorage on the basic_text backend). */
  readonly obfuscatedOnly?: boolean;
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}
