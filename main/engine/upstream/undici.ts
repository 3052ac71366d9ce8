// undici costs about 10 MB of resident memory the moment it loads (its HTTP parser is WebAssembly).
// An engine that has not called any upstream yet (a tray app idling since login) should not pay it,
// so every upstream call loads it through here, once, on first use.
import { lazy } from '../../lazy';

export const undici = lazy(() => import('undici'));
