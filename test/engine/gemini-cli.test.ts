import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughApi, startTestEngine, type TestEngine } from '../helpers/engine';
import { withProxiedEngine } from '../helpers/forward-proxy';
import { type MockCodeAssist, startMockCodeAssist } from '../mocks/code-assist';
import { FakeBrowser } from '../oauth/browser';
import { startOAuthServer, type TestOAuthServer } from '../oauth/server';

let oauthServer: TestOAuthServer;
let upstream: MockCodeAssist;
let engine: TestEngine;

/** The engine's config; `top` adds top-level keys (proxy_url), `entry` keys of the provider. */
const configText = (top = '', entry = '') => `
management_secret: mgmt-secret-0123456789
${top}providers:
  - name: google
    type: gemini_cli
    auth_type: oauth
    endpoint: "${upstream.url}"
    oauth: {client_id: ${oauthServer.clientId}, authorize_url: "${oauthServer.authorizeUrl}", token_url: "${oauthServer.tokenUrl}", scopes: [openid, offline_access, email], redirect_uri: "http://localhost:0/callback", projects_url: "${upstream.url}/v1/projects"}
    models: [{name: gemini-2.5-pro}]
${entry}`;

beforeAll(async () => {
  oauthServer = await startOAuthServer();
  upstream = await startMockCodeAssist({ acceptToken: (token) => token.length > 20 });
  engine = await startTestEngine(configText());
  engine.services.auth.setOnboardingPollMs(20);
});

afterAll(async () => {
  await engine.stop();
  await upstream.close();
  await oauthServer.close();
});

describe('Gemini CLI (Code Assist)', () => {
  it('onboards after sign-in and keeps the assigned project', async () => {
    const state = await signInThroughApi(engine, 'mgmt-secret-0123456789', 'google', (login) =>
      new FakeBrowser('ada').run(login.url ?? '').then(() => undefined),
    );
    expect(JSON.stringify(state)).toContain('"status":"ok"');
    expect(upstream.onboarding).toEqual(['loadCodeAssist', 'onboardUser', 'onboardUser']);
    expect(state.account?.metadata).toMatchObject({ project_id: 'proj-123', tier: 'free-tier' });
  });

  it('wraps requests in the project envelope and unwraps answers, streaming included', async () => {
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'via code assist' }],
    });
    expect(reply.choices[0]?.message.content).toBe('Echo: via code assist');
    expect(upstream.requests.at(-1)?.body).toMatchObject({
      model: 'gemini-2.5-pro',
      project: 'proj-123',
      request: { contents: expect.any(Array) },
    });
    const stream = await client.chat.completions.create({
      model: 'gemini-2.5-pro',
      stream: true,
      messages: [{ role: 'user', content: 'one two three' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: one two three');
    expect(upstream.requests.at(-1)?.path).toBe('/v1internal:streamGenerateContent');
  });

  it('lists the Google Cloud projects over RPC, and the next request runs in the one picked', async () => {
    const rpc = async (method: string, input: unknown) => {
      const res = await fetch(`${engine.url}/v0/management/rpc/${method}`, {
        method: 'POST',
        headers: { authorization: 'Bearer mgmt-secret-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const id = engine.services.auth.accounts()[0]?.id ?? '';
    expect(await rpc('listAccountProjects', { id })).toEqual({
      status: 200,
      body: {
        projects: [
          { id: 'proj-123', name: 'Assigned' },
          { id: 'team-project-7', name: 'Team' },
        ],
        current: 'proj-123',
        fixedByConfig: null,
      },
    });
    expect(await rpc('setAccountProject', { id, project: 'team-project-7' })).toMatchObject({
      status: 200,
      body: { account: { id, project: 'team-project-7' } },
    });
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await client.chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'in the team project' }],
    });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ project: 'team-project-7' });
  });

  it('runs every account in the project_id the provider entry names', async () => {
    await engine.rewriteConfig(configText('', '    project_id: pinned-project\n'));
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await client.chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'in the pinned project' }],
    });
    // The account picked team-project-7 above; the entry's project_id wins over it.
    expect(upstream.requests.at(-1)?.body).toMatchObject({ project: 'pinned-project' });
    await engine.rewriteConfig(configText());
  });

  it('onboards and lists projects through proxy_url', async () => {
    await withProxiedEngine(configText, async (proxied, proxy) => {
      proxied.services.auth.setOnboardingPollMs(20);
      const state = await signInThroughApi(proxied, 'mgmt-secret-0123456789', 'google', (login) =>
        new FakeBrowser('grace').run(login.url ?? '').then(() => undefined),
      );
      expect(state.status).toBe('ok');
      const id = proxied.services.auth.accounts()[0]?.id ?? '';
      const listed = await fetch(`${proxied.url}/v0/management/rpc/listAccountProjects`, {
        method: 'POST',
        headers: { authorization: 'Bearer mgmt-secret-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
      });
      expect(listed.status).toBe(200);
      expect(proxy.paths).toEqual(
        expect.arrayContaining([
          new URL(oauthServer.tokenUrl).pathname,
          '/v1internal:loadCodeAssist',
          '/v1/projects',
        ]),
      );
    });
  });
});
