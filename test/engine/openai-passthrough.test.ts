import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

let upstream: MockUpstream;
let engine: TestEngine;
let client: OpenAI;

const config = (extra = '') => `
api_keys: [sk-local-1, {key: sk-local-2, name: ci}]
max_body_mb: 1
providers:
  - name: my-openai
    type: openai
    api_key: sk-upstream
    endpoint: ${upstream.url}
    models:
      - {name: gpt-4o-mini, alias: mini}
      - {name: gpt-4o}
${extra}`;

beforeAll(async () => {
  upstream = await startMockOpenAI({ apiKey: 'sk-upstream' });
  engine = await startTestEngine(config());
  client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'sk-local-1', maxRetries: 0 });
});

afterAll(async () => {
  await engine.stop();
  await upstream.close();
});

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('OpenAI passthrough with the official SDK', () => {
  it('answers a chat completion through an alias, with the upstream key and model', async () => {
    const reply = await client.chat.completions.create({
      model: 'mini',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(reply.choices[0]?.message.content).toBe('Echo: hello');
    expect(reply.usage?.total_tokens).toBeGreaterThan(0);
    const seen = upstream.requests.at(-1);
    expect(seen?.path).toBe('/v1/chat/completions');
    expect((seen?.body as { model?: string } | undefined)?.model).toBe('gpt-4o-mini');
    expect(seen?.headers.authorization).toBe('Bearer sk-upstream');
  });

  it('relays a prompt of hundreds of KB intact (read into one buffer as it arrives)', async () => {
    // Multi-byte characters straddle the chunk boundaries the body arrives in.
    const content = `start ${'ünïcødé 😀 '.repeat(40_000)} end`;
    expect(Buffer.byteLength(content)).toBeGreaterThan(600_000);
    const reply = await client.chat.completions.create({
      model: 'mini',
      messages: [{ role: 'user', content }],
    });
    expect(reply.choices[0]?.message.content).toBe(`Echo: ${content}`);
    const seen = upstream.requests.at(-1)?.body as { messages: { content: string }[] };
    expect(seen.messages[0]?.content).toBe(content);
  });

  it('streams chunk by chunk, with the usage chunk when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'mini',
      messages: [{ role: 'user', content: 'one two three four' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Echo: one two three four');
    expect(chunks).toBeGreaterThan(4);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('relays streamed tool-call deltas that reassemble into the call', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'weather in paris?' }],
      tools: [weather],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('lists the served models by client-visible name', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(['gpt-4o', 'mini']);
  });
});

describe('local routes', () => {
  it('counts tokens locally for Anthropic and Gemini clients and says it is an estimate', async () => {
    const before = upstream.requests.length;
    const anthropic = new Anthropic({ baseURL: engine.url, apiKey: 'sk-local-1', maxRetries: 0 });
    const { data, response } = await anthropic.messages
      .countTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count these few words please' }] })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-cliproxy-token-count')).toBe('estimate');
    const gemini = await fetch(`${engine.url}/v1beta/models/gpt-4o:countTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'sk-local-1' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'count these few words please' }] }],
      }),
    });
    expect(gemini.headers.get('x-cliproxy-token-count')).toBe('estimate');
    expect(((await gemini.json()) as { totalTokens: number }).totalTokens).toBe(data.input_tokens);
    expect(upstream.requests.length).toBe(before);
  });

  it("accepts Claude Code's telemetry batch and drops it", async () => {
    const before = upstream.requests.length;
    const res = await fetch(`${engine.url}/api/event_logging/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ event_name: 'tengu_startup' }] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(upstream.requests.length).toBe(before);
  });
});

