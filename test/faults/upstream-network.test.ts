import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';
import {
  clearCooldowns,
  expectStillServing,
  FAST_TIMEOUTS,
  type FaultRig,
  PAIRS,
  startFaultRig,
  viaAlias,
} from './helpers';
import {
  answer,
  answerBody,
  answerStream,
  pause,
  providerEntry,
  refusedUrl,
  startResettingUpstream,
} from './upstream';
import { CLIENT_FORMATS, expectAnswer, expectBrokenStream, expectError, send } from './wire';

const PIECES = ['Hello', ' brave', ' new', ' world'];
const FULL = PIECES.join('');

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig();
});

afterEach(() => clearCooldowns(rig.engine));

afterAll(async () => {
  await rig.stop();
});

describe('upstream that cannot be reached', () => {
  let engine: TestEngine;
  let backup: MockUpstream;
  let resetting: Awaited<ReturnType<typeof startResettingUpstream>>;

  beforeAll(async () => {
    backup = await startMockOpenAI({ acceptBearer: () => true });
    resetting = await startResettingUpstream();
    const refused = await refusedUrl();
    engine = await startTestEngine(
      `${FAST_TIMEOUTS}\nrouting_strategy: fill_first\nrequest_retry: 2\nproviders:\n` +
        providerEntry({
          name: 'refused',
          format: 'openai-chat',
          url: refused,
          model: 'r',
          alias: 'refused',
        }) +
        providerEntry({ name: 'reset', format: 'claude', url: resetting.url, model: 'x', alias: 'reset' }) +
        providerEntry({
          name: 'refused-first',
          format: 'gemini',
          url: refused,
          model: 'r',
          alias: 'm',
          extra: 'priority: 2',
        }) +
        providerEntry({
          name: 'reset-next',
          format: 'openai-chat',
          url: resetting.url,
          model: 'x',
          alias: 'm',
          extra: 'priority: 1',
        }) +
        providerEntry({
          name: 'backup',
          format: 'openai-chat',
          url: backup.url,
          model: 'gpt-4o-mini',
          alias: 'm',
        }) +
        providerEntry({
          name: 'ok',
          format: 'openai-chat',
          url: backup.url,
          model: 'gpt-4o-mini',
          alias: 'ok',
        }),
    );
  });

  afterEach(() => clearCooldowns(engine));

  afterAll(async () => {
    await engine.stop();
    await backup.close();
    await resetting.close();
  });

  it.each(CLIENT_FORMATS)('connection refused: %s client gets 502 in its format', async (format) => {
    for (const stream of [false, true]) {
      clearCooldowns(engine);
      const reply = await send(engine.url, format, 'refused', 'hi', stream);
      expect(expectError(format, reply, 502)).toContain('ECONNREFUSED');
    }
    // The refusing account now cools down: a clean 429 in the same format, not a hang.
    const again = await send(engine.url, format, 'refused', 'hi', false);
    expect(expectError(format, again, 429)).toContain('cooling down');
    await expectStillServing(engine);
  });

  it.each(CLIENT_FORMATS)('reset before headers: %s client gets 502 in its format', async (format) => {
    const before = resetting.resets;
    for (const stream of [false, true]) {
      clearCooldowns(engine);
      const reply = await send(engine.url, format, 'reset', 'hi', stream);
      expect(expectError(format, reply, 502)).toMatch(/ECONNRESET|socket|closed/i);
    }
    // Each request is sent once more on another connection (closed on arrival), then given up.
    expect(resetting.resets).toBe(before + 4);
    await expectStillServing(engine);
  });

  it('a pooled connection the upstream closed while idle is not a failure: sent again, no cooldown', async () => {
    // The race a server that closes idle connections without saying so loses now and then, made
    // certain: every connection serves one answer, then closes as the next request arrives.
    const served = new WeakSet<object>();
    let closedOnArrival = 0;
    rig.faults['openai-chat'].use(({ req, res }) => {
      if (served.has(req.socket)) {
        closedOnArrival++;
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answerBody('openai-chat', FULL)));
    });
    for (let i = 0; i < 6; i++) {
      const reply = await send(
        rig.engine.url,
        'openai-chat',
        viaAlias('openai-chat', 'openai-chat'),
        'hi',
        false,
      );
      expectAnswer('openai-chat', reply, false, FULL);
    }
    expect(closedOnArrival).toBeGreaterThanOrEqual(5);
    expect(rig.engine.services.engine.status().cooldowns).toEqual([]);
  });

  it.each(CLIENT_FORMATS)(
    'refused, then reset, then a healthy account: %s client gets the answer',
    async (format) => {
      const reply = await send(engine.url, format, 'm', 'fail over', true);
      expectAnswer(format, reply, true, 'Echo: fail over');
      const cooling = engine.services.engine
        .status()
        .cooldowns.map((c) => [c.account, c.reason.split(':')[0]]);
      expect(cooling).toEqual(
        expect.arrayContaining([
          ['refused-first', 'network'],
          ['reset-next', 'network'],
        ]),
      );
    },
  );
});

