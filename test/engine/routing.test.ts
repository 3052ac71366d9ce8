import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { startForwardProxy } from '../helpers/forward-proxy';
import { startSocks5Proxy } from '../helpers/socks5-proxy';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

const mocks: Record<'a' | 'b' | 'c', MockUpstream> = {} as Record<'a' | 'b' | 'c', MockUpstream>;
let engine: TestEngine | undefined;

beforeAll(async () => {
  for (const name of ['a', 'b', 'c'] as const)
    mocks[name] = await startMockOpenAI({ apiKey: `sk-up-${name}` });
});

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  for (const mock of Object.values(mocks)) mock.requests.length = 0;
});

afterAll(async () => {
  for (const mock of Object.values(mocks)) await mock.close();
});

function provider(name: 'a' | 'b' | 'c', extra = '') {
  return `  - {name: ${name}, type: openai, api_key: sk-up-${name}, endpoint: "${mocks[name].url}", models: [{name: up-${name}, alias: m}]${extra}}\n`;
}

async function start(top: string, ...providers: string[]) {
  engine = await startTestEngine(`${top}\nproviders:\n${providers.join('')}`);
  return engine;
}

async function chat(
  e: TestEngine,
  init: { headers?: Record<string, string>; stream?: boolean; model?: string } = {},
) {
  const res = await fetch(`${e.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify({
      model: init.model ?? 'm',
      stream: init.stream ?? false,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  return { res, text: await res.text() };
}

/** Runs a provider's health check on demand (the engines here all use this management secret). */
const checkHealth = (e: TestEngine, name: string) =>
  fetch(`${e.url}/v0/management/providers/${name}/health`, {
    method: 'POST',
    headers: { authorization: 'Bearer mgmt-secret-0123456789' },
  }).then((r) => r.json() as Promise<{ ok: boolean; status: number | null; error?: string }>);

const servedBy = () => (['a', 'b', 'c'] as const).map((n) => mocks[n].requests.length);

const rateLimited = (retryAfter?: string) => ({
  status: 429,
  ...(retryAfter ? { headers: { 'retry-after': retryAfter } } : {}),
  body: { error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' } },
});

describe('failover and the cooldown book', () => {
  it('moves to the next account on a 429 and cools the first for Retry-After', async () => {
    const e = await start('routing_strategy: fill_first', provider('a'), provider('b'));
    mocks.a.enqueue(rateLimited('120'));
    const { res, text } = await chat(e);
    expect(res.status).toBe(200);
    expect(text).toContain('Echo: hi');
    expect(servedBy()).toEqual([1, 1, 0]);
    const [cooldown] = e.services.engine.status().cooldowns;
    expect(cooldown).toMatchObject({ account: 'a', model: 'up-a', status: 429 });
    expect((cooldown?.until ?? 0) - Date.now()).toBeGreaterThan(115_000);
    // a is skipped while it cools down
    await chat(e);
    expect(servedBy()).toEqual([1, 2, 0]);
  });

  it('uses the provider cooldown when a 429 has no Retry-After, and fails over on 5xx', async () => {
    const e = await start(
      'routing_strategy: fill_first\nrequest_retry: 2',
      provider('a', ', cooldown: 45s'),
      provider('b'),
      provider('c'),
    );
    mocks.a.enqueue(rateLimited());
    mocks.b.enqueue({ status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } });
    const { res } = await chat(e);
    expect(res.status).toBe(200);
    expect(servedBy()).toEqual([1, 1, 1]);
    const left = Object.fromEntries(
      e.services.engine.status().cooldowns.map((c) => [c.account, c.until - Date.now()]),
    );
    expect(left.a).toBeGreaterThan(40_000);
    expect(left.a).toBeLessThanOrEqual(45_000);
    expect(left.b).toBeGreaterThan(55_000);
    expect(left.b).toBeLessThanOrEqual(60_000);
  });

  it('answers 429 naming every cooling account when all are cooling down', async () => {
    const e = await start('routing_strategy: fill_first\nrequest_retry: 1', provider('a'), provider('b'));
    mocks.a.enqueue(rateLimited('30'));
    mocks.b.enqueue(rateLimited('90'));
    const first = await chat(e);
    expect(first.res.status).toBe(429);
    const second = await chat(e);
    expect(second.res.status).toBe(429);
    expect(Number(second.res.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(Number(second.res.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    const body = JSON.parse(second.text) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('all_accounts_cooling_down');
    expect(body.error.message).toMatch(/a \(rate_limit, until .*\), b \(rate_limit/);
  });

  it('"Try now" (endCooldowns) lets a cooling account serve the next request, its backoff kept', async () => {
    const e = await start(
      'routing_strategy: fill_first\nrequest_retry: 0\nmanagement_secret: mgmt-secret-0123456789',
      provider('a'),
    );
    mocks.a.enqueue(rateLimited(String(6 * 86_400)));
    expect((await chat(e)).res.status).toBe(429);
    expect((await chat(e)).res.status).toBe(429); // cooling: not even tried
    expect(servedBy()).toEqual([1, 0, 0]);
    const endCooldowns = (account: string) =>
      fetch(`${e.url}/v0/management/rpc/endCooldowns`, {
        method: 'POST',
        headers: { authorization: 'Bearer mgmt-secret-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ account }),
      }).then((r) => r.json() as Promise<{ ended: number }>);
    expect(await endCooldowns('a')).toEqual({ ended: 1 });
    expect(e.services.engine.status().cooldowns).toEqual([]);
    const { res, text } = await chat(e);
    expect(res.status, text).toBe(200);
    expect(servedBy()).toEqual([2, 0, 0]);
    expect(await endCooldowns('a')).toEqual({ ended: 0 });
    expect(await endCooldowns('nobody')).toEqual({ ended: 0 });
  });

  it('a key fixed in the config ends that provider’s cooldowns at once; an unrelated edit does not', async () => {
    const wrongKey = `  - {name: a, type: openai, api_key: sk-typo, endpoint: "${mocks.a.url}", models: [{name: up-a, alias: m}]}\n`;
    const e = await start('routing_strategy: fill_first\nrequest_retry: 1', wrongKey, provider('b'));
    mocks.b.enqueue(rateLimited('600'));
    const refused = await chat(e);
    expect(refused.res.status, refused.text).toBe(429);
    const cooling = () =>
      e.services.engine
        .status()
        .cooldowns.map((c) => c.account)
        .sort();
    expect(cooling()).toEqual(['a', 'b']); // a: the wrong key (401, 30 min), b: Retry-After 600
    await e.rewriteConfig(
      `routing_strategy: fill_first\nrequest_retry: 0\nproviders:\n${provider('a')}${provider('b')}`,
    );
    expect(cooling()).toEqual(['b']);
    const { res, text } = await chat(e);
    expect(res.status, text).toBe(200);
    expect(text).toContain('Echo: hi');
  });

  it('stops after request_retry extra attempts', async () => {
    const e = await start('routing_strategy: fill_first\nrequest_retry: 0', provider('a'), provider('b'));
    mocks.a.enqueue({ status: 500, body: { error: { message: 'boom' } } });
    const { res } = await chat(e);
    expect(res.status).toBe(500);
    expect(servedBy()).toEqual([1, 0, 0]);
  });

  it('does not fail over on a client error (400)', async () => {
    const e = await start('routing_strategy: fill_first', provider('a'), provider('b'));
    mocks.a.enqueue({
      status: 400,
      body: { error: { message: 'bad thing', type: 'invalid_request_error' } },
    });
    const { res, text } = await chat(e);
    expect(res.status).toBe(400);
    expect(text).toContain('bad thing');
    expect(servedBy()).toEqual([1, 0, 0]);
    expect(e.services.engine.status().cooldowns).toEqual([]);
  });

  it('clears a cooldown when the account succeeds again', async () => {
    const e = await start('routing_strategy: fill_first\nrequest_retry: 0', provider('a'));
    mocks.a.enqueue({ status: 500, body: { error: { message: 'boom' } } });
    await chat(e);
    expect(e.services.engine.status().cooldowns).toHaveLength(1);
    e.services.engine.routing.book.recordSuccess('a', 'up-a');
    expect((await chat(e)).res.status).toBe(200);
    expect(e.services.engine.status().cooldowns).toEqual([]);
  });

  it('times out a stalled upstream and fails over', async () => {
    const e = await start(
      'routing_strategy: fill_first\ntimeouts: {first_byte: 300ms}',
      provider('a'),
      provider('b'),
    );
    mocks.a.enqueue({ status: 200, hangMs: 5_000, body: {} });
    const started = Date.now();
    const { res } = await chat(e);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(e.services.engine.status().cooldowns[0]).toMatchObject({
      account: 'a',
      reason: expect.stringContaining('timeout'),
    });
  });

  it('ends a stream broken mid-way with an error event, never a clean finish', async () => {
    const e = await start('', provider('a'));
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'up-a', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    mocks.a.enqueue({ status: 200, sse: [chunk('a'), chunk('b'), chunk('c')], resetAfterChunks: 2 });
    const { res, text } = await chat(e, { stream: true });
    expect(res.status).toBe(200);
    expect(text).toContain('"content":"b"');
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
  });
});

describe('order', () => {
  it('round_robin alternates within a priority; higher priority goes first', async () => {
    const e = await start('routing_strategy: round_robin', provider('a'), provider('b'));
    for (let i = 0; i < 4; i++) await chat(e);
    expect(servedBy()).toEqual([2, 2, 0]);
    await e.stop();
    for (const mock of Object.values(mocks)) mock.requests.length = 0;
    engine = await startTestEngine(
      `routing_strategy: round_robin\nproviders:\n${provider('a')}${provider('b')}${provider('c', ', priority: 5')}`,
    );
    for (let i = 0; i < 3; i++) await chat(engine);
    expect(servedBy()).toEqual([0, 0, 3]);
  });

  it('fill_first stays on the first account', async () => {
    const e = await start('routing_strategy: fill_first', provider('a'), provider('b'));
    for (let i = 0; i < 3; i++) await chat(e);
    expect(servedBy()).toEqual([3, 0, 0]);
  });
});

describe('rate limits', () => {
  it('spills over to the next provider when the token bucket would wait too long', async () => {
    const e = await start(
      'routing_strategy: fill_first',
      provider('a', ', rate_limit: 0.2, rate_limit_burst: 1'),
      provider('b'),
    );
    await chat(e);
    await chat(e);
    expect(servedBy()).toEqual([1, 1, 0]);
  });

  it('waits briefly for a token when the wait is short', async () => {
    const e = await start(
      'routing_strategy: fill_first',
      provider('a', ', rate_limit: 4, rate_limit_burst: 1'),
      provider('b'),
    );
    const started = Date.now();
    await chat(e);
    await chat(e);
    expect(servedBy()).toEqual([2, 0, 0]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  /** Providers a (model m) and b (model other), a limited key and a free one. */
  const startWithKeys = (limited: string) =>
    start(
      `api_keys: [${limited}, {key: sk-free-key, name: free}]`,
      provider('a'),
      `  - {name: b, type: openai, api_key: sk-up-b, endpoint: "${mocks.b.url}", models: [{name: other}]}\n`,
    );

  it('enforces per-key rpm and model allow-lists', async () => {
    const e = await startWithKeys('{key: sk-limited-key, name: limited, rpm: 2, models: ["m"]}');
    const limited = { authorization: 'Bearer sk-limited-key' };
    expect((await chat(e, { headers: limited, model: 'other' })).res.status).toBe(403);
    expect((await chat(e, { headers: limited })).res.status).toBe(200);
    const third = await chat(e, { headers: limited });
    expect(third.res.status).toBe(429);
    expect(third.text).toContain('rpm');
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await chat(e, { headers: { authorization: 'Bearer sk-free-key' }, model: 'other' })).res.status,
    ).toBe(200);
  });

  it('lists to each key only the models it may use', async () => {
    const e = await startWithKeys('{key: sk-limited-key, name: limited, models: ["m"]}');
    const limited = { authorization: 'Bearer sk-limited-key' };
    // Each key's model list shows what it may use, in OpenAI's and Gemini's shapes alike.
    const ids = async (path: string, headers: Record<string, string>) => {
      const body = (await (await fetch(`${e.url}${path}`, { headers })).json()) as {
        data?: Array<{ id: string }>;
        models?: Array<{ baseModelId: string }>;
      };
      return (body.data?.map((m) => m.id) ?? body.models?.map((m) => m.baseModelId) ?? []).sort();
    };
    expect(await ids('/v1/models', { authorization: 'Bearer sk-free-key' })).toEqual(['m', 'other']);
    expect(await ids('/v1/models', limited)).toEqual(['m']);
    expect(await ids('/v1beta/models', { 'x-goog-api-key': 'sk-limited-key' })).toEqual(['m']);
    expect((await fetch(`${e.url}/v1/models/other`, { headers: limited })).status).toBe(404);
    expect((await fetch(`${e.url}/v1/models/m`, { headers: limited })).status).toBe(200);
  });
});

describe('health', () => {
  it('checks a provider on demand and after its cooldown ends', async () => {
    const e = await start(
      'management_secret: mgmt-secret-0123456789\nrouting_strategy: fill_first',
      provider('a'),
      '  - {name: down, type: openai, api_key: k, endpoint: "http://127.0.0.1:9", models: [{name: x}]}\n',
    );
    expect(await checkHealth(e, 'a')).toMatchObject({ ok: true, status: 200 });
    expect(await checkHealth(e, 'down')).toMatchObject({
      ok: false,
      status: null,
      error: expect.stringContaining('ECONNREFUSED'),
    });
    expect(mocks.a.requests.at(-1)?.path).toBe('/v1/models');

    mocks.a.enqueue(rateLimited('1'));
    mocks.a.requests.length = 0;
    await chat(e, { model: 'm' });
    const deadline = Date.now() + 3_000;
    while (!mocks.a.requests.some((r) => r.path === '/v1/models') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(mocks.a.requests.map((r) => r.path)).toContain('/v1/models');
    expect(e.services.engine.status().health.a?.ok).toBe(true);
  });
});

describe('health_url', () => {
  it('checks the URL the entry names instead of the models list', async () => {
    const e = await start(
      'management_secret: mgmt-secret-0123456789',
      provider('a', `, health_url: "${mocks.a.url}/custom/ping"`),
    );
    await checkHealth(e, 'a');
    expect(mocks.a.requests.map((r) => r.path)).toEqual(['/custom/ping']);
  });
});

describe('egress proxy', () => {
  it('sends upstream traffic through proxy_url', async () => {
    const proxy = await startForwardProxy();
    try {
      const e = await start(`proxy_url: "${proxy.url}"`, provider('a'));
      const { res, text } = await chat(e);
      expect(res.status).toBe(200);
      expect(text).toContain('Echo: hi');
      expect(proxy.seen).toEqual([new URL(mocks.a.url).host]);
    } finally {
      proxy.close();
    }
  });

  it('sends a provider through its own proxy_url, with its extra headers, and others straight out', async () => {
    const proxy = await startForwardProxy();
    try {
      const e = await start(
        'management_secret: mgmt-secret-0123456789',
        provider('a', `, proxy_url: "${proxy.url}", headers: {X-Title: cliproxy-test}`),
        `  - {name: c, type: openai, api_key: sk-up-c, endpoint: "${mocks.c.url}", models: [{name: up-c, alias: other}]}\n`,
      );
      expect((await chat(e)).res.status).toBe(200);
      expect(proxy.seen).toEqual([new URL(mocks.a.url).host]);
      expect(mocks.a.requests[0]?.headers['x-title']).toBe('cliproxy-test');

      expect((await chat(e, { model: 'other' })).res.status).toBe(200);
      expect(mocks.c.requests).toHaveLength(1);
      expect(proxy.seen).toHaveLength(1);

      expect(await checkHealth(e, 'a')).toMatchObject({ ok: true, status: 200 });
      expect(proxy.paths).toEqual(['/v1/chat/completions', '/v1/models']);
    } finally {
      proxy.close();
    }
  });

  it('sends upstream traffic through a socks5 proxy_url, streams included', async () => {
    const proxy = await startSocks5Proxy();
    try {
      const e = await start(`proxy_url: "${proxy.url}"`, provider('a'));
      const { res, text } = await chat(e);
      expect(res.status).toBe(200);
      expect(text).toContain('Echo: hi');
      const streamed = await chat(e, { stream: true });
      expect(streamed.res.status).toBe(200);
      expect(streamed.text).toContain('data: [DONE]');
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(new Set(proxy.seen)).toEqual(new Set([new URL(mocks.a.url).host]));
    } finally {
      proxy.close();
    }
  });
});

describe('idle timeout mid-stream', () => {
  it('ends the client stream with an error event and cools the account', async () => {
    const e = await start('timeouts: {idle: 300ms}', provider('a'));
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'up-a', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    mocks.a.enqueue({ status: 200, sse: [chunk('one '), chunk('two')], delayMs: 2_000 });
    const started = Date.now();
    const { text } = await chat(e, { stream: true });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(text).toContain('"content":"one "');
    expect(text).toContain('idle');
    expect(text).not.toContain('[DONE]');
    expect(e.services.engine.status().cooldowns[0]).toMatchObject({
      account: 'a',
      reason: expect.stringContaining('timeout'),
    });
  });
});

describe('quotas', () => {
  it('keeps the windows an upstream’s rate-limit headers reveal, per account', async () => {
    const e = await start('routing_strategy: fill_first', provider('a'));
    mocks.a.enqueue({
      status: 200,
      headers: {
        'x-ratelimit-limit-requests': '100',
        'x-ratelimit-remaining-requests': '75',
        'x-ratelimit-reset-requests': '30s',
      },
      body: {
        id: 'c',
        object: 'chat.completion',
        created: 1,
        model: 'up-a',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      },
    });
    await chat(e);
    const [quota] = e.services.engine.status().quotas;
    expect(quota).toMatchObject({
      provider: 'a',
      account: 'a',
      windows: [{ name: 'requests', limit: 100, remaining: 75, used_percent: 25 }],
    });
    expect((quota?.windows[0]?.resets_at ?? 0) - Date.now()).toBeGreaterThan(25_000);
  });
});
