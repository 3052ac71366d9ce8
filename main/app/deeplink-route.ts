import type { DeepLink } from './deeplink';

/** Where a deep link takes the window (a hash route of the renderer); null = not a window action. */
export function deepLinkRoute(link: DeepLink): string | null {
  switch (link.kind) {
    case 'open':
      return `#/${link.page}`;
    case 'login-done':
      return `#/accounts?signedIn=${encodeURIComponent(link.provider)}`;
    case 'connect':
      return `#/connect?tool=${encodeURIComponent(link.tool)}`;
    case 'oauth-callback':
      return null;
  }
}
