import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../shared/records';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

let a: MockUpstream;
let b: MockUpstream;
let engine: TestEngine;
const secret = 'mgmt-secret-0123456789';
const mgmt = { authorization: `Bearer ${secret}` };
let dbPath: string;

const configText = () => `
api_keys: [{key: sk-usage-key-1, name: laptop}]
management_secret: ${secret}
routing_strategy: fill_first
usage_db: ${dbPath}
providers:
  - {name: a, type: openai, api_key: k, endpoint: "${a.url}", models: [{name: gpt-4o-mini, alias: mini}]}
  - {name: b, type: openai, api_key: k, endpoint: "${b.url}", models: [{name: gpt-4o-mini, alias: mini}]}
`;

beforeAll(async () => {
  a = await startMockOpenAI({ apiKey: 'k' });
  b = await startMockOpenAI({ apiKey: 'k' });
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  dbPath = join(await mkdtemp(join(tmpdir(), 'cliproxy-usage-e2e-')), 'usage.db');
  engine = await startTestEngine(configText());
});

afterAll(async () => {
  await engine.stop();
  await a.close();
  await b.close();
});

const client = () => new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'sk-usage-key-1', maxRetries: 0 });
const requests = async (query = '') =>
  (await (await fetch(`${engine.url}/v0/management/requests${query}`, { headers: mgmt })).json()) as {
    items: RequestRecord[];
    next?: number;
  };

