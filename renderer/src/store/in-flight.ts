import type { RequestRecord, RequestStarted } from '../../../shared/records';

/** Longer than any request may run (the default total timeout is 30 min): an entry this old lost its record. */
export const MAX_IN_FLIGHT_AGE_MS = 35 * 60_000;
/** The most requests the window keeps as in flight. */
export const MAX_IN_FLIGHT = 500;

/** `ended`: a request whose record is handled elsewhere (it came before the first page loaded). */
export type LiveEvent = { started: RequestStarted } | { finished: RequestRecord } | { ended: string };

/**
 * The requests in flight after a batch of live events, applied in the order they came: a start
 * adds one, its record (same id) ends it. Newest first.
 */
export function applyLive(
  inFlight: RequestStarted[],
  events: LiveEvent[],
  now: number,
): { inFlight: RequestStarted[]; finished: RequestRecord[] } {
  const open = new Map(inFlight.map((r) => [r.id, r]));
  const finished: RequestRecord[] = [];
  for (const event of events) {
    if ('started' in event) open.set(event.started.id, event.started);
    else if ('ended' in event) open.delete(event.ended);
    else {
      open.delete(event.finished.id);
      finished.push(event.finished);
    }
  }
  const next = [...open.values()]
    .filter((r) => now - r.started_at < MAX_IN_FLIGHT_AGE_MS)
    .sort((a, b) => b.started_at - a.started_at)
    .slice(0, MAX_IN_FLIGHT);
  return { inFlight: next, finished };
}