describe('upstream that breaks or stalls mid-answer', () => {
  it('reset mid-stream: every client gets the pieces sent so far, then its error event', async () => {
    for (const [format, fault] of Object.entries(rig.faults)) {
      const { head, body } = answerStream(format as keyof typeof rig.faults, PIECES);
      fault.use(async ({ request, res, write }) => {
        res.writeHead(200, { 'content-type': request.stream ? 'text/event-stream' : 'application/json' });
        if (request.stream) for (const event of [...head, ...body.slice(0, 2)]) await write(event);
        else await write(JSON.stringify(answerBody(format as keyof typeof rig.faults, FULL)).slice(0, 60));
        await pause(20);
        res.socket?.destroy();
      });
    }
    await Promise.all(
      PAIRS.flatMap(([client, upstream]) => [
        send(rig.engine.url, client, viaAlias(upstream, client, true), 'hi', true).then((streamed) => {
          expect(expectBrokenStream(client, streamed, FULL).text).toBe(PIECES.slice(0, 2).join(''));
        }),
        send(rig.engine.url, client, viaAlias(upstream, client), 'hi', false).then((whole) => {
          expect(expectError(client, whole, 502)).toContain('broke off');
        }),
      ]),
    );
    await expectStillServing(rig.engine);
  });

  it('a connection that breaks right after the answer’s last event loses nothing: a clean finish, no cooldown', async () => {
    for (const dropDone of [false, true]) {
      for (const format of ['openai-chat', 'claude', 'gemini'] as const) {
        rig.faults[format].use(async ({ res, write, signal }) => {
          const { head, body, tail } = answerStream(format, PIECES);
          // Without [DONE], an OpenAI stream is complete once its finish_reason came.
          const last = dropDone && format === 'openai-chat' ? tail.slice(0, -1) : tail;
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          for (const event of [...head, ...body, ...last]) await write(event);
          await pause(20, signal);
          res.socket?.destroy(); // no chunked terminator: the body does not end, the connection does
        });
      }
      // A same-format relay passes on what the upstream sent, [DONE] or not.
      const pairs = PAIRS.filter(([c, u]) => !(dropDone && c === 'openai-chat' && u === 'openai-chat'));
      await Promise.all(
        pairs.map(async ([client, upstream]) => {
          const reply = await send(rig.engine.url, client, viaAlias(upstream, client, true), 'hi', true);
          expectAnswer(client, reply, true, FULL);
        }),
      );
      expect(rig.engine.services.engine.status().cooldowns).toEqual([]);
    }
  });

  it('stall before the first byte: a timeout error in the client format, and the upstream call is dropped', async () => {
    for (const fault of Object.values(rig.faults)) fault.use(({ signal }) => pause(10_000, signal));
    const started = Date.now();
    await Promise.all(
      PAIRS.flatMap(([client, upstream]) =>
        [false, true].map(async (stream) => {
          const reply = await send(rig.engine.url, client, viaAlias(upstream, client, stream), 'hi', stream);
          expect(expectError(client, reply, 504)).toContain('first-byte timeout');
        }),
      ),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await pause(100);
    for (const fault of Object.values(rig.faults)) {
      expect(fault.requests.filter((r) => r.abortedAt === undefined && r.receivedAt >= started)).toEqual([]);
    }
    await expectStillServing(rig.engine);
  });

  it('stall between chunks: the pieces so far, then an idle-timeout error event', async () => {
    for (const [format, fault] of Object.entries(rig.faults)) {
      const { head, body } = answerStream(format as keyof typeof rig.faults, PIECES);
      fault.use(async ({ request, res, write, signal }) => {
        res.writeHead(200, { 'content-type': request.stream ? 'text/event-stream' : 'application/json' });
        if (request.stream) for (const event of [...head, body[0] ?? '']) await write(event);
        else await write('{"id":');
        await pause(10_000, signal);
      });
    }
    const started = Date.now();
    await Promise.all(
      PAIRS.flatMap(([client, upstream]) => [
        send(rig.engine.url, client, viaAlias(upstream, client, true), 'hi', true).then((streamed) => {
          const seen = expectBrokenStream(client, streamed, FULL);
          expect(seen.text).toBe(PIECES[0]);
          expect(seen.error).toContain('idle');
        }),
        send(rig.engine.url, client, viaAlias(upstream, client), 'hi', false).then((whole) => {
          expect(expectError(client, whole, 504)).toContain('idle');
        }),
      ]),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await expectStillServing(rig.engine);
  });

  it('a slow but steady upstream (gaps of 100 ms, idle timeout 400 ms) is not cut off', async () => {
    for (const [format, fault] of Object.entries(rig.faults)) {
      const { head, body, tail } = answerStream(format as keyof typeof rig.faults, PIECES);
      fault.use(async ({ res, write, signal }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const event of [...head, ...body, ...tail]) {
          await write(event);
          await pause(100, signal);
        }
        res.end();
      });
    }
    await Promise.all(
      PAIRS.map(async ([client, upstream]) => {
        const reply = await send(rig.engine.url, client, viaAlias(upstream, client), 'hi', true);
        expectAnswer(client, reply, true, FULL);
      }),
    );
  });

  it('the same faults leave a later healthy answer from the same upstream intact', async () => {
    for (const [format, fault] of Object.entries(rig.faults))
      fault.use(answer(format as keyof typeof rig.faults, PIECES));
    await Promise.all(
      PAIRS.flatMap(([client, upstream]) =>
        [false, true].map(async (stream) => {
          const reply = await send(rig.engine.url, client, viaAlias(upstream, client), 'hi', stream);
          expectAnswer(client, reply, stream, FULL);
        }),
      ),
    );
  });
});
