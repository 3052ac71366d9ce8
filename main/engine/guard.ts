import { isLoopbackHost } from '../config/schema';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostname(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  return value.split(':')[0] ?? value;
}

/**
 * DNS-rebinding guard: a web page can make the browser resolve evil.example to 127.0.0.1, but the
 * browser still sends `Host: evil.example`. On a loopback bind only loopback names (and names the
 * user listed) are accepted. A missing Host (HTTP/1.0 tools) carries no such risk.
 */
export function hostAllowed(
  hostHeader: string | undefined,
  boundHost: string,
  allowedHosts: readonly string[],
): boolean {
  if (!isLoopbackHost(boundHost)) return true;
  if (!hostHeader) return true;
  const name = hostname(hostHeader);
  return LOOPBACK_NAMES.has(name) || allowedHosts.some((h) => h.toLowerCase() === name);
}

/**
 * Browsers send Origin on cross-site requests; tools and SDKs do not. A page the user merely visits
 * must not be able to use the proxy, so only listed origins (and the engine's own, for its UI) pass.
 */
export function originAllowed(
  origin: string | undefined,
  allowedOrigins: readonly string[],
  ownOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  const normalized = origin.toLowerCase().replace(/\/+$/, '');
  return [...allowedOrigins, ...ownOrigins].some(
    (allowed) => allowed.toLowerCase().replace(/\/+$/, '') === normalized,
  );
}
