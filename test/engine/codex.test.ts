import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughApi, startTestEngine, type TestEngine } from '../helpers/engine';
import { startMockCodex } from '../mocks/codex';
import type { MockUpstream } from '../mocks/common';
import { FakeBrowser } from '../oauth/browser';
import { startOAuthServer, type TestOAuthServer } from '../oauth/server';

let oauthServer: TestOAuthServer;
let upstream: MockUpstream;
let engine: TestEngine;
const mgmt = { authorization: 'Bearer mgmt-secret-0123456789', 'content-type': 'application/json' };

beforeAll(async () => {
  oauthServer = await startOAuthServer();
  upstream = await startMockCodex({ acceptToken: (token) => token.length > 20 });
  engine = await startTestEngine(`
management_secret: mgmt-secret-0123456789
providers:
  - name: chatgpt
    type: codex
    auth_type: oauth
    endpoint: "${upstream.url}/backend-api/codex"
    oauth: {client_id: ${oauthServer.clientId}, authorize_url: "${oauthServer.authorizeUrl}", token_url: "${oauthServer.tokenUrl}", scopes: [openid, offline_access, email], redirect_uri: "http://localhost:0/callback"}
    models: [{name: gpt-5-codex, alias: codex}]
`);
  const state = await signInThroughApi(engine, 'mgmt-secret-0123456789', 'chatgpt', (login) =>
    new FakeBrowser('ada').run(login.url ?? '').then(() => undefined),
  );
  if (state.status !== 'ok') throw new Error(`sign-in failed: ${JSON.stringify(state)}`);
});

afterAll(async () => {
  await engine.stop();
  await upstream.close();
  await oauthServer.close();
});

const client = () => new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });

describe('Codex (ChatGPT subscription)', () => {
  it('keeps the ChatGPT account id from the id token and sends it with the originator', async () => {
    const accounts = (await (
      await fetch(`${engine.url}/v0/management/accounts`, { headers: mgmt })
    ).json()) as {
      items: Array<{ metadata: Record<string, string> }>;
    };
    expect(accounts.items[0]?.metadata).toMatchObject({ account_id: 'acct-ada', plan: 'plus' });
    const stream = await client().responses.create({ model: 'codex', input: 'stream me', stream: true });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    expect(text).toBe('Echo: stream me');
    const seen = upstream.requests.at(-1);
    expect(seen?.path).toBe('/backend-api/codex/responses');
    expect(seen?.headers).toMatchObject({ 'chatgpt-account-id': 'acct-ada', originator: 'codex_cli_rs' });
    expect(seen?.body).toMatchObject({ model: 'gpt-5-codex', stream: true, store: false });
  });

  it('aggregates the always-streaming upstream for non-stream clients of any API', async () => {
    const reply = await client().chat.completions.create({
      model: 'codex',
      messages: [{ role: 'user', content: 'whole answer' }],
    });
    expect(reply.choices[0]?.message.content).toBe('Echo: whole answer');
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
    const response = await client().responses.create({ model: 'codex', input: 'as a response' });
    expect(response.output_text).toBe('Echo: as a response');
  });

  it('treats a stream that ends without response.completed as a failure', async () => {
    upstream.enqueue({
      status: 200,
      sse: [
        `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', sequence_number: 0, response: { id: 'r', model: 'm', status: 'in_progress', output: [] } })}\n\n`,
      ],
    });
    await expect(
      client().chat.completions.create({ model: 'codex', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('response.completed'),
    });
  });
});
