// With its extension: the GC tests run this module under plain Node (type stripping), unbundled.
import { setV8Flag } from './v8-flag.ts';

export const NO_MAGLEV_FLAG = '--no-maglev';

/**
 * Turns off V8's Maglev tier for this process. Hot functions then go from the baseline compiler
 * straight to TurboFan, as they do in Node 22 (whose V8 ships with Maglev off).
 *
 * Node 24 (V8 13.6, and Electron 40 and later) turns Maglev on. Maglev compiles on V8's helper
 * threads, and what those jobs allocate stays in glibc's thread arenas. Measured on Node 24.21
 * (docs/PERFORMANCE.md, fix 38): RSS 60 s after the 100k soak +50% of idle with Maglev, +38% with
 * it off (medians of five and 22 engines), the memory outside glibc's main heap 38-51 MB against
 * mostly 27-28; CPU per chat request no higher (side by side 148 -> 99 µs). On runtimes without
 * Maglev the flag changes nothing.
 *
 * V8 reads the flag whenever it picks a tier for a hot function, so setting it after start works
 * for everything compiled after. Returns whether the runtime took the flag.
 */
export function turnOffMaglev(): boolean {
  return setV8Flag(NO_MAGLEV_FLAG);
}
