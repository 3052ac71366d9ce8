// undici costs about 10 MB of resident memory the moment it loads (its HTTP parser is WebAssembly).
// An engine that has not called any upstream yet (a tray app idling since login) should not pay it,
// so every upstream call loads it through here, once, on first use.
type Undici = typeof import('undici');

let loaded: Undici | undefined;
let loading: Promise<Undici> | undefined;

/** undici, loaded on the first call; later calls get the same module without waiting a turn. */
export function loadUndici(): Promise<Undici> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('undici').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

/** undici if it is already loaded (the hot path uses it directly, no promise per request). */
export function undiciIfLoaded(): Undici | undefined {
  return loaded;
}

/** undici's `request`, loaded on first use (sign-in and token exchanges outside the engine's pools). */
export async function request(...args: Parameters<Undici['request']>): ReturnType<Undici['request']> {
  return (await loadUndici()).request(...args);
}
