import {
  type DesktopBridge,
  EVENT_NAMES,
  type EventName,
  eventChannelOf,
  METHOD_NAMES,
} from '../../shared/bridge';
import { channelOf } from '../../shared/method-names';

type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * `window.api`, built from the contract's method list: one function per method plus `on` for the
 * events main pushes. Pure over `invoke`/`subscribe` so the preload (which only adds ipcRenderer and
 * contextBridge) is tested without Electron.
 */
export function createDesktopBridge(invoke: Invoke, subscribe: Subscribe): DesktopBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    bridge[method] = (input: unknown) => invoke(channelOf(method), input ?? {});
  }
  bridge.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    return subscribe(eventChannelOf(event), listener);
  };
  return Object.freeze(bridge) as unknown as DesktopBridge;
}
