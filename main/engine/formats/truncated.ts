import type { IRStreamEvent } from './ir';

/** The event every decoder emits when its upstream stream ends before the format's last event. */
export function truncatedStream(missing: string): IRStreamEvent {
  return {
    type: 'error',
    error: { status: 502, kind: 'server', message: `The upstream stream ended ${missing} (truncated).` },
  };
}
