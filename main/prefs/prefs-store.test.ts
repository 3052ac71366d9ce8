import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFS } from '../../shared/prefs';
import { JsonPrefsStore, sanitizePrefs } from './prefs-store';

describe('prefs', () => {
  it('keeps the valid fields of a damaged object and defaults the rest', () => {
    expect(sanitizePrefs({ theme: 'dark', launchAtLogin: 'yes', extra: 1 })).toEqual({
      ...DEFAULT_PREFS,
      theme: 'dark',
    });
    expect(sanitizePrefs(null)).toEqual(DEFAULT_PREFS);
  });

  it('persists a patch and reads it back in a new store', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prefs-')), 'prefs.json');
    const store = new JsonPrefsStore(file);
    expect(store.get()).toEqual(DEFAULT_PREFS);
    await store.set({ theme: 'light', onboardingDone: true });
    expect(new JsonPrefsStore(file).get()).toMatchObject({ theme: 'light', onboardingDone: true });
    expect(JSON.parse(readFileSync(file, 'utf8')).theme).toBe('light');
  });

  it('starts from defaults when the file is not JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prefs-')), 'prefs.json');
    writeFileSync(file, '{not json');
    expect(new JsonPrefsStore(file).get()).toEqual(DEFAULT_PREFS);
  });
});
