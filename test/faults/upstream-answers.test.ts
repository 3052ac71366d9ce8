import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearCooldowns, expectStillServing, type FaultRig, PAIRS, startFaultRig, viaAlias } from './helpers';
import { answer, answerStream, type FaultHandler, PROVIDER_TYPE, pause } from './upstream';
import {
  CLIENT_FORMATS,
  expectAnswer,
  expectBrokenStream,
  expectError,
  send,
  type UpstreamFormat,
} from './wire';

const PIECES = ['Hello', ' brave', ' new', ' world'];
const FULL = PIECES.join('');

let rig: FaultRig;

/** Providers of all three formats serving the alias `pool`, tried in the order openai, claude, gemini. */
function pool(faults: FaultRig['faults']): string {
  return (['openai-chat', 'claude', 'gemini'] as const)
    .map(
      (format, i) =>
        `  - {name: pool-${format}, type: ${PROVIDER_TYPE[format]}, api_key: k, endpoint: "${faults[format].url}", priority: ${3 - i}, cooldown: 250ms, models: [{name: up-pool, alias: pool}]}\n`,
    )
    .join('');
}

beforeAll(async () => {
  rig = await startFaultRig({
    top: 'timeouts: {connect: 500ms, first_byte: 2s, idle: 2s, total: 20s}\nrequest_retry: 2',
    providers: pool,
  });
});

afterEach(() => clearCooldowns(rig.engine));

afterAll(async () => {
  await rig.stop();
});

/** Each account is cooling down, for a server fault. */
function expectCoolingAsServerFaults(...accounts: string[]): void {
  const cooling = rig.engine.services.engine
    .status()
    .cooldowns.map((c) => [c.account, c.reason.split(':')[0]]);
  expect(cooling).toEqual(expect.arrayContaining(accounts.map((account) => [account, 'server'])));
}

function eachFault(handler: (format: UpstreamFormat) => FaultHandler): void {
  for (const [format, fault] of Object.entries(rig.faults)) fault.use(handler(format as UpstreamFormat));
}

describe('answers that are not what they should be', () => {
  it('truncated stream (clean close before the last event): an error event, never a clean finish', async () => {
    eachFault((format) => async ({ res, write }) => {
      const { head, body } = answerStream(format, PIECES);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of [...head, ...body]) await write(event);
      res.end();
    });
    await Promise.all(
      PAIRS.map(async ([client, upstream]) => {
        const reply = await send(rig.engine.url, client, viaAlias(upstream, client), 'hi', true);
        const seen = expectBrokenStream(client, reply, FULL);
        expect(seen.text).toBe(FULL);
        expect(seen.error).toContain('truncated');
      }),
    );
    await expectStillServing(rig.engine);
  });

  it('text that quotes a format’s own end markers does not pass for the end of a truncated stream', async () => {
    const tricky = ['"finish_reason":"stop" ', '{"type":"message_stop"} ', '"finishReason":"STOP"'];
    eachFault((format) => async ({ res, write }) => {
      const { head, body } = answerStream(format, tricky);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of [...head, ...body]) await write(event);
      res.end();
    });
    await Promise.all(
      PAIRS.map(async ([client, upstream]) => {
        const reply = await send(rig.engine.url, client, viaAlias(upstream, client), 'hi', true);
        expect(expectBrokenStream(client, reply, tricky.join('')).text).toBe(tricky.join(''));
      }),
    );
    await expectStillServing(rig.engine);
  });

  it('Gemini’s streamed JSON array (no alt=sse) cut before its closing bracket ends with an error element', async () => {
    const chunk = (text: string) =>
      JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0 }] });
    rig.faults.gemini.use(async ({ res, write }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      await write(`[${chunk('Hello')}`);
      await write(`,\r\n${chunk(' brave')}`);
      res.end();
    });
    const res = await fetch(
      `${rig.engine.url}/v1beta/models/${viaAlias('gemini', 'gemini')}:streamGenerateContent`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
      },
    );
    const elements = JSON.parse(await res.text()) as Array<Record<string, unknown>>;
    expect(elements).toHaveLength(3);
    expect(elements.at(-1)).toMatchObject({
      error: { code: 502, message: expect.stringContaining('truncated'), status: 'INTERNAL' },
    });
    await expectStillServing(rig.engine);
  });

  it.each([
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>'],
    ['a JSON body cut short', '{"id":"x","choices":[{"index":0,"message":{"role":"assist'],
    ['an empty body', ''],
  ])('a 200 carrying %s: 502 in the client format', async (_name, raw) => {
    eachFault(() => ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(raw);
    });
    await Promise.all(
      PAIRS.map(async ([client, upstream]) => {
        const reply = await send(rig.engine.url, client, viaAlias(upstream, client), 'hi', false);
        expect(expectError(client, reply, 502)).toContain('not valid JSON');
      }),
    );
    await expectStillServing(rig.engine);
  });

  it('a stream event that is not JSON ends a translated stream with an error, not a silent gap', async () => {
    eachFault((format) => async ({ res, write }) => {
      const { head, body, tail } = answerStream(format, PIECES);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const garbled = [
        body[0] ?? '',
        'data: {"candidates":[{"content":{"parts":[{"text":" bra\n\n',
        ...body.slice(2),
      ];
      for (const event of [...head, ...garbled, ...tail]) await write(event);
      res.end();
    });
    await Promise.all(
      PAIRS.filter(([client, upstream]) => client !== upstream).map(async ([client, upstream]) => {
        const reply = await send(rig.engine.url, client, viaAlias(upstream, client), 'hi', true);
        const seen = expectBrokenStream(client, reply, FULL);
        expect(seen.text).toBe(PIECES[0]);
      }),
    );
    await expectStillServing(rig.engine);
  });
});