describe('client keys', () => {
  it('refuses a missing or wrong key with 401 in the OpenAI shape', async () => {
    const anonymous = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('refuses a wrong key in the shape of the API the caller speaks', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${engine.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'wrong', authorization: 'Bearer wrong' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const messages = [{ role: 'user', content: 'hi' }];
    expect(await post('/v1/messages', { model: 'gpt-4o', max_tokens: 8, messages })).toEqual({
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error', message: expect.any(String) } },
    });
    expect(await post('/v1/responses', { model: 'gpt-4o', input: 'hi' })).toMatchObject({
      status: 401,
      body: { error: { type: 'authentication_error', code: 'invalid_api_key' } },
    });
    expect(
      await post('/v1beta/models/gpt-4o:generateContent', {
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      }),
    ).toMatchObject({ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } });
    const anthropic = new Anthropic({ baseURL: engine.url, apiKey: 'wrong', maxRetries: 0 });
    await expect(
      anthropic.messages.create({
        model: 'gpt-4o',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('accepts the key from x-api-key, x-goog-api-key and ?key=', async () => {
    const inits: RequestInit[] = [
      { headers: { 'x-api-key': 'sk-local-2' } },
      { headers: { 'x-goog-api-key': 'sk-local-2' } },
    ];
    for (const init of inits) {
      expect((await fetch(`${engine.url}/v1/models`, init)).status).toBe(200);
    }
    expect((await fetch(`${engine.url}/v1/models?key=sk-local-1`)).status).toBe(200);
  });
});

describe('the direct path and the Express path', () => {
  // Inbound API calls with a plain body skip Express (main/engine/app.ts); anything else takes the
  // Express route. Both must give the same answer and apply the same checks.
  const body = JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'same' }] });
  const send = (path: string, init: RequestInit & { duplex?: 'half' } = {}) =>
    fetch(`${engine.url}${path}`, {
      method: 'POST',
      body,
      ...init,
      headers: { authorization: 'Bearer sk-local-1', 'content-type': 'application/json', ...init.headers },
    } as RequestInit);

  it('answers alike with a length, chunked, gzip-compressed, a query string or a trailing slash', async () => {
    const chunked = () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body.slice(0, 10)));
          controller.enqueue(new TextEncoder().encode(body.slice(10)));
          controller.close();
        },
      });
    const answers = [
      await send('/v1/chat/completions'),
      await send('/v1/chat/completions', { body: chunked(), duplex: 'half' }),
      await send('/v1/chat/completions', { body: gzipSync(body), headers: { 'content-encoding': 'gzip' } }),
      await send('/v1/chat/completions?trace=1'),
      await send('/v1/chat/completions/'),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const reply = (await res.json()) as { choices: { message: { content: string } }[] };
      expect(reply.choices[0]?.message.content).toBe('Echo: same');
    }
  });

  it('checks the client key and the Host on the direct path', async () => {
    const noKey = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${engine.url}/v1/chat/completions`,
        {
          method: 'POST',
          headers: {
            host: 'evil.example',
            authorization: 'Bearer sk-local-1',
            'content-length': body.length,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer).toBe(403);
  });
});

describe('bad input and upstream errors', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-local-1', 'content-type': 'application/json', ...headers },
      body,
    });

  it('400 on malformed JSON', async () => {
    const res = await post('{"model": "mini",');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('not valid JSON');
  });

  it('400 on a missing model', async () => {
    const res = await post('{"messages": []}');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { param: 'model', type: 'invalid_request_error' } });
  });

  it('413 on a body over max_body_mb', async () => {
    const res = await post(
      JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'x'.repeat(1_200_000) }] }),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('1 MB');
  });

  it('a base URL without /v1 gets a 404 that names the path meant and the fix', async () => {
    const misconfigured = new OpenAI({ apiKey: 'unused', baseURL: engine.url, maxRetries: 0 });
    await expect(
      misconfigured.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(
        'the API is at /v1/chat/completions; add /v1 to the end of the client’s base URL',
      ),
    });
  });

  it('404 model_not_found naming the model', async () => {
    await expect(
      client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
      message: expect.stringContaining('gpt-9'),
    });
  });

  it('keeps the upstream status, message and Retry-After', async () => {
    upstream.enqueue({
      status: 429,
      headers: { 'retry-after': '17' },
      body: {
        error: {
          message: 'Rate limit reached for gpt-4o',
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
        },
      },
    });
    const res = await post(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('17');
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'Rate limit reached for gpt-4o',
    );
    engine.services.engine.routing.book.recordSuccess('my-openai', 'gpt-4o');
  });
});

describe('hot reload', () => {
  it('serves a model added to the file, and keeps the last good config on a broken file', async () => {
    await engine.rewriteConfig(
      config().replace('      - {name: gpt-4o}', '      - {name: gpt-4o}\n      - {name: o3}'),
    );
    expect((await client.models.list()).data.map((m) => m.id)).toContain('o3');

    await engine.rewriteConfig('providers: [\n');
    const issues = engine.services.engine.status().configIssues;
    expect(issues[0]?.line).toBeGreaterThan(0);
    const reply = await client.chat.completions.create({
      model: 'o3',
      messages: [{ role: 'user', content: 'still' }],
    });
    expect(reply.choices[0]?.message.content).toBe('Echo: still');

    await engine.rewriteConfig(config());
    expect(engine.services.engine.status().configIssues).toEqual([]);
  });
});

describe('client disconnect', () => {
  it('aborts the upstream request at once', async () => {
    const sse = Array.from(
      { length: 50 },
      (_, i) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }] })}\n\n`,
    );
    upstream.enqueue({ status: 200, sse, delayMs: 100 });
    const controller = new AbortController();
    const res = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-local-1', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'long' }] }),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    await reader?.read();
    const abortedBefore = upstream.aborted;
    controller.abort();
    const deadline = Date.now() + 1_000;
    while (upstream.aborted === abortedBefore && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(upstream.aborted).toBe(abortedBefore + 1);
  });
});

