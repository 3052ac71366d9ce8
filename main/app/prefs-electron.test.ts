import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFS, type Prefs } from '../../shared/prefs';
import { ElectronPrefsStore, type KeyValueStore } from './prefs-electron';

function mapStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return { data, get: (k) => data.get(k), set: (k, v) => data.set(k, v) };
}

describe('ElectronPrefsStore', () => {
  it('applies a change, then stores it', async () => {
    const kv = mapStore();
    const applied: Array<[Prefs, Prefs]> = [];
    const prefs = new ElectronPrefsStore(kv, (next, previous) => applied.push([next, previous]));
    expect(prefs.get()).toEqual(DEFAULT_PREFS);
    const next = await prefs.set({ launchAtLogin: true });
    expect(next.launchAtLogin).toBe(true);
    expect(applied).toEqual([[next, DEFAULT_PREFS]]);
    expect(kv.data.get('prefs')).toEqual(next);
  });

  it('keeps the stored value when applying fails', async () => {
    const kv = mapStore({ prefs: { ...DEFAULT_PREFS, theme: 'dark' } });
    const prefs = new ElectronPrefsStore(kv, () => {
      throw new Error('login items are managed by the system');
    });
    await expect(prefs.set({ launchAtLogin: true })).rejects.toThrow(/login items/);
    expect(prefs.get()).toEqual({ ...DEFAULT_PREFS, theme: 'dark' });
  });

  it('reads a damaged stored value as defaults for the damaged fields', () => {
    const prefs = new ElectronPrefsStore(mapStore({ prefs: { theme: 42, onboardingDone: true } }), () => {});
    expect(prefs.get()).toEqual({ ...DEFAULT_PREFS, onboardingDone: true });
  });
});