describe('5xx bursts and 429 storms', () => {
  const burst = (clients = 10) =>
    Promise.all(
      CLIENT_FORMATS.flatMap((client) =>
        Array.from({ length: clients }, async (_, i) => {
          const stream = i % 2 === 0;
          return { client, stream, reply: await send(rig.engine.url, client, 'pool', 'hi', stream) };
        }),
      ),
    );

  it('a 5xx burst from two providers fails over to the third: every client gets the full answer', async () => {
    rig.faults['openai-chat'].use(({ res }) => {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"error":{"message":"boom","type":"server_error"}}');
    });
    rig.faults.claude.use(({ res }) => {
      res
        .writeHead(529, { 'content-type': 'application/json' })
        .end('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
    });
    rig.faults.gemini.use(answer('gemini', PIECES));
    for (const { client, stream, reply } of await burst()) expectAnswer(client, reply, stream, FULL);
    expectCoolingAsServerFaults('pool-openai-chat', 'pool-claude');
    await expectStillServing(rig.engine);
  });

  it('errors sent with status 200 (as aggregators do) fail over like error statuses, never pass for empty answers', async () => {
    const errorIn200 =
      (body: unknown): FaultHandler =>
      ({ res }) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
    rig.faults['openai-chat'].use(errorIn200({ error: { code: 502, message: 'Provider returned error' } }));
    rig.faults.claude.use(
      errorIn200({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    rig.faults.gemini.use(answer('gemini', PIECES));
    for (const { client, stream, reply } of await burst(4)) expectAnswer(client, reply, stream, FULL);
    expectCoolingAsServerFaults('pool-openai-chat', 'pool-claude');

    // With no provider left, each client gets the error, with the status its code names.
    clearCooldowns(rig.engine);
    eachFault(() =>
      errorIn200({ error: { code: 429, message: 'Key limit exceeded', status: 'RESOURCE_EXHAUSTED' } }),
    );
    await Promise.all(
      PAIRS.flatMap(([client, upstream]) =>
        [false, true].map(async (stream) => {
          const reply = await send(rig.engine.url, client, viaAlias(upstream, client, stream), 'hi', stream);
          expect(expectError(client, reply, 429)).toBe('Key limit exceeded');
        }),
      ),
    );
    await expectStillServing(rig.engine);
  });

  it('a 200 whose body is no answer (an HTML page, JSON cut short) fails over before anything reached the client', async () => {
    rig.faults['openai-chat'].use(({ res }) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body>Sign in to the Wi-Fi</body></html>');
    });
    rig.faults.claude.use(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"msg_1","content":[{"type":"te');
    });
    rig.faults.gemini.use(answer('gemini', PIECES));
    for (const { client, stream, reply } of await burst(4)) expectAnswer(client, reply, stream, FULL);
    expectCoolingAsServerFaults('pool-openai-chat', 'pool-claude');
    await expectStillServing(rig.engine);
  });

  it('a 404 about the request, not the model, is passed on without benching the model for 12 hours', async () => {
    const answer404 =
      (message: string, code?: string): FaultHandler =>
      ({ res }) => {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message, code } }));
      };
    const model = viaAlias('openai-chat', 'openai-chat');
    rig.faults['openai-chat'].use(
      answer404('No endpoints found that support tool use. Try disabling "web_search".'),
    );
    expect(
      expectError('openai-chat', await send(rig.engine.url, 'openai-chat', model, 'hi', false), 404),
    ).toContain('support tool use');
    expect(rig.engine.services.engine.status().cooldowns).toEqual([]);

    rig.faults['openai-chat'].use(answer404('The model `up-x` does not exist.', 'model_not_found'));
    await send(rig.engine.url, 'openai-chat', model, 'hi', false);
    expect(rig.engine.services.engine.status().cooldowns.map((c) => c.reason.split(':')[0])).toEqual([
      'not_found',
    ]);
  });

  it('a Gemini 429 that gives its wait in the body (RetryInfo) cools the account exactly that long', async () => {
    rig.faults.gemini.use(({ res }) => {
      res.writeHead(429, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: {
            code: 429,
            message: 'Quota exceeded for generate_content_free_tier_requests.',
            status: 'RESOURCE_EXHAUSTED',
            details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
          },
        }),
      );
    });
    const before = Date.now();
    const reply = await send(rig.engine.url, 'gemini', viaAlias('gemini', 'gemini'), 'hi', false);
    expect(expectError('gemini', reply, 429)).toContain('Quota exceeded');
    const [cooling] = rig.engine.services.engine.status().cooldowns;
    // Not the provider's backoff (250 ms here): the 7 s Google asked for.
    expect(cooling?.until).toBeGreaterThanOrEqual(before + 7_000);
    expect(cooling?.until).toBeLessThan(Date.now() + 7_500);
  });

  it('when every provider answers 5xx, each client gets the upstream error in its own format', async () => {
    eachFault(() => ({ res }) => {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":{"code":503,"message":"The service is unavailable.","status":"UNAVAILABLE"}}');
    });
    for (const { client, reply } of await burst(3)) {
      expect(reply.status === 503 || reply.status === 429, reply.text).toBe(true);
      expectError(client, reply, reply.status);
    }
    await expectStillServing(rig.engine);
  });

  it('a 429 storm: failover while one provider answers, then a clean 429 with Retry-After once all cool down', async () => {
    const rateLimited: FaultHandler = ({ res }) => {
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
        .end('{"error":{"message":"Rate limit reached","type":"rate_limit_error"}}');
    };
    rig.faults['openai-chat'].use(rateLimited);
    rig.faults.claude.use(rateLimited);
    rig.faults.gemini.use(answer('gemini', PIECES));
    for (const { client, stream, reply } of await burst()) expectAnswer(client, reply, stream, FULL);

    rig.faults.gemini.use(rateLimited);
    clearCooldowns(rig.engine);
    for (const { client, reply } of await burst()) {
      expect(reply.status, reply.text).toBe(429);
      expectError(client, reply, 429);
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    for (const client of CLIENT_FORMATS) {
      const reply = await send(rig.engine.url, client, 'pool', 'hi', false);
      const message = expectError(client, reply, 429);
      for (const account of ['pool-openai-chat', 'pool-claude', 'pool-gemini'])
        expect(message).toMatch(new RegExp(`cooling down: .*${account} \\(rate_limit`));
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    await expectStillServing(rig.engine);

    // The storm passes: once Retry-After has elapsed the same accounts serve again.
    eachFault((format) => answer(format, PIECES));
    await pause(1_100);
    for (const client of CLIENT_FORMATS)
      expectAnswer(client, await send(rig.engine.url, client, 'pool', 'hi', true), true, FULL);
  });
});
