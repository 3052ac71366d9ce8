import { setFlagsFromString } from 'node:v8';

export const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';

let tuned: boolean | undefined;

/**
 * Turns off V8's allocation-site pretenuring for this process, once.
 *
 * A proxy allocates per request objects that live about as long as the request: undici's views of
 * the header and body bytes into each socket read, the streams around them. Enough of them are alive
 * at a scavenge that V8 decides their allocation sites make long-lived objects and allocates them in
 * the old generation from then on. There they wait for a mark-compact, and the socket reads they
 * point at (malloc'd, not on the JS heap) wait with them: glibc's heap grows by tens of MB under load
 * and keeps that after it (docs/PERFORMANCE.md, fix 29). Without pretenuring they die in the young
 * generation: a plain undici client promoted 20 MB instead of 130 over 40,000 streams, ran 2
 * mark-compacts instead of 10, and served 25% more requests per second.
 *
 * V8 reads the flag at every collection, so setting it after start is effective; code compiled
 * before it may still leave allocation mementos, which are then ignored. Returns whether the runtime
 * took the flag (false where it refuses runtime flags).
 */
export function tuneGarbageCollector(): boolean {
  if (tuned === undefined) {
    try {
      setFlagsFromString(NO_PRETENURING_FLAG);
      tuned = true;
    } catch {
      tuned = false;
    }
  }
  return tuned;
}
