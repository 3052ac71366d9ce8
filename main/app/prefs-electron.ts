import type { Prefs, PrefsPatch } from '../../shared/prefs';
import { type PrefsStore, sanitizePrefs } from '../prefs/prefs-store';

/** The slice of electron-store used here (so this is tested with a Map). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const PREFS_KEY = 'prefs';

/**
 * App preferences in electron-store; `apply` makes a change real (login item, native theme)
 * before it is stored, so a failure leaves the stored value as it was.
 */
export class ElectronPrefsStore implements PrefsStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly apply: (next: Prefs, previous: Prefs) => void,
  ) {}

  get(): Prefs {
    return sanitizePrefs(this.kv.get(PREFS_KEY));
  }

  async set(patch: PrefsPatch): Promise<Prefs> {
    const previous = this.get();
    const next = sanitizePrefs({ ...previous, ...patch });
    this.apply(next, previous);
    this.kv.set(PREFS_KEY, next);
    return next;
  }
}
