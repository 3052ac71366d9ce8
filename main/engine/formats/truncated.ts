import type { IRError, IRStreamEvent } from './ir';

/** What a stream that ends before the format's last event is: an error, never a finished answer. */
export function truncatedError(missing: string): IRError {
  return { status: 502, kind: 'server', message: `The upstream stream ended ${missing} (truncated).` };
}

/** The event every decoder emits when its upstream stream ends before the format's last event. */
export function truncatedStream(missing: string): IRStreamEvent {
  return { type: 'error', error: truncatedError(missing) };
}

/**
 * The event a decoder emits for a stream event whose data is not JSON: skipping it would hand the
 * client an answer with a silent gap, so the stream ends in an error instead. Blank data (a
 * keep-alive) is not an event worth failing for.
 */
export function unreadableEvent(data: string): IRStreamEvent | undefined {
  if (data.trim() === '') return undefined;
  return {
    type: 'error',
    error: {
      status: 502,
      kind: 'server',
      message: 'The upstream sent a stream event that is not valid JSON; the answer is incomplete.',
    },
  };
}
