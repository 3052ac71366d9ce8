import type { DeepLink } from './deeplink';

/** Where a deep link takes the window (the renderer's `#/<page>/<param>` route); null = not a window action. */
export function deepLinkRoute(link: DeepLink): string | null {
  switch (link.kind) {
    case 'open':
      return `#/${link.page}`;
    case 'login-done':
      return `#/accounts/${encodeURIComponent(link.provider)}`;
    case 'connect':
      return `#/connect/${encodeURIComponent(link.tool)}`;
    case 'oauth-callback':
      return null;
  }
}
