import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PREFS } from '../../../shared/prefs';
import { fakeBridge, status } from '../test-utils/fake-bridge';
import { record } from '../test-utils/records';
import { createAppStore } from './app-store';

const settle = () => new Promise((r) => setTimeout(r, 0));
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
});

describe('the app store', () => {
  it('loads the state once, then follows pushed events without polling', async () => {
    const { bridge, emit } = fakeBridge();
    const store = createAppStore(bridge);
    stops.push(store.start());
    await settle();
    expect(store.getState().app?.configPath).toBe('/c/config.yaml');
    expect(store.getState().prefs).toEqual(DEFAULT_PREFS);
    emit('stateChanged', status({ running: false, loadedAt: 1 }));
    expect(store.getState().status?.running).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(bridge.getState).toHaveBeenCalledTimes(1);
  });

  it('re-reads the state after a config reload (providers may have changed)', async () => {
    const { bridge, emit } = fakeBridge();
    const store = createAppStore(bridge);
    stops.push(store.start());
    await settle();
    emit('stateChanged', status({ loadedAt: 2 }));
    emit('stateChanged', status({ loadedAt: 3 }));
    await new Promise((r) => setTimeout(r, 150));
    expect(bridge.getState).toHaveBeenCalledTimes(2);
  });

  it('batches live requests into the log, the series and the totals', async () => {
    const { bridge, emit } = fakeBridge();
    const store = createAppStore(bridge);
    stops.push(store.start());
    await settle();
    const renders = vi.fn();
    store.subscribe(renders);
    for (let i = 0; i < 50; i++) emit('requestLogged', record({ started_at: Date.now(), cost_usd: 0.01 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(store.getState().recent).toHaveLength(50);
    expect(store.getState().series.requests.reduce((a, b) => a + b, 0)).toBe(50);
    expect(store.getState().totals.costToday).toBeCloseTo(0.5);
    expect(renders.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('says why the first load failed', async () => {
    const { bridge } = fakeBridge({
      getState: vi.fn(async () => {
        throw new Error('The management secret was not accepted.');
      }),
    });
    const store = createAppStore(bridge);
    stops.push(store.start());
    await settle();
    expect(store.getState().loadError).toContain('not accepted');
  });
});
