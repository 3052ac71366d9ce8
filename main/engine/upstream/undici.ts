// undici costs memory the moment it loads: an engine that has not called any upstream yet (a tray
// app idling since login) should not pay it, so every upstream call loads it through here, once,
// on first use.
import type { Agent } from 'undici';
import { lazy } from '../../lazy';

/** The whole module: egress proxies (ProxyAgent, Socks5ProxyAgent), fetch and request. */
export const undici = lazy(() => import('undici'));

/**
 * Only the Agent, all that direct upstream calls (the proxied traffic) use. undici's index loads
 * fetch, WebSocket, caches and mocks beside it: 27 MB resident (17 private) against 15 (6.5) for
 * the Agent alone, measured in a bare Node. The same class as the index's `Agent` (one CommonJS
 * module), which `undici.test.ts` checks, so an undici upgrade that moves it fails a test.
 */
export const undiciAgentOnly = lazy(
  async (): Promise<{ Agent: typeof Agent }> => ({
    Agent: (await import('undici/lib/dispatcher/agent.js')).default,
  }),
);
