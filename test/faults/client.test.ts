import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  clearCooldowns,
  expectStillServing,
  type FaultRig,
  PAIRS,
  POST_ROUTES,
  startFaultRig,
  viaAlias,
} from './helpers';
import { answerStream, pause, type SeenRequest } from './upstream';
import { type ClientFormat, clientRequest, expectErrorShape, type UpstreamFormat } from './wire';

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({
    top: 'max_body_mb: 1\ntimeouts: {connect: 1s, first_byte: 10s, idle: 10s, total: 60s}',
  });
});

afterEach(() => clearCooldowns(rig.engine));

afterAll(async () => {
  await rig.stop();
});

/** The fault upstream's request that carries `marker` in its body. */
async function requestCarrying(upstream: UpstreamFormat, marker: string): Promise<SeenRequest> {
  for (let i = 0; i < 100; i++) {
    const found = rig.faults[upstream].requests.find((r) => JSON.stringify(r.body).includes(marker));
    if (found) return found;
    await pause(10);
  }
  throw new Error(`no upstream request carries ${marker}`);
}

describe('a client that goes away', () => {
  it('disconnecting mid-stream aborts the upstream request within a second, for every pair', async () => {
    for (const [format, fault] of Object.entries(rig.faults)) {
      fault.use(async ({ res, write, signal }) => {
        const piece = (i: number) => answerStream(format as UpstreamFormat, [`piece ${i} `]).body[0] ?? '';
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const event of answerStream(format as UpstreamFormat, []).head) await write(event);
        for (let i = 0; !signal.aborted; i++) {
          await write(piece(i));
          await pause(25, signal);
        }
      });
    }
    const gaps = await Promise.all(
      PAIRS.map(async ([client, upstream]) => {
        const marker = `leave-${client}-${upstream}`;
        const request = clientRequest(client, viaAlias(upstream, client), marker, true);
        const controller = new AbortController();
        const res = await fetch(`${rig.engine.url}${request.path}`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
        });
        const reader = res.body?.getReader();
        const first = await reader?.read();
        expect(new TextDecoder().decode(first?.value)).toContain('piece 0');
        await pause(60);
        const leftAt = Date.now();
        controller.abort();
        const seen = await requestCarrying(upstream, marker);
        for (let i = 0; i < 150 && seen.abortedAt === undefined; i++) await pause(10);
        expect(seen.abortedAt, `${client} → ${upstream} upstream still open`).toBeDefined();
        return (seen.abortedAt ?? Number.POSITIVE_INFINITY) - leftAt;
      }),
    );
    for (const gap of gaps) expect(gap).toBeLessThan(1_000);
    await expectStillServing(rig.engine);
  });

  it('disconnecting while the upstream has not answered yet aborts it too', async () => {
    for (const fault of Object.values(rig.faults)) fault.use(({ signal }) => pause(10_000, signal));
    const gaps = await Promise.all(
      PAIRS.map(async ([client, upstream]) => {
        const marker = `wait-${client}-${upstream}`;
        const request = clientRequest(client, viaAlias(upstream, client), marker, false);
        const controller = new AbortController();
        const pending = fetch(`${rig.engine.url}${request.path}`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
        }).catch((error: Error) => error);
        const seen = await requestCarrying(upstream, marker);
        const leftAt = Date.now();
        controller.abort();
        expect(await pending).toBeInstanceOf(Error);
        for (let i = 0; i < 150 && seen.abortedAt === undefined; i++) await pause(10);
        return (seen.abortedAt ?? Number.POSITIVE_INFINITY) - leftAt;
      }),
    );
    for (const gap of gaps) expect(gap).toBeLessThan(1_000);
    await expectStillServing(rig.engine);
  });
});