describe('the request log', () => {
  it('records a success with tokens, cost, timings and the client key', async () => {
    await client().chat.completions.create({
      model: 'mini',
      messages: [{ role: 'user', content: 'count these words please' }],
    });
    const [record] = (await requests('?limit=1')).items;
    expect(record).toMatchObject({
      client_key: 'laptop',
      inbound_format: 'openai-chat',
      model: 'mini',
      resolved_model: 'gpt-4o-mini',
      provider: 'a',
      account: 'a',
      status: 200,
      stream: false,
      error: null,
    });
    expect(record?.input_tokens).toBeGreaterThan(0);
    expect(record?.output_tokens).toBe(5);
    expect(record?.cost_usd).toBeGreaterThan(0);
    expect(record?.ttft_ms).toBeGreaterThanOrEqual(0);
    expect(record?.duration_ms).toBeGreaterThanOrEqual(record?.ttft_ms ?? 0);
    expect(record?.response_bytes).toBeGreaterThan(0);
    expect(record?.request_bytes).toBeGreaterThan(0);
  });

  it('records a stream, a failover with every attempt, and a failure', async () => {
    const stream = await client().chat.completions.create({
      model: 'mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'a b' }],
    });
    for await (const _chunk of stream) {
      // drain
    }
    a.enqueue({ status: 503, body: { error: { message: 'busy' } } });
    await client().chat.completions.create({
      model: 'mini',
      messages: [{ role: 'user', content: 'failover' }],
    });
    await client()
      .chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch(() => undefined);
    const [missing, failover, streamed] = (await requests('?limit=3')).items;
    expect(streamed).toMatchObject({ stream: true, status: 200, output_tokens: 3 });
    expect(failover?.attempts.map((x) => [x.provider, x.status])).toEqual([
      ['a', 503],
      ['b', 200],
    ]);
    expect(failover).toMatchObject({ provider: 'b', status: 200 });
    expect(missing).toMatchObject({ model: 'nope', status: 404, provider: null });
    engine.services.engine.routing.book.recordSuccess('a', 'gpt-4o-mini');
  });

  it('holds 1,000 parallel requests as 1,000 rows', async () => {
    const before = (await requests('?limit=1000')).items.length;
    const c = client();
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        c.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: `n${i}` }] }),
      ),
    );
    let total = 0;
    let cursor: number | undefined;
    do {
      const page = await requests(`?limit=1000${cursor ? `&before=${cursor}` : ''}`);
      total += page.items.length;
      cursor = page.next;
    } while (cursor);
    expect(total - before).toBe(1000);
  }, 60_000);

  it('serves usage series, Prometheus counters matching the traffic, and a CSV export', async () => {
    const usage = (await (
      await fetch(`${engine.url}/v0/management/usage?bucket=day&group_by=provider&from=0`, { headers: mgmt })
    ).json()) as {
      points: Array<{ group: string; requests: number }>;
    };
    const served = usage.points.reduce((sum, p) => sum + p.requests, 0);
    const metrics = await (
      await fetch(`${engine.url}/metrics`, { headers: { authorization: 'Bearer sk-usage-key-1' } })
    ).text();
    const counted = [...metrics.matchAll(/^cliproxy_requests_total\{[^}]*\} (\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(counted).toBe(served);
    expect(metrics).toContain('cliproxy_ttft_seconds_bucket');
    expect((await fetch(`${engine.url}/metrics`)).status).toBe(401);
    const csv = await (await fetch(`${engine.url}/v0/management/requests.csv`, { headers: mgmt })).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]?.startsWith('id,started_at,client_key')).toBe(true);
    expect(lines.length - 1).toBe(served);

    // The top list agrees with the series: the same requests, ranked by provider, busiest first.
    const top = (await (
      await fetch(`${engine.url}/v0/management/usage/top?by=provider&from=0`, { headers: mgmt })
    ).json()) as { by: string; items: Array<{ group: string; requests: number; tokens: number }> };
    expect(top.by).toBe('provider');
    expect(top.items.reduce((sum, item) => sum + item.requests, 0)).toBe(served);
    const counts = top.items.map((item) => item.requests);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const byModel = (await (
      await fetch(`${engine.url}/v0/management/usage/top?by=model&from=0&limit=1`, { headers: mgmt })
    ).json()) as { items: Array<{ group: string }> };
    expect(byModel.items).toHaveLength(1);
  });

  it('pushes requests and state changes as server-sent events, and counts the last seconds', async () => {
    const controller = new AbortController();
    const res = await fetch(`${engine.url}/v0/management/events`, {
      headers: mgmt,
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    const seen: string[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        seen.push(decoder.decode(chunk.value));
        const text = seen.join('');
        if (text.includes('event: requestLogged') && text.includes('event: stateChanged')) return;
      }
    })();
    const started = Date.now();
    a.enqueue({ status: 429, body: { error: { message: 'slow' } } });
    await client()
      .chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'live' }] })
      .catch(() => undefined);
    await Promise.race([reading, new Promise((r) => setTimeout(r, 1_000))]);
    controller.abort();
    const text = seen.join('');
    expect(text).toContain('event: requestLogged');
    expect(text).toContain('event: stateChanged');
    expect(Date.now() - started).toBeLessThan(1_500);
    // The request was announced when it began, under the id its record then carried.
    const begun = /event: requestStarted\ndata: (.+)\n/.exec(text)?.[1];
    const logged = /event: requestLogged\ndata: (.+)\n/.exec(text)?.[1];
    expect(begun).toBeDefined();
    expect(JSON.parse(begun ?? '{}')).toMatchObject({
      model: 'mini',
      stream: false,
      inbound_format: 'openai-chat',
    });
    expect(JSON.parse(begun ?? '{}').id).toBe(JSON.parse(logged ?? '{}').id);
    expect(text.indexOf('event: requestStarted')).toBeLessThan(text.indexOf('event: requestLogged'));
    const live = (await (await fetch(`${engine.url}/v0/management/live`, { headers: mgmt })).json()) as {
      seconds: Array<{ requests: number }>;
    };
    expect(live.seconds).toHaveLength(120);
    expect(live.seconds.reduce((sum, s) => sum + s.requests, 0)).toBeGreaterThan(0);
    engine.services.engine.routing.book.recordSuccess('a', 'gpt-4o-mini');
    engine.services.engine.routing.book.recordSuccess('b', 'gpt-4o-mini');
  });

  it('keeps every record across a restart', async () => {
    const count = async () => {
      let total = 0;
      let cursor: number | undefined;
      do {
        const page = await requests(`?limit=1000${cursor ? `&before=${cursor}` : ''}`);
        total += page.items.length;
        cursor = page.next;
      } while (cursor);
      return total;
    };
    const before = await count();
    await engine.services.stop();
    engine = await startTestEngine(configText());
    expect(await count()).toBe(before);
  });
});

describe('usage_db: off', () => {
  it('serves and counts live, and writes nothing to disk', async () => {
    const { readdir } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    const off = await startTestEngine(configText().replace(/^usage_db: .*$/m, 'usage_db: off'));
    try {
      const answer = await new OpenAI({
        baseURL: `${off.url}/v1`,
        apiKey: 'sk-usage-key-1',
        maxRetries: 0,
      }).chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
      expect(answer.choices[0]?.message.content).toBeTruthy();
      // Counted for /metrics all the same.
      const metrics = await (
        await fetch(`${off.url}/metrics`, { headers: { authorization: 'Bearer sk-usage-key-1' } })
      ).text();
      expect(metrics).toMatch(/cliproxy_requests_total\{[^}]*\} 1/);
      expect(off.services.usage.store).toBeUndefined();
      expect(off.services.engine.status().usageLogError).toBeNull();
      const list = await fetch(`${off.url}/v0/management/requests`, { headers: mgmt });
      expect(list.status).toBe(503);
      expect(((await list.json()) as { error: { message: string } }).error.message).toContain(
        'usage_db: off',
      );
      const files = await readdir(dirname(off.configFile), { recursive: true });
      expect(files.filter((name) => /\.db(-wal|-shm)?$/.test(String(name)))).toEqual([]);
    } finally {
      await off.stop();
    }
  });
});
