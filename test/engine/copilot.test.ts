import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughApi, startTestEngine, type TestEngine } from '../helpers/engine';
import { withProxiedEngine } from '../helpers/forward-proxy';
import { type MockGitHub, startMockGitHub } from '../mocks/github';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

let copilotApi: MockUpstream;
let github: MockGitHub;
let engine: TestEngine;
const mgmt = { authorization: 'Bearer mgmt-secret-0123456789', 'content-type': 'application/json' };

/** The engine's config; `top` adds top-level keys (proxy_url). */
const configText = (top = '') => `
management_secret: mgmt-secret-0123456789
${top}providers:
  - name: copilot
    type: copilot
    auth_type: device_flow
    oauth:
      device_code_url: "${github.url}/login/device/code"
      token_url: "${github.url}/login/oauth/access_token"
      token_exchange_url: "${github.url}/copilot_internal/v2/token"
      user_url: "${github.url}/user"
      quota_url: "${github.url}/copilot_internal/user"
`;

beforeAll(async () => {
  copilotApi = await startMockOpenAI({ acceptBearer: (token) => token.startsWith('tid=') });
  github = await startMockGitHub({ copilotApi: copilotApi.url });
  engine = await startTestEngine(configText());
});

afterAll(async () => {
  await engine.stop();
  await github.close();
  await copilotApi.close();
});

const chat = (messages: Array<Record<string, unknown>>) =>
  fetch(`${engine.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages }),
  });

describe('GitHub Copilot', () => {
  it('signs in with GitHub’s device flow (errors answered with HTTP 200) and names the user', async () => {
    const state = await signInThroughApi(
      engine,
      'mgmt-secret-0123456789',
      'copilot',
      async (login) => {
        expect(login).toMatchObject({ kind: 'device', verification_uri: 'https://github.com/login/device' });
        github.approve(login.user_code ?? '');
      },
      25_000,
    );
    expect(state).toMatchObject({ status: 'ok', account: { identity: 'octocat' } });
  }, 30_000);

  it('serves the models Copilot lists for the account, refreshed after sign-in', async () => {
    let ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids = (
        (await (await fetch(`${engine.url}/v1/models`)).json()) as { data: Array<{ id: string }> }
      ).data.map((m) => m.id);
      if (ids.includes('gpt-4o-mini')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ids.sort()).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(copilotApi.requests.some((r) => r.path === '/models')).toBe(true);
  });

  it('exchanges the GitHub token once and sends the editor headers and initiator', async () => {
    const first = await chat([{ role: 'user', content: 'hi' }]);
    expect(first.status).toBe(200);
    const second = await chat([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
    ]);
    expect(second.status).toBe(200);
    expect(github.exchanges).toBe(1);
    const [a, b] = copilotApi.requests.slice(-2);
    expect(a?.path).toBe('/chat/completions');
    expect(a?.headers).toMatchObject({
      'editor-version': expect.stringMatching(/^vscode\//),
      'editor-plugin-version': expect.stringMatching(/^copilot-chat\//),
      'copilot-integration-id': 'vscode-chat',
      'openai-intent': 'conversation-panel',
      'x-initiator': 'user',
      authorization: expect.stringMatching(/^Bearer tid=/),
    });
    expect(a?.headers['x-request-id']).toBeTruthy();
    expect(b?.headers['x-initiator']).toBe('agent');
  });

  it('keeps the Copilot token out of the account file', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { dirname, join } = await import('node:path');
    const authDir = join(dirname(engine.configFile), 'auths');
    const [file] = await readdir(authDir);
    const text = await readFile(join(authDir, file ?? ''), 'utf8');
    expect(text).toContain('gho_');
    expect(text).not.toContain('tid=');
  });

  it('reads the premium-request quota from the GitHub user endpoint', async () => {
    const res = await fetch(`${engine.url}/v0/management/quotas/refresh`, { method: 'POST', headers: mgmt });
    const { quotas } = (await res.json()) as { quotas: Array<{ provider: string; windows: unknown[] }> };
    expect(quotas).toEqual([
      expect.objectContaining({
        provider: 'copilot',
        windows: [
          {
            name: 'premium_interactions',
            limit: 300,
            remaining: 240,
            used_percent: 20,
            resets_at: Date.parse('2030-02-01'),
          },
        ],
      }),
    ]);
  });

  it('signs in, names the user and exchanges its token through proxy_url', async () => {
    await withProxiedEngine(configText, async (proxied, proxy) => {
      const state = await signInThroughApi(
        proxied,
        'mgmt-secret-0123456789',
        'copilot',
        async (login) => github.approve(login.user_code ?? ''),
        25_000,
      );
      expect(state).toMatchObject({ status: 'ok', account: { identity: 'octocat' } });
      const res = await fetch(`${proxied.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'via the proxy' }] }),
      });
      expect(res.status).toBe(200);
      expect(proxy.paths).toEqual(
        expect.arrayContaining([
          '/login/device/code',
          '/login/oauth/access_token',
          '/user',
          '/copilot_internal/v2/token',
          '/chat/completions',
        ]),
      );

      // The models list, asked for by hand on the management API, goes through the proxy too.
      const before = proxy.paths.filter((path) => path === '/models').length;
      const refreshed = await fetch(`${proxied.url}/v0/management/providers/copilot/models/refresh`, {
        method: 'POST',
        headers: { authorization: 'Bearer mgmt-secret-0123456789' },
      });
      expect(refreshed.status).toBe(200);
      expect(await refreshed.json()).toMatchObject({
        models: expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']),
      });
      expect(proxy.paths.filter((path) => path === '/models').length).toBe(before + 1);
    });
  }, 30_000);
});
