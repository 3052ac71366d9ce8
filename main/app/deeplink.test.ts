import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from './deeplink';

describe('parseDeepLink', () => {
  it.each([
    ['cliproxy://login/done?provider=my-claude', { kind: 'login-done', provider: 'my-claude' }],
    ['cliproxy://open/usage', { kind: 'open', page: 'usage' }],
    ['cliproxy://connect/claude-code', { kind: 'connect', tool: 'claude-code' }],
    ['cliproxy://oauth/callback?code=abc&state=xyz', { kind: 'oauth-callback', code: 'abc', state: 'xyz' }],
  ])('reads %s', (url, expected) => {
    expect(parseDeepLink(url)).toEqual(expected);
  });

  it.each([
    'https://evil.example/open/usage',
    'cliproxy://open/../../etc/passwd',
    'cliproxy://open/usage/extra',
    'cliproxy://open/admin',
    'cliproxy://connect/rm -rf',
    'cliproxy://login/done?provider=<script>',
    'cliproxy://login/done',
    'cliproxy://oauth/callback?code=abc',
    'cliproxy://user:pass@open/usage',
    'cliproxy://nothing',
    'not a url',
    `cliproxy://open/usage?${'x'.repeat(5000)}`,
    '',
  ])('ignores %s', (url) => {
    expect(parseDeepLink(url)).toBeNull();
  });

  it('finds the link among argv (second-instance and cold start)', () => {
    expect(deepLinkFromArgv(['/opt/CLIProxy++/cliproxy', '--flag', 'cliproxy://open/requests'])).toEqual({
      kind: 'open',
      page: 'requests',
    });
    expect(deepLinkFromArgv(['/opt/app', 'cliproxy://bogus'])).toBeNull();
  });
});
