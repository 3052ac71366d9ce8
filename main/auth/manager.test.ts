import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startForwardProxy } from '../../test/helpers/forward-proxy';
import { FakeBrowser } from '../../test/oauth/browser';
import { startOAuthServer, type TestOAuthServer } from '../../test/oauth/server';
import { parseConfigText } from '../config/loader';
import type { ProviderConfig } from '../config/schema';
import { createLogger, Redactor } from '../log';
import { AuthManager, REFRESH_AHEAD_MS } from './manager';
import { RefreshUnavailableError } from './refresh-unavailable';
import { AccountStore } from './store';

let server: TestOAuthServer;
let dir: string;

beforeAll(async () => {
  server = await startOAuthServer();
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-manager-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function providers(tokenUrl = server.tokenUrl): ProviderConfig[] {
  const oauth = `{client_id: ${server.clientId}, authorize_url: "${server.authorizeUrl}", token_url: "${tokenUrl}", device_code_url: "${server.deviceCodeUrl}", scopes: [openid, offline_access, email], redirect_port: 0}`;
  const result = parseConfigText(`providers:
  - {name: my-claude, type: claude, auth_type: oauth, oauth: ${oauth}}
  - {name: my-copilot, type: copilot, auth_type: device_flow, oauth: ${oauth}}
  - {name: app-claude, type: claude, auth_type: oauth, oauth: {client_id: ${server.clientId}, authorize_url: "${server.authorizeUrl}", token_url: "${server.tokenUrl}", scopes: [openid, offline_access, email], redirect_uri: "cliproxy://oauth/callback"}}
`);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config.providers;
}

async function manager(now?: () => number) {
  const store = new AccountStore(join(dir, String(Math.random())));
  await store.load();
  const logger = createLogger({ redactor: new Redactor(), write: () => undefined });
  return {
    store,
    auth: new AuthManager({
      store,
      providers,
      logger,
      redirectHost: '127.0.0.1',
      deviceIntervalMs: 100,
      ...(now ? { now } : {}),
    }),
  };
}

async function waitFor<T>(read: () => T | undefined, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('AuthManager sign-in', () => {
  it('signs in through the browser flow and stores the account', async () => {
    const { auth, store } = await manager();
    const start = await auth.startLogin('my-claude');
    expect(start).toMatchObject({ kind: 'browser', url: expect.stringContaining(server.authorizeUrl) });
    await new FakeBrowser('ada').run(start.url ?? '');
    const state = await waitFor(() =>
      auth.login(start.id)?.status === 'ok' ? auth.login(start.id) : undefined,
    );
    expect(state?.account).toMatchObject({
      provider: 'my-claude',
      identity: 'ada@example.com',
      status: 'active',
    });
    expect(JSON.stringify(state)).not.toContain(store.list()[0]?.tokens.access_token);
    expect(auth.activeAccounts('my-claude')).toHaveLength(1);
  });

  it('completes a login redirected to the app scheme only with the matching state', async () => {
    const { auth } = await manager();
    const updates: unknown[] = [];
    auth.on('loginChanged', (update) => updates.push(update));
    const start = await auth.startLogin('app-claude');
    expect(new URL(start.url ?? '').searchParams.get('redirect_uri')).toBe('cliproxy://oauth/callback');
    const landed = await new FakeBrowser('grace').run(start.url ?? '');
    const callback = new URL(landed.url);
    expect(callback.protocol).toBe('cliproxy:');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-the-state');
    expect(await auth.completeAppCallback(forged.toString())).toBe(false);
    expect(auth.login(start.id)?.status).toBe('pending');
    expect(await auth.completeAppCallback(callback.toString())).toBe(true);
    const state = await waitFor(() =>
      auth.login(start.id)?.status === 'ok' ? auth.login(start.id) : undefined,
    );
    expect(state?.account).toMatchObject({ provider: 'app-claude', identity: 'grace@example.com' });
    // The outcome is pushed once (the sign-in window follows it without polling).
    expect(updates).toEqual([
      { id: start.id, provider: 'app-claude', status: 'ok', identity: 'grace@example.com' },
    ]);
    // The same callback again finds no pending login.
    expect(await auth.completeAppCallback(callback.toString())).toBe(false);
  });

  it('signs in through the device flow', async () => {
    const { auth } = await manager();
    const start = await auth.startLogin('my-copilot');
    expect(start).toMatchObject({
      kind: 'device',
      user_code: expect.any(String),
      verification_uri: expect.any(String),
    });
    await new FakeBrowser('linus', { user_code: start.user_code ?? '' }).run(start.verification_uri ?? '');
    const state = await waitFor(
      () => (auth.login(start.id)?.status === 'ok' ? auth.login(start.id) : undefined),
      15_000,
    );
    expect(state?.account?.identity).toBe('linus@example.com');
  });

  it('ends the login with an error, not an unhandled rejection, when the account cannot be saved', async () => {
    const { auth, store } = await manager();
    store.save = async () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const start = await auth.startLogin('my-claude');
    await new FakeBrowser('ada').run(start.url ?? '');
    const state = await waitFor(() =>
      auth.login(start.id)?.status === 'pending' ? undefined : auth.login(start.id),
    );
    expect(state).toEqual({ status: 'error', error: 'ENOSPC: no space left on device' });
    expect(store.list()).toEqual([]);
  });

  it('cancels a pending login and refuses unknown providers', async () => {
    const { auth } = await manager();
    const start = await auth.startLogin('my-claude');
    expect(auth.cancelLogin(start.id)).toBe(true);
    expect(auth.login(start.id)?.status).toBe('cancelled');
    await expect(auth.startLogin('nope')).rejects.toThrow('no provider named');
  });
});

describe('AuthManager refresh', () => {
  it('refreshes ahead of expiry exactly once for 20 concurrent requests', async () => {
    let now = Date.now();
    const { auth, store } = await manager(() => now);
    const start = await auth.startLogin('my-claude');
    await new FakeBrowser('bob').run(start.url ?? '');
    const account = await waitFor(() => store.list()[0]);
    const original = account.tokens.access_token;
    expect(await auth.accessToken(account.id)).toBe(original);
    now = (account.tokens.expires_at ?? 0) - REFRESH_AHEAD_MS + 1_000;
    const before = server.grants.refresh_token ?? 0;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.accessToken(account.id)));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(original);
    expect(server.grants.refresh_token).toBe(before + 1);
  });

  it('refreshes idle accounts ahead of expiry in the background pass', async () => {
    let now = Date.now();
    const { auth, store } = await manager(() => now);
    const start = await auth.startLogin('my-claude');
    await new FakeBrowser('dan').run(start.url ?? '');
    const account = await waitFor(() => store.list()[0]);
    expect(await auth.refreshDue()).toBe(0);
    now = (account.tokens.expires_at ?? 0) - 60_000;
    expect(await auth.refreshDue()).toBe(1);
    expect(store.get(account.id)?.tokens.access_token).not.toBe(account.tokens.access_token);
  });

  it('runs the background pass on its timer until stopped', async () => {
    const { auth, store } = await manager();
    const start = await auth.startLogin('my-claude');
    await new FakeBrowser('fay').run(start.url ?? '');
    const account = await waitFor(() => store.list()[0]);
    const before = server.grants.refresh_token ?? 0;
    auth.startRefreshWorker(40);
    await new Promise((r) => setTimeout(r, 150));
    expect(server.grants.refresh_token ?? 0).toBe(before); // an hour left: nothing due
    const soon = { ...account, tokens: { ...account.tokens, expires_at: Date.now() + 60_000 } };
    await store.save(soon);
    await vi.waitFor(() =>
      expect(store.get(account.id)?.tokens.access_token).not.toBe(account.tokens.access_token),
    );
    // The new token has an hour again: later passes find nothing due and ask for nothing.
    await new Promise((r) => setTimeout(r, 150));
    expect(server.grants.refresh_token).toBe(before + 1);
    auth.stopRefreshWorker();
    const refreshed = store.get(account.id) ?? soon;
    await store.save({ ...refreshed, tokens: { ...refreshed.tokens, expires_at: Date.now() + 60_000 } });
    await new Promise((r) => setTimeout(r, 150));
    expect(server.grants.refresh_token).toBe(before + 1);
  });

  it('does not bring back an account removed while its refresh was running', async () => {
    const { auth, store } = await manager();
    const start = await auth.startLogin('my-claude');
    await new FakeBrowser('erin').run(start.url ?? '');
    const account = await waitFor(() => store.list()[0]);
    // Settled into a value at once: it may reject while the remove below is still on disk.
    const refreshing = auth.refresh(account.id).then(
      () => 'refreshed',
      (error: Error) => error.message,
    );
    expect(await auth.removeAccount(account.id)).toBe(true);
    expect(await refreshing).toMatch('was removed');
    expect(store.get(account.id)).toBeUndefined();
    const again = new AccountStore(store.dir);
    await again.load();
    expect(again.list()).toEqual([]);
  });

  it('marks the account needs_login when the refresh fails, and keeps it', async () => {
    const { auth, store } = await manager();
    const start = await auth.startLogin('my-claude');
    await new FakeBrowser('carol').run(start.url ?? '');
    const account = await waitFor(() => store.list()[0]);
    await store.save({ ...account, tokens: { ...account.tokens, refresh_token: 'revoked-token' } });
    await expect(auth.refresh(account.id)).rejects.toThrow('refresh failed');
    expect(store.get(account.id)).toMatchObject({
      status: 'needs_login',
      status_reason: expect.stringContaining('invalid_grant'),
    });
    expect(auth.activeAccounts('my-claude')).toEqual([]);
  });

  it('keeps the account signed in when the token endpoint is unreachable or fails for now', async () => {
    const { auth, store } = await manager();
    const start = await auth.startLogin('my-claude');
    await new FakeBrowser('gus').run(start.url ?? '');
    const account = await waitFor(() => store.list()[0]);
    // A token endpoint that answers 503, then 429, then refuses connections (it is closed).
    const answers = [503, 429];
    const flaky = createServer((_req, res) => {
      res.writeHead(answers.shift() ?? 500, { 'content-type': 'text/html' }).end('<h1>try later</h1>');
    }).listen(0, '127.0.0.1');
    await once(flaky, 'listening');
    const tokenUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/token`;
    const logger = createLogger({ redactor: new Redactor(), write: () => undefined });
    const offline = new AuthManager({
      store,
      providers: () => providers(tokenUrl),
      logger,
      redirectHost: '127.0.0.1',
    });
    for (const attempt of ['503', '429', 'refused']) {
      if (attempt === 'refused') await new Promise((r) => flaky.close(r));
      const failure = await offline.refresh(account.id).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure, attempt).toBeInstanceOf(RefreshUnavailableError);
      expect(failure?.message, attempt).toContain('could not refresh the sign-in for now');
      expect(store.get(account.id)?.status ?? 'active', attempt).toBe('active');
      expect(
        offline.activeAccounts('my-claude').map((a) => a.id),
        attempt,
      ).toEqual([account.id]);
    }
    // Back online, the same refresh token still works.
    const before = server.grants.refresh_token ?? 0;
    await auth.refresh(account.id);
    expect(server.grants.refresh_token).toBe(before + 1);
  });
});

describe('AuthManager behind an egress proxy', () => {
  it('sends the code exchange, device polling and refresh through proxy_url', async () => {
    const proxy = await startForwardProxy();
    try {
      const store = new AccountStore(join(dir, String(Math.random())));
      await store.load();
      const auth = new AuthManager({
        store,
        providers,
        proxyUrl: () => proxy.url,
        logger: createLogger({ redactor: new Redactor(), write: () => undefined }),
        redirectHost: '127.0.0.1',
        deviceIntervalMs: 100,
      });
      const tokenHost = new URL(server.tokenUrl).host;

      const browser = await auth.startLogin('my-claude');
      await new FakeBrowser('ada').run(browser.url ?? '');
      const account = await waitFor(() =>
        auth.login(browser.id)?.status === 'ok' ? store.list()[0] : undefined,
      );
      expect(proxy.seen.filter((host) => host === tokenHost).length).toBe(1);

      const device = await auth.startLogin('my-copilot');
      await new FakeBrowser('linus', { user_code: device.user_code ?? '' }).run(
        device.verification_uri ?? '',
      );
      await waitFor(() => (auth.login(device.id)?.status === 'ok' ? true : undefined), 15_000);
      const afterDevice = proxy.seen.filter((host) => host === tokenHost).length;
      expect(afterDevice).toBeGreaterThanOrEqual(3); // the device code, then at least one poll

      await auth.refresh(account.id);
      expect(proxy.seen.filter((host) => host === tokenHost).length).toBe(afterDevice + 1);
    } finally {
      proxy.close();
    }
  });
});
