/**
 * `cliproxy://` URLs, parsed without trusting them: anything unknown or malformed is `null` (the
 * caller logs and ignores it). Pure, so it is tested without Electron.
 */
export const PAGES = [
  'dashboard',
  'providers',
  'accounts',
  'requests',
  'usage',
  'config',
  'connect',
  'settings',
] as const;
export const TOOLS = ['claude-code', 'codex', 'cursor', 'cline', 'continue', 'aider'] as const;

export type DeepLink =
  | { kind: 'login-done'; provider: string }
  | { kind: 'open'; page: (typeof PAGES)[number] }
  | { kind: 'connect'; tool: (typeof TOOLS)[number] }
  | { kind: 'oauth-callback'; code: string; state: string };

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_URL = 4096;

export function parseDeepLink(raw: string): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'cliproxy:' || url.username || url.password) return null;
  // `cliproxy://open/usage` parses with host "open" and path "/usage".
  const segments = [url.hostname, ...url.pathname.split('/')]
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  const [head, second, ...rest] = segments;
  if (head === 'login' && second === 'done' && rest.length === 0) {
    const provider = url.searchParams.get('provider') ?? '';
    return SAFE_NAME.test(provider) ? { kind: 'login-done', provider } : null;
  }
  if (head === 'open' && rest.length === 0) {
    return (PAGES as readonly string[]).includes(second ?? '')
      ? { kind: 'open', page: second as (typeof PAGES)[number] }
      : null;
  }
  if (head === 'connect' && rest.length === 0) {
    return (TOOLS as readonly string[]).includes(second ?? '')
      ? { kind: 'connect', tool: second as (typeof TOOLS)[number] }
      : null;
  }
  if (head === 'oauth' && second === 'callback' && rest.length === 0) {
    const code = url.searchParams.get('code') ?? '';
    const state = url.searchParams.get('state') ?? '';
    if (!code || !state || code.length > 2048 || state.length > 512) return null;
    return { kind: 'oauth-callback', code, state };
  }
  return null;
}

/** The deep link among a process's arguments (Windows/Linux hand them over as argv). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (arg.startsWith('cliproxy://')) {
      const link = parseDeepLink(arg);
      if (link) return link;
    }
  }
  return null;
}
