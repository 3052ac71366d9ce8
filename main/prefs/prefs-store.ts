import { readFileSync } from 'node:fs';
import { DEFAULT_PREFS, type Prefs, type PrefsPatch, prefsSchema } from '../../shared/prefs';
import { writeFileAtomic } from '../fs/atomic';

/** App preferences behind the contract: electron-store in the app, a JSON file headless. */
export interface PrefsStore {
  get(): Prefs;
  set(patch: PrefsPatch): Promise<Prefs>;
}

/** Reads what is valid of a stored object; a damaged or foreign file falls back to the defaults. */
export function sanitizePrefs(raw: unknown): Prefs {
  const parsed = prefsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const result: Record<string, unknown> = { ...DEFAULT_PREFS };
  if (typeof raw === 'object' && raw !== null) {
    for (const [key, value] of Object.entries(raw)) {
      const field = prefsSchema.shape[key as keyof Prefs];
      if (field?.safeParse(value).success) result[key] = value;
    }
  }
  return prefsSchema.parse(result);
}

/** Headless preferences: one small JSON file, written atomically. */
export class JsonPrefsStore implements PrefsStore {
  private current: Prefs;

  constructor(private readonly file: string) {
    let raw: unknown = {};
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // first run or a damaged file: defaults
    }
    this.current = sanitizePrefs(raw);
  }

  get(): Prefs {
    return { ...this.current };
  }

  async set(patch: PrefsPatch): Promise<Prefs> {
    const next = sanitizePrefs({ ...this.current, ...patch });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, 0o600);
    this.current = next;
    return this.get();
  }
}

/** Preferences kept in memory only (tests, or when no file location is known). */
export class MemoryPrefsStore implements PrefsStore {
  private current: Prefs = { ...DEFAULT_PREFS };
  get(): Prefs {
    return { ...this.current };
  }
  async set(patch: PrefsPatch): Promise<Prefs> {
    this.current = sanitizePrefs({ ...this.current, ...patch });
    return this.get();
  }
}