describe('routes off the fast path, loaded with the first request that needs them', () => {
  it('answers every one of many concurrent first requests while Express loads', async () => {
    const fresh = await startTestEngine(config());
    try {
      const auth = { authorization: 'Bearer sk-local-1' };
      const chunkedChat = () =>
        fetch(`${fresh.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: new Blob([
            JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] }),
          ]).stream(),
          duplex: 'half',
        } as RequestInit);
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          i % 3 === 0
            ? fetch(`${fresh.url}/healthz`)
            : i % 3 === 1
              ? fetch(`${fresh.url}/v1/models`, { headers: auth })
              : chunkedChat(),
        ),
      );
      const bodies = await Promise.all(answers.map((answer) => answer.text()));
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      bodies.forEach((body, i) => {
        if (i % 3 === 0) expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
        else if (i % 3 === 1) expect(body).toContain('"mini"');
        else expect(JSON.parse(body).choices[0].message.content).toBe('Echo: hi');
      });
    } finally {
      await fresh.stop();
    }
  });
});

describe('rate-limit headers of an API key', () => {
  it('become quota windows in the status, pushed to listeners within about a second', async () => {
    // Its own engine: no timer left by the tests above may push a status meanwhile.
    const own = await startTestEngine(config());
    const ownClient = new OpenAI({ baseURL: `${own.url}/v1`, apiKey: 'sk-local-1', maxRetries: 0 });
    const pushed: Array<{ quotas: Array<{ account: string; windows: Array<{ name: string }> }> }> = [];
    const listener = (status: (typeof pushed)[number]) => pushed.push(status);
    own.services.engine.on('stateChanged', listener);
    try {
      upstream.enqueue({
        status: 200,
        headers: {
          'x-ratelimit-limit-requests': '100',
          'x-ratelimit-remaining-requests': '40',
          'x-ratelimit-reset-requests': '20s',
        },
        body: {
          id: 'chatcmpl-q',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        },
      });
      await ownClient.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'q' }] });
      expect(pushed).toEqual([]);
      await expect
        .poll(() => pushed.at(-1)?.quotas.find((q) => q.account === 'my-openai')?.windows.length, {
          timeout: 3_000,
        })
        .toBeGreaterThan(0);
      expect(pushed).toHaveLength(1);
    } finally {
      own.services.engine.off('stateChanged', listener);
      await own.stop();
    }
  });
});
