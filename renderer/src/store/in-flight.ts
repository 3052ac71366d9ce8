import type { RequestRecord, RequestStarted } from '../../../shared/records';

/** Longer than any request may run (the default total timeout is 30 min): an entry this old lost its record. */
export const MAX_IN_FLIGHT_AGE_MS = 35 * 60_000;
/** The most requests the window keeps as in flight. */
export const MAX_IN_FLIGHT = 500;

/** `ended`: a request whose record is handled elsewhere (it came before the first page loaded). */
export type LiveEvent = { started: RequestStarted } | { finished: RequestRecord } | { ended: string };

/**
 * The requests in flight after a batch of live events, applied in the order they came: a start
 * adds one, its record (same id) ends it. Newest first; the same array when nothing changed, so a
 * batch of records of unwatched requests re-renders nothing.
 */
export function applyLive(
  inFlight: RequestStarted[],
  events: LiveEvent[],
  now: number,
): { inFlight: RequestStarted[]; finished: RequestRecord[] } {
  const open = new Map(inFlight.map((r) => [r.id, r]));
  const finished: RequestRecord[] = [];
  let changed = false;
  for (const event of events) {
    if ('started' in event) {
      open.set(event.started.id, event.started);
      changed = true;
    } else {
      const id = 'ended' in event ? event.ended : event.finished.id;
      changed = open.delete(id) || changed;
      if ('finished' in event) finished.push(event.finished);
    }
  }
  const fresh = (r: RequestStarted) => now - r.started_at < MAX_IN_FLIGHT_AGE_MS;
  if (!changed && inFlight.every(fresh)) return { inFlight, finished };
  const next = [...open.values()]
    .filter(fresh)
    .sort((a, b) => b.started_at - a.started_at)
    .slice(0, MAX_IN_FLIGHT);
  return { inFlight: next, finished };
}
