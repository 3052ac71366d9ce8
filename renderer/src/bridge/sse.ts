import { createParser } from 'eventsource-parser';
import type { ConnectionState } from './types';

export interface EventStreamOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  onEvent(name: string, data: string): void;
  onState(state: ConnectionState): void;
  /** First retry delay; doubles per failure up to maxDelayMs, back to the start once connected. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** The next wait after a failure: doubling, capped, with a little jitter so tabs do not retry in step. */
export function nextDelay(previous: number | undefined, initial: number, max: number, random = Math.random) {
  const base = previous === undefined ? initial : Math.min(previous * 2, max);
  return Math.round(base * (0.9 + random() * 0.2));
}

/**
 * Server-sent events over fetch (EventSource cannot send an Authorization header), reconnecting with
 * backoff. A 401 or a "Management API is off" 404 stops retrying: waiting will not fix either.
 */
export function openEventStream(options: EventStreamOptions): () => void {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 15_000;
  let stopped = false;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay: number | undefined;

  const retry = (reason: string) => {
    if (stopped) return;
    delay = nextDelay(delay, initial, max);
    options.onState({ kind: 'retrying', inMs: delay, reason });
    timer = setTimeout(connect, delay);
  };

  async function connect() {
    if (stopped) return;
    controller = new AbortController();
    options.onState({ kind: 'connecting' });
    let response: Response;
    try {
      response = await options.fetch(options.url, {
        headers: { ...options.headers, accept: 'text/event-stream' },
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch {
      return retry('the engine is not reachable');
    }
    if (response.status === 401) return options.onState({ kind: 'unauthorized' });
    if (response.status === 404) return options.onState({ kind: 'management_off' });
    if (!response.ok || !response.body) return retry(`the engine answered HTTP ${response.status}`);
    delay = undefined;
    options.onState({ kind: 'open' });
    const parser = createParser({
      onEvent: (event) => options.onEvent(event.event ?? 'message', event.data),
    });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted by close() or the connection dropped: both end up below
    }
    retry('the event stream ended');
  }

  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
