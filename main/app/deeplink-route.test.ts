import { describe, expect, it } from 'vitest';
import { parseDeepLink } from './deeplink';
import { deepLinkRoute } from './deeplink-route';

const route = (url: string) => {
  const link = parseDeepLink(url);
  return link ? deepLinkRoute(link) : 'ignored';
};

describe('deepLinkRoute', () => {
  it('maps each window link to its page', () => {
    expect(route('cliproxy://open/usage')).toBe('#/usage');
    expect(route('cliproxy://login/done?provider=claude-max')).toBe('#/accounts/claude-max');
    expect(route('cliproxy://connect/claude-code')).toBe('#/connect/claude-code');
  });
  it('leaves OAuth callbacks to the auth manager and ignores unknown links', () => {
    expect(route('cliproxy://oauth/callback?code=c&state=s')).toBeNull();
    expect(route('cliproxy://open/../../etc')).toBe('ignored');
    expect(route('cliproxy://delete/everything')).toBe('ignored');
  });
});
