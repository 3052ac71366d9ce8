// With its extension: the GC tests run this module under plain Node (type stripping), unbundled.
import { setV8Flag } from './v8-flag.ts';

export const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';

/**
 * Turns off V8's allocation-site pretenuring for this process.
 *
 * A proxy allocates per request objects that live about as long as the request: undici's views of
 * the header and body bytes into each socket read, the streams around them. Enough of them are alive
 * at a scavenge that V8 decides their allocation sites make long-lived objects and allocates them in
 * the old generation from then on. There they wait for a mark-compact, and the socket reads they
 * point at (malloc'd, not on the JS heap) wait with them: glibc's heap grows by tens of MB under load
 * and keeps that after it (docs/PERFORMANCE.md, fix 29). Without pretenuring they die in the young
 * generation: a plain undici client promoted 20 MB instead of 130 over 40,000 streams, ran 2
 * mark-compacts instead of 10, and served 25% more requests per second. V8 13.6 (Node 24) does not
 * pretenure those objects in the first place; there the flag changes nothing.
 *
 * V8 reads the flag at every collection, so setting it after start is effective; code compiled
 * before it may still leave allocation mementos, which are then ignored. Returns whether the runtime
 * took the flag (false where it refuses runtime flags).
 */
export function tuneGarbageCollector(): boolean {
  return setV8Flag(NO_PRETENURING_FLAG);
}
