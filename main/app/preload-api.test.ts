import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, eventChannelOf, METHOD_NAMES } from '../../shared/bridge';
import { methods } from '../../shared/contract';
import { createDesktopBridge } from './preload-api';

function bridgeWithLog() {
  const invoked: Array<[string, unknown]> = [];
  const subscribed: string[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const bridge = createDesktopBridge(
    async (channel, payload) => {
      invoked.push([channel, payload]);
      return { ok: channel };
    },
    (channel, listener) => {
      subscribed.push(channel);
      listeners.set(channel, listener);
      return () => listeners.delete(channel);
    },
  );
  return { bridge, invoked, subscribed, listeners };
}

describe('window.api', () => {
  it('exposes exactly the contract: one function per method, plus on', () => {
    const { bridge } = bridgeWithLog();
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(methods), 'on'].sort());
    for (const key of Object.keys(bridge))
      expect(typeof (bridge as unknown as Record<string, unknown>)[key]).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes each method on its channel with the payload', async () => {
    const { bridge, invoked } = bridgeWithLog();
    for (const method of METHOD_NAMES)
      await (bridge[method] as (input: unknown) => Promise<unknown>)({ probe: method });
    expect(invoked).toEqual(METHOD_NAMES.map((m) => [`cliproxy:${m}`, { probe: m }]));
    await bridge.getState(undefined as never);
    expect(invoked.at(-1)).toEqual(['cliproxy:getState', {}]);
  });

  it('subscribes to the pushed events only, and unsubscribes', () => {
    const { bridge, subscribed, listeners } = bridgeWithLog();
    const seen: unknown[] = [];
    const off = bridge.on('requestLogged', (record) => seen.push(record));
    listeners.get(eventChannelOf('requestLogged'))?.({ id: 'r1' });
    expect(seen).toEqual([{ id: 'r1' }]);
    off();
    expect(listeners.size).toBe(0);
    expect(subscribed).toEqual([eventChannelOf('requestLogged')]);
    expect(() => bridge.on('ipc:anything' as never, () => {})).toThrow(/unknown event/);
    expect(EVENT_NAMES).toEqual(['stateChanged', 'requestLogged', 'requestStarted', 'loginChanged']);
  });
});