describe('bodies a client should not send', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const cases: Array<[string, string | Uint8Array<ArrayBuffer>, Record<string, string>?]> = [
    ['not JSON', 'hello there'],
    ['empty', ''],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"model"'],
    ['JSON cut short', '{"model": "ok", "messages": [{"role": "us'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0xfd, 0x7d])],
    ['nested 100,000 deep', deep],
    ['gzip that is not gzip', 'definitely not gzip', { 'content-encoding': 'gzip' }],
    ['an unknown content-encoding', '{}', { 'content-encoding': 'snappy' }],
  ];

  it.each(cases)(
    '%s: 4xx in the error shape of the API called, nothing sent upstream',
    async (_name, body, extra) => {
      const upstreamBefore = rig.healthy.requests.length;
      for (const route of POST_ROUTES) {
        const res = await fetch(`${rig.engine.url}${route.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...extra },
          body,
        });
        const text = await res.text();
        expect(res.status, `${route.path}: ${text}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${route.path}: ${text}`).toBeLessThan(500);
        expectErrorShape(route.format, text);
      }
      expect(rig.healthy.requests.length).toBe(upstreamBefore);
      await expectStillServing(rig.engine);
    },
  );

  it('fields of the wrong type: 400 in the API’s shape (a same-format relay lets the upstream say it)', async () => {
    const body = '{"model":"ok","messages":5,"input":5,"contents":5,"max_tokens":"x"}';
    const upstreamBefore = rig.healthy.requests.length;
    for (const route of POST_ROUTES) {
      const res = await fetch(`${rig.engine.url}${route.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body,
      });
      const text = await res.text();
      expect(res.status, `${route.path}: ${text}`).toBe(400);
      expect(expectErrorShape(route.format, text)).toMatch(/messages|input|contents/);
    }
    // Only the Chat route shares the upstream's format (alias ok is an OpenAI provider): its body is
    // relayed as-is, so the upstream's own 400 is what the client reads. Every other route refused locally.
    expect(rig.healthy.requests.length - upstreamBefore).toBe(1);
    await expectStillServing(rig.engine);
  });

  it('a tool schema nested 25,000 deep: 400 in the client’s shape, nothing sent, no account cooled down', async () => {
    // Translating or serializing it overflows the stack. That once passed for a network failure:
    // a 502 naming the upstream, and the account cooled down for every other client.
    const schema = `${'{"type":"object","properties":{"a":'.repeat(25_000)}{"type":"string"}${'}}'.repeat(25_000)}`;
    const tools: Record<ClientFormat, unknown> = {
      'openai-chat': [{ type: 'function', function: { name: 'f', parameters: '<schema>' } }],
      'openai-responses': [{ type: 'function', name: 'f', parameters: '<schema>' }],
      claude: [{ name: 'f', input_schema: '<schema>' }],
      gemini: [{ functionDeclarations: [{ name: 'f', parameters: '<schema>' }] }],
    };
    const { book } = rig.engine.services.engine.routing;
    for (const [client, upstream] of PAIRS.filter(([client, upstream]) => client !== upstream)) {
      for (const stream of [false, true]) {
        const request = clientRequest(client, viaAlias(upstream, client, stream), 'deep', stream);
        const body = JSON.stringify({ ...JSON.parse(request.body), tools: tools[client] });
        const sentBefore = rig.faults[upstream].requests.length;
        const res = await fetch(`${rig.engine.url}${request.path}`, {
          method: 'POST',
          headers: request.headers,
          body: body.replace('"<schema>"', schema),
        });
        const text = await res.text();
        const pair = `${client} → ${upstream}${stream ? ', streamed' : ''}`;
        expect(res.status, `${pair}: ${text.slice(0, 300)}`).toBe(400);
        expect(expectErrorShape(client, text), pair).toContain('nested too deeply');
        expect(rig.faults[upstream].requests.length, pair).toBe(sentBefore);
        expect(book.list(), pair).toEqual([]);
      }
    }
    await expectStillServing(rig.engine);
  });

  it('tool schemas whose $refs would expand exponentially for Gemini: a prompt 400, nothing sent, still serving', async () => {
    // Forty definitions, each naming the next twice: 2^40 nodes once inlined, from about 3 KB.
    const defs: Record<string, unknown> = { D40: { type: 'string' } };
    for (let i = 0; i < 40; i++)
      defs[`D${i}`] = {
        type: 'object',
        properties: { a: { $ref: `#/$defs/D${i + 1}` }, b: { $ref: `#/$defs/D${i + 1}` } },
      };
    const schema = { type: 'object', properties: { x: { $ref: '#/$defs/D0' } }, $defs: defs };
    const tools: Record<Exclude<ClientFormat, 'gemini'>, unknown> = {
      'openai-chat': [{ type: 'function', function: { name: 'f', parameters: schema } }],
      'openai-responses': [{ type: 'function', name: 'f', parameters: schema }],
      claude: [{ name: 'f', input_schema: schema }],
    };
    for (const client of ['openai-chat', 'openai-responses', 'claude'] as const) {
      const request = clientRequest(client, viaAlias('gemini', client), 'laughs', false);
      const sentBefore = rig.faults.gemini.requests.length;
      const started = Date.now();
      const res = await fetch(`${rig.engine.url}${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: JSON.stringify({ ...JSON.parse(request.body), tools: tools[client] }),
      });
      const text = await res.text();
      expect(res.status, `${client}: ${text.slice(0, 300)}`).toBe(400);
      expect(expectErrorShape(client, text)).toContain('$ref');
      expect(Date.now() - started, client).toBeLessThan(5_000);
      expect(rig.faults.gemini.requests.length, client).toBe(sentBefore);
    }
    expect(rig.engine.services.engine.routing.book.list()).toEqual([]);
    await expectStillServing(rig.engine);
  });

  it('a body that starts with a UTF-8 byte order mark is served, and goes upstream without it', async () => {
    const body = `\ufeff${JSON.stringify({ model: 'ok', messages: [{ role: 'user', content: 'marked' }] })}`;
    const res = await fetch(`${rig.engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(
      ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
        .content,
    ).toContain('marked');
    const sent = rig.healthy.requests.at(-1);
    expect(sent?.rawBody.charCodeAt(0)).toBe('{'.charCodeAt(0));
  });

  it('a body over max_body_mb gets 413 in the API’s error shape, with or without a length', async () => {
    const big = JSON.stringify({ model: 'ok', messages: [{ role: 'user', content: 'x'.repeat(1_200_000) }] });
    for (const route of POST_ROUTES) {
      for (const chunked of [false, true]) {
        const body = chunked
          ? new ReadableStream({
              start(controller) {
                for (let i = 0; i < big.length; i += 64 * 1024)
                  controller.enqueue(new TextEncoder().encode(big.slice(i, i + 64 * 1024)));
                controller.close();
              },
            })
          : big;
        const res = await fetch(`${rig.engine.url}${route.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body,
          ...(chunked ? { duplex: 'half' } : {}),
        } as RequestInit);
        const text = await res.text();
        expect(res.status, `${route.path}: ${text}`).toBe(413);
        expect(expectErrorShape(route.format, text)).toContain('max_body_mb');
      }
    }
    await expectStillServing(rig.engine);
  });
});
