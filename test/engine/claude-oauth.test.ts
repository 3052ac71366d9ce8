import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInThroughApi, startTestEngine, type TestEngine } from '../helpers/engine';
import { withProxiedEngine } from '../helpers/forward-proxy';
import { startMockAnthropic } from '../mocks/anthropic';
import type { MockUpstream } from '../mocks/common';
import { FakeBrowser } from '../oauth/browser';
import { startOAuthServer, type TestOAuthServer } from '../oauth/server';

let oauthServer: TestOAuthServer;
let upstream: MockUpstream;
let engine: TestEngine;

/** The engine's config; `top` adds top-level keys (proxy_url). */
const configText = (top = '') => `
management_secret: mgmt-secret-0123456789
${top}providers:
  - name: claude-max
    type: claude
    auth_type: oauth
    endpoint: "${upstream.url}"
    oauth: {quota_url: "${upstream.url}/api/oauth/usage", client_id: ${oauthServer.clientId}, authorize_url: "${oauthServer.authorizeUrl}", token_url: "${oauthServer.tokenUrl}", scopes: [openid, offline_access, email], redirect_port: 0}
    models: [{name: claude-sonnet-4-5}]
`;

beforeAll(async () => {
  oauthServer = await startOAuthServer();
  upstream = await startMockAnthropic({ apiKey: 'unused', oauthToken: (token) => token.length > 20 });
  engine = await startTestEngine(configText());
});

afterAll(async () => {
  await engine.stop();
  await upstream.close();
  await oauthServer.close();
});

describe('Claude Code subscription (OAuth)', () => {
  it('serves Claude clients with the account’s bearer token and the OAuth beta flag', async () => {
    const state = await signInThroughApi(engine, 'mgmt-secret-0123456789', 'claude-max', (login) =>
      new FakeBrowser('ada').run(login.url ?? '').then(() => undefined),
    );
    expect(state.status).toBe('ok');
    const client = new Anthropic({
      baseURL: engine.url,
      apiKey: 'local',
      maxRetries: 0,
      defaultHeaders: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' },
    });
    const reply = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(reply.content[0]).toMatchObject({ type: 'text', text: 'Echo: hello' });
    const seen = upstream.requests.at(-1);
    expect(seen?.headers.authorization).toMatch(/^Bearer .{20,}/);
    expect(seen?.headers['x-api-key']).toBeUndefined();
    expect(String(seen?.headers['anthropic-beta']).split(',')).toEqual([
      'interleaved-thinking-2025-05-14',
      'oauth-2025-04-20',
    ]);
  });

  it('reads the subscription’s quota windows from its usage endpoint', async () => {
    const res = await fetch(`${engine.url}/v0/management/quotas/refresh`, {
      method: 'POST',
      headers: { authorization: 'Bearer mgmt-secret-0123456789' },
    });
    const { quotas } = (await res.json()) as { quotas: Array<{ provider: string; windows: unknown[] }> };
    expect(quotas).toEqual([
      expect.objectContaining({
        provider: 'claude-max',
        windows: [
          { name: '5h', used_percent: 25, resets_at: Date.parse('2030-01-01T05:00:00Z') },
          { name: '7d', used_percent: 7.5, resets_at: Date.parse('2030-01-06T00:00:00Z') },
        ],
      }),
    ]);
  });

  it('reads the quota again about a second after the subscription answers 429', async () => {
    const usageReads = () => upstream.requests.filter((r) => r.path === '/api/oauth/usage').length;
    const before = usageReads();
    upstream.enqueue({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limited' } },
    });
    const anthropic = new Anthropic({ baseURL: engine.url, apiKey: 'x', maxRetries: 0 });
    await expect(
      anthropic.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    await vi.waitFor(() => expect(usageReads()).toBe(before + 1), { timeout: 4_000, interval: 50 });
  });

  it('signs in, serves and reads quotas through proxy_url', async () => {
    await withProxiedEngine(configText, async (proxied, proxy) => {
      const state = await signInThroughApi(proxied, 'mgmt-secret-0123456789', 'claude-max', (login) =>
        new FakeBrowser('bea').run(login.url ?? '').then(() => undefined),
      );
      expect(state.status).toBe('ok');
      await fetch(`${proxied.url}/v0/management/quotas/refresh`, {
        method: 'POST',
        headers: { authorization: 'Bearer mgmt-secret-0123456789' },
      });
      expect(proxy.paths).toEqual(
        expect.arrayContaining([new URL(oauthServer.tokenUrl).pathname, '/api/oauth/usage']),
      );
    });
  });
});
