import { isErrorEnvelope, METHOD_NAMES } from '../../../shared/bridge';
import type { Api, Events, MethodName } from '../../../shared/contract';
import { saveAs } from './csv-export';
import { openEventStream } from './sse';
import {
  type Bridge,
  BridgeError,
  type BridgeErrorCode,
  type ConnectionState,
  MANAGEMENT_OFF_HINT,
} from './types';

export interface HttpBridgeOptions {
  /** The engine's origin, e.g. http://127.0.0.1:8317 (the page's own origin under /ui). */
  baseUrl: string;
  secret: string;
  fetch?: typeof fetch;
}

async function errorFrom(response: Response): Promise<BridgeError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const message = isErrorEnvelope(body) ? body.error.message : `The engine answered HTTP ${response.status}.`;
  if (response.status === 401)
    return new BridgeError('The management secret was not accepted.', 'unauthorized');
  if (response.status === 404 && /Management API is off/i.test(message))
    return new BridgeError(MANAGEMENT_OFF_HINT, 'management_off');
  if (response.status === 429) return new BridgeError(message, 'throttled');
  const code = isErrorEnvelope(body) ? (body.error as { code?: BridgeErrorCode }).code : undefined;
  return new BridgeError(message, code ?? 'failed');
}

/** The contract over HTTP: POST /v0/management/rpc/{method}, events from /v0/management/events. */
export function createHttpBridge(options: HttpBridgeOptions): Bridge {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, '');
  const auth = { authorization: `Bearer ${options.secret}` };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = { kind: 'connecting' };
  let stopStream: (() => void) | undefined;

  const call = async (method: MethodName, input: unknown) => {
    let response: Response;
    try {
      response = await doFetch(`${base}/v0/management/rpc/${method}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new BridgeError('The engine is not reachable. Is it running?', 'unreachable');
    }
    if (!response.ok) throw await errorFrom(response);
    const body: unknown = await response.json();
    if (isErrorEnvelope(body)) throw new BridgeError(body.error.message, body.error.code);
    return body;
  };

  const ensureStream = () => {
    stopStream ??= openEventStream({
      url: `${base}/v0/management/events`,
      headers: auth,
      fetch: doFetch,
      onEvent(name, data) {
        const set = listeners.get(name);
        if (!set?.size) return;
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          return;
        }
        for (const listener of set) listener(payload);
      },
      onState(state) {
        connection = state;
        for (const listener of connectionListeners) listener(state);
      },
    });
  };

  const api = Object.fromEntries(
    METHOD_NAMES.map((name) => [name, (input: unknown) => call(name, input)]),
  ) as unknown as Api;

  return {
    ...api,
    transport: 'http',
    on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      ensureStream();
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => connectionListeners.delete(listener);
    },
    async downloadRequestsCsv() {
      // A plain link cannot carry the bearer secret (and the secret must never ride in a URL).
      const response = await doFetch(`${base}/v0/management/requests.csv`, { headers: auth });
      if (!response.ok) throw await errorFrom(response);
      saveAs(await response.blob(), 'cliproxy-requests.csv');
    },
    close() {
      stopStream?.();
      stopStream = undefined;
    },
  };
}
