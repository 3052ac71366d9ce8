import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughApi, startTestEngine, type TestEngine } from '../helpers/engine';
import { withProxiedEngine } from '../helpers/forward-proxy';
import { type MockKiro, startMockKiro } from '../mocks/kiro';

let kiro: MockKiro;
let engine: TestEngine;
const secret = 'mgmt-secret-0123456789';
const mgmt = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };

/** The engine's config; `top` adds top-level keys (proxy_url). */
const configText = (top = '') => `
management_secret: mgmt-secret-0123456789
${top}providers:
  - name: kiro
    type: kiro
    auth_type: device_flow
    endpoint: "${kiro.url}"
    oauth: {token_url: "${kiro.url}/token"}
    models: [{name: claude-sonnet-4.5, alias: kiro-sonnet}]
`;

beforeAll(async () => {
  kiro = await startMockKiro();
  engine = await startTestEngine(configText());
});

afterAll(async () => {
  await engine.stop();
  await kiro.close();
});

describe('Kiro (AWS CodeWhisperer)', () => {
  it('signs in with an AWS Builder ID device code', async () => {
    const state = await signInThroughApi(engine, secret, 'kiro', async (login) => {
      expect(login.kind).toBe('device');
      kiro.approve(login.user_code ?? '');
    });
    expect(state.status).toBe('ok');
  }, 20_000);

  it('cancels a pending sign-in over the management API', async () => {
    const state = await signInThroughApi(engine, secret, 'kiro', async (login) => {
      const cancelled = await fetch(`${engine.url}/v0/management/logins/${login.id}`, {
        method: 'DELETE',
        headers: mgmt,
      });
      expect(cancelled.status).toBe(204);
    });
    expect(state.status).toBe('cancelled');
    const unknown = await fetch(`${engine.url}/v0/management/logins/no-such-login`, {
      method: 'DELETE',
      headers: mgmt,
    });
    expect(unknown.status).toBe(404);
  });

  it('answers an OpenAI client, streamed and not, from event-stream frames', async () => {
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: 'kiro-sonnet',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello kiro' },
      ],
    });
    expect(reply.choices[0]?.message.content).toBe('Echo: hello kiro');
    const sent = kiro.requests.at(-1);
    expect(sent?.headers['content-type']).toBe('application/x-amz-json-1.0');
    const body = sent?.body as
      | { conversationState: { currentMessage: { userInputMessage: { content: string; modelId: string } } } }
      | undefined;
    expect(body?.conversationState.currentMessage.userInputMessage).toMatchObject({
      modelId: 'claude-sonnet-4.5',
      content: 'Be brief.\nhello kiro',
    });
    const stream = await client.chat.completions.create({
      model: 'kiro-sonnet',
      stream: true,
      messages: [{ role: 'user', content: 'a b c' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: a b c');
  });

  it('runs a tool round trip for an Anthropic client', async () => {
    const client = new Anthropic({ baseURL: engine.url, apiKey: 'x', maxRetries: 0 });
    const tools = [
      {
        name: 'get_weather',
        input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
      },
    ];
    const first = await client.messages.create({
      model: 'kiro-sonnet',
      max_tokens: 100,
      tools,
      messages: [{ role: 'user', content: 'weather?' }],
    });
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call?.type === 'tool_use' && call.input).toEqual({ city: 'Paris' });
    expect(first.stop_reason).toBe('tool_use');
    const second = await client.messages.create({
      model: 'kiro-sonnet',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: call?.type === 'tool_use' ? call.id : '', content: 'windy' },
          ],
        },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'Tool result: windy' });
  });

  it("reports a prompt Kiro finds too long as a 400 that says so, in the client's shape", async () => {
    const anthropic = new Anthropic({ baseURL: engine.url, apiKey: 'x', maxRetries: 0 });
    const refused = await anthropic.messages
      .create({
        model: 'kiro-sonnet',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'word '.repeat(12_000) }],
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    const { error } = (refused as InstanceType<typeof Anthropic.BadRequestError>).error as {
      error: { type: string; message: string };
    };
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toContain('The prompt is too long for this Kiro model');
  });

  it('surfaces a corrupted frame (CRC mismatch) as an error, never a clean answer', async () => {
    const res = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'kiro-sonnet',
        stream: true,
        messages: [{ role: 'user', content: 'please corrupt it' }],
      }),
    });
    const text = await res.text();
    expect(text).toMatch(/"error":\{"message":"Kiro stream error: a corrupted event-stream frame/);
    expect(text).not.toContain('[DONE]');
  });

  it('imports a token file Kiro wrote', async () => {
    const view = await engine.services.auth.importKiroToken(
      'kiro',
      JSON.stringify({
        accessToken: 'aoa-imported',
        refreshToken: 'r',
        expiresAt: '2099-01-01T00:00:00.000Z',
        provider: 'Github',
        profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/X',
      }),
    );
    expect(view).toMatchObject({
      identity: 'Kiro (Github)',
      metadata: { profile_arn: 'arn:aws:codewhisperer:us-east-1:1:profile/X' },
    });
    expect(JSON.stringify(view)).not.toContain('aoa-imported');
  });

  it('signs in with AWS through proxy_url, and refreshes a revoked token through it', async () => {
    await withProxiedEngine(configText, async (proxied, proxy) => {
      const state = await signInThroughApi(
        proxied,
        secret,
        'kiro',
        async (login) => kiro.approve(login.user_code ?? ''),
        15_000,
      );
      expect(state.status).toBe('ok');
      expect(proxy.paths).toEqual(
        expect.arrayContaining(['/client/register', '/device_authorization', '/token']),
      );

      const tokenCalls = () => proxy.paths.filter((path) => path === '/token').length;
      const before = tokenCalls();
      kiro.revokeAccessTokens();
      const client = new OpenAI({ baseURL: `${proxied.url}/v1`, apiKey: 'x', maxRetries: 0 });
      const reply = await client.chat.completions.create({
        model: 'kiro-sonnet',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(reply.choices[0]?.message.content).toBeTruthy();
      expect(tokenCalls()).toBe(before + 1);
      expect(proxy.paths).toContain('/generateAssistantResponse');
    });
  }, 20_000);
});
