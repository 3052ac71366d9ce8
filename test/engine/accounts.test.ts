import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountStore } from '../../main/auth/store';
import { signInThroughApi, startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';
import { FakeBrowser } from '../oauth/browser';
import { startOAuthServer, type TestOAuthServer } from '../oauth/server';

let oauthServer: TestOAuthServer;
let upstream: MockUpstream;
let engine: TestEngine;
const secret = 'mgmt-secret-0123456789';
const mgmt = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };

beforeAll(async () => {
  oauthServer = await startOAuthServer();
  upstream = await startMockOpenAI({ acceptBearer: (token) => token.length > 20 });
  engine = await startTestEngine(`
management_secret: ${secret}
providers:
  - name: sub
    type: openai
    auth_type: oauth
    endpoint: "${upstream.url}"
    oauth: {client_id: ${oauthServer.clientId}, authorize_url: "${oauthServer.authorizeUrl}", token_url: "${oauthServer.tokenUrl}", scopes: [openid, offline_access, email], redirect_uri: "http://127.0.0.1:0/callback"}
    models: [{name: gpt-sub, alias: m}]
`);
});

afterAll(async () => {
  await engine.stop();
  await upstream.close();
  await oauthServer.close();
});

const chat = (target: TestEngine = engine) =>
  fetch(`${target.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  });
const models = async () =>
  ((await (await fetch(`${engine.url}/v1/models`)).json()) as { data: Array<{ id: string }> }).data.map(
    (m) => m.id,
  );

describe('signed-in accounts serve requests', () => {
  it('has nothing to serve before sign-in', async () => {
    expect(await models()).toEqual([]);
    const res = await chat();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'no_active_account' } });
  });

  it('signs in through the management API and a browser, then serves with the account token', async () => {
    const started = await fetch(`${engine.url}/v0/management/logins`, {
      method: 'POST',
      headers: mgmt,
      body: JSON.stringify({ provider: 'sub' }),
    });
    expect(started.status).toBe(201);
    const login = (await started.json()) as { id: string; kind: string; url: string };
    expect(login.kind).toBe('browser');
    await new FakeBrowser('ada').run(login.url);
    let state: { status: string; account?: { identity: string } } = { status: 'pending' };
    for (let i = 0; i < 100 && state.status === 'pending'; i++) {
      state = (await (
        await fetch(`${engine.url}/v0/management/logins/${login.id}`, { headers: mgmt })
      ).json()) as typeof state;
      if (state.status === 'pending') await new Promise((r) => setTimeout(r, 30));
    }
    expect(state).toMatchObject({ status: 'ok', account: { identity: 'ada@example.com' } });

    const list = await (await fetch(`${engine.url}/v0/management/accounts`, { headers: mgmt })).text();
    expect(list).toContain('ada@example.com');
    expect(list).not.toContain('access_token');

    expect(await models()).toEqual(['m']);
    const res = await chat();
    expect(res.status).toBe(200);
    const token = String(upstream.requests.at(-1)?.headers.authorization);
    expect(token).toMatch(/^Bearer .{20,}/);
  });

  it('refreshes the token once and retries when the upstream answers 401', async () => {
    const before = oauthServer.grants.refresh_token ?? 0;
    const oldToken = String(upstream.requests.at(-1)?.headers.authorization);
    upstream.enqueue({
      status: 401,
      body: { error: { message: 'token expired', type: 'invalid_request_error' } },
    });
    const res = await chat();
    expect(res.status).toBe(200);
    expect(oauthServer.grants.refresh_token).toBe(before + 1);
    expect(String(upstream.requests.at(-1)?.headers.authorization)).not.toBe(oldToken);
  });

  it('also refreshes on a 403, then cools the account when the new token is refused too', async () => {
    const before = oauthServer.grants.refresh_token ?? 0;
    upstream.enqueue({
      status: 403,
      body: { error: { message: 'token revoked', type: 'permission_error' } },
    });
    expect((await chat()).status).toBe(200);
    expect(oauthServer.grants.refresh_token).toBe(before + 1);

    for (let i = 0; i < 2; i++)
      upstream.enqueue({ status: 403, body: { error: { message: 'no access to this model', type: 'x' } } });
    const refused = await chat();
    expect(refused.status).toBe(403);
    expect(oauthServer.grants.refresh_token).toBe(before + 2);
    const status = (await (await fetch(`${engine.url}/v0/management/status`, { headers: mgmt })).json()) as {
      cooldowns: Array<{ status?: number }>;
    };
    expect(status.cooldowns).toEqual([expect.objectContaining({ status: 403 })]);

    // An upstream error that quotes the account's token reaches neither the client nor the log.
    const id = engine.services.auth.accounts()[0]?.id ?? '';
    const tokens = engine.services.auth.account(id)?.tokens;
    engine.services.engine.routing.book.clearAccount(id);
    for (let i = 0; i < 2; i++)
      upstream.enqueue({
        status: 400,
        body: {
          error: { message: `bad request for token ${tokens?.access_token}`, type: 'invalid_request_error' },
        },
      });
    const quoted = await (await chat()).text();
    expect(quoted).toContain('bad request for token [redacted]');
    const everything = [quoted, ...engine.logs].join('\n');
    for (const secret of [tokens?.access_token, tokens?.refresh_token]) {
      expect(secret?.length).toBeGreaterThan(10);
      expect(everything).not.toContain(secret);
    }
  });

  it('signing in again ends the account’s cooldowns: the new tokens serve at once', async () => {
    const id = engine.services.auth.accounts()[0]?.id ?? '';
    const { book } = engine.services.engine.routing;
    book.recordFailure(id, 'gpt-sub', {
      kind: 'auth',
      status: 401,
      baseCooldownMs: 1_000,
      message: 'revoked',
    });
    expect((await chat()).status).toBe(429);
    const state = await signInThroughApi(engine, secret, 'sub', async (login) => {
      await new FakeBrowser('ada').run(login.url ?? '');
    });
    expect(state).toMatchObject({ status: 'ok', account: { id } });
    expect(engine.services.engine.status().cooldowns).toEqual([]);
    const sent = upstream.requests.length;
    expect((await chat()).status).not.toBe(429);
    expect(upstream.requests.length).toBe(sent + 1); // the account was tried again
  });

  it('stops serving when the account is removed', async () => {
    const { items } = (await (
      await fetch(`${engine.url}/v0/management/accounts`, { headers: mgmt })
    ).json()) as { items: Array<{ id: string }> };
    const removed = await fetch(`${engine.url}/v0/management/accounts/${items[0]?.id}`, {
      method: 'DELETE',
      headers: mgmt,
    });
    expect(removed.status).toBe(204);
    expect(await models()).toEqual([]);
  });
});

describe('a signed-in account whose token endpoint cannot be reached', () => {
  it('stays signed in: the request gets a 502 and the account a one-minute cooldown, not a new sign-in', async () => {
    const tokens = await startOAuthServer();
    const up = await startMockOpenAI({ acceptBearer: (token) => token.length > 20 });
    const e = await startTestEngine(`
management_secret: ${secret}
providers:
  - name: sub
    type: openai
    auth_type: oauth
    endpoint: "${up.url}"
    oauth: {client_id: ${tokens.clientId}, authorize_url: "${tokens.authorizeUrl}", token_url: "${tokens.tokenUrl}", scopes: [openid, offline_access, email], redirect_uri: "http://127.0.0.1:0/callback"}
    models: [{name: gpt-sub, alias: m}]
`);
    try {
      const started = await fetch(`${e.url}/v0/management/logins`, {
        method: 'POST',
        headers: mgmt,
        body: JSON.stringify({ provider: 'sub' }),
      });
      const login = (await started.json()) as { id: string; url: string };
      await new FakeBrowser('hal').run(login.url);
      await vi.waitFor(() => expect(e.services.auth.accounts()).toHaveLength(1));
      const id = e.services.auth.accounts()[0]?.id ?? '';
      // The token expires now, and the laptop is offline: its token endpoint refuses connections.
      const store = (e.services.auth as unknown as { options: { store: AccountStore } }).options.store;
      const account = store.get(id);
      if (!account) throw new Error('no account');
      await store.save({ ...account, tokens: { ...account.tokens, expires_at: Date.now() } });
      await tokens.close();

      const res = await chat(e);
      const text = await res.text();
      expect(res.status, text).toBe(502);
      expect(text).toContain('could not refresh the sign-in for now');
      expect(e.services.auth.accounts()[0]?.status).toBe('active');
      const [cooldown] = e.services.engine.status().cooldowns;
      expect(cooldown?.reason).toMatch(/^network: /);
      expect((cooldown?.until ?? 0) - Date.now()).toBeLessThanOrEqual(60_000);

      // The same when the upstream refuses the token (401) and the refresh it calls for cannot run.
      e.services.engine.endCooldowns(id);
      const fresh = store.get(id);
      if (!fresh) throw new Error('no account');
      await store.save({ ...fresh, tokens: { ...fresh.tokens, expires_at: Date.now() + 3_600_000 } });
      up.enqueue({
        status: 401,
        body: { error: { message: 'token revoked', type: 'invalid_request_error' } },
      });
      const refused = await chat(e);
      const refusedText = await refused.text();
      expect(refused.status, refusedText).toBe(502);
      expect(refusedText).toContain('could not refresh the sign-in for now');
      expect(e.services.auth.accounts()[0]?.status).toBe('active');
      expect(e.services.engine.status().cooldowns[0]?.reason).toMatch(/^network: /);
    } finally {
      await e.stop();
      await up.close();
      await tokens.close().catch(() => undefined);
    }
  });
});
