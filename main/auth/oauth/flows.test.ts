import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBrowser } from '../../../test/oauth/browser';
import { startOAuthServer, type TestOAuthServer } from '../../../test/oauth/server';
import { DeviceLoginError, startDeviceLogin } from './device-login';
import { startBrowserLogin } from './pkce-login';
import { refreshTokens } from './refresh';

let server: TestOAuthServer;
const scopes = ['openid', 'offline_access', 'email'];

beforeAll(async () => {
  server = await startOAuthServer({ slowDownOnSecondPoll: true });
});
afterAll(async () => {
  await server.close();
});

const endpoints = () => ({
  issuer: server.issuer,
  authorizeUrl: server.authorizeUrl,
  tokenUrl: server.tokenUrl,
  deviceCodeUrl: server.deviceCodeUrl,
});

describe('authorization code + PKCE with a loopback callback', () => {
  it('signs in through the browser and closes the listener', async () => {
    const login = await startBrowserLogin({
      endpoints: endpoints(),
      client: { clientId: server.clientId, scopes },
      provider: 'my-claude',
      redirectPort: 0,
      redirectPath: '/callback',
      redirectHost: '127.0.0.1',
    });
    const url = new URL(login.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const page = await new FakeBrowser('ada').run(login.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('cliproxy://login/done?provider=my-claude');
    const tokens = await login.result;
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.claims?.email).toBe('ada@example.com');
    expect(tokens.expires_at).toBeGreaterThan(Date.now());
    await expect(fetch(login.redirectUri)).rejects.toThrow();
  });

  it('refuses a callback whose state does not match', async () => {
    const login = await startBrowserLogin({
      endpoints: endpoints(),
      client: { clientId: server.clientId, scopes },
      provider: 'p',
      redirectPort: 0,
      redirectPath: '/callback',
      redirectHost: '127.0.0.1',
    });
    const forged = await fetch(
      `${login.redirectUri}?code=abc&state=forged&iss=${encodeURIComponent(server.issuer)}`,
    );
    expect(forged.status).toBe(400);
    await expect(login.result).rejects.toThrow(/state/);
  });

  it('the server refuses a code redeemed with the wrong verifier', async () => {
    const as = {
      issuer: server.issuer,
      authorization_endpoint: server.authorizeUrl,
      token_endpoint: server.tokenUrl,
    };
    const client = { client_id: server.clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const redirectUri = 'http://127.0.0.1:9/callback';
    const url = new URL(server.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: server.clientId,
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's1',
    }).toString();
    const browser = new FakeBrowser('eve');
    await browser.run(url.toString()).catch(() => undefined);
    const callback = new URL(browser.visited.find((u) => u.startsWith(redirectUri)) ?? '');
    const params = oauth.validateAuthResponse(as, client, callback, 's1');
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri,
      oauth.generateRandomCodeVerifier(),
      {
        [oauth.allowInsecureRequests]: true,
      },
    );
    await expect(oauth.processAuthorizationCodeResponse(as, client, response)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});

describe('device authorization (RFC 8628)', () => {
  it('polls through authorization_pending and slow_down until approved', async () => {
    const seen: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).endsWith('/token')) {
        const body = (await res.clone().json()) as { error?: string };
        seen.push(body.error ?? 'ok');
      }
      return res;
    };
    const login = await startDeviceLogin({
      endpoints: endpoints(),
      client: { clientId: server.clientId, scopes },
      customFetch: recordingFetch,
      intervalMs: 50,
      slowDownStepMs: 100,
    });
    expect(login.userCode).toMatch(/\w/);
    expect(login.expiresAt).toBeGreaterThan(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 400));
    await new FakeBrowser('grace', { user_code: login.userCode }).run(
      login.verificationUriComplete ?? login.verificationUri,
    );
    const tokens = await login.result;
    expect(tokens.claims?.email).toBe('grace@example.com');
    expect(seen).toContain('authorization_pending');
    expect(seen).toContain('slow_down');
    expect(seen.at(-1)).toBe('ok');
  });

  it('reports an expired code', async () => {
    const short = await startOAuthServer({ deviceCodeTtl: 1 });
    try {
      const login = await startDeviceLogin({
        endpoints: { issuer: short.issuer, tokenUrl: short.tokenUrl, deviceCodeUrl: short.deviceCodeUrl },
        client: { clientId: short.clientId, scopes },
        intervalMs: 300,
      });
      await expect(login.result).rejects.toMatchObject({ reason: 'expired' });
    } finally {
      await short.close();
    }
  });

  it('can be cancelled', async () => {
    const login = await startDeviceLogin({
      endpoints: endpoints(),
      client: { clientId: server.clientId, scopes },
      intervalMs: 50,
    });
    login.cancel();
    await expect(login.result).rejects.toBeInstanceOf(DeviceLoginError);
  });
});

describe('refresh', () => {
  it('exchanges a refresh token for a new access token', async () => {
    const login = await startDeviceLogin({
      endpoints: endpoints(),
      client: { clientId: server.clientId, scopes },
      intervalMs: 50,
    });
    await new FakeBrowser('hopper', { user_code: login.userCode }).run(
      login.verificationUriComplete ?? login.verificationUri,
    );
    const first = await login.result;
    const before = server.grants.refresh_token ?? 0;
    const refreshed = await refreshTokens(
      endpoints(),
      { clientId: server.clientId, scopes },
      first.refresh_token ?? '',
    );
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(server.grants.refresh_token).toBe(before + 1);
    await expect(
      refreshTokens(endpoints(), { clientId: server.clientId, scopes }, 'not-a-refresh-token'),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
