import type { ErrorEnvelope, Events, MethodInput, MethodOutputs } from './contract';
import { METHOD_NAMES, type MethodName } from './method-names';

/**
 * What the Electron preload exposes as `window.api`: one function per contract method (answers
 * are the output or an ErrorEnvelope, since thrown errors lose their shape across contextBridge)
 * plus `on` for pushed events. Built from `methods`, so no channel list is copied by hand.
 */
export type RawApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutputs[M] | ErrorEnvelope>;
};

export type EventName = keyof Events;
// A record keyed by every event, so adding one to Events without listing it here fails to compile.
const EVENTS: Record<EventName, true> = {
  stateChanged: true,
  requestLogged: true,
  requestStarted: true,
  loginChanged: true,
};
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export interface DesktopBridge extends RawApi {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export { METHOD_NAMES };
export const eventChannelOf = (event: EventName) => `cliproxy:event:${event}`;

export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
