import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteServer, startRouteServer } from '../../../test/helpers/route-server';
import { AnswerAbandoned, AnswerTooLarge, dispatchAnswer } from './dispatched-answer';

const sockets = new Set<Socket>();
let server: RouteServer;
let routes: RouteServer['routes'];
let origin: string;
const agent = new Agent({ keepAliveTimeout: 5_000 });

beforeAll(async () => {
  server = await startRouteServer((req) => {
    sockets.add(req.socket);
  });
  ({ routes, origin } = server);
});

afterAll(async () => {
  await agent.close();
  await server.close();
});

function call(path: string, signal?: AbortSignal, through: Agent = agent) {
  return dispatchAnswer(through, { origin, path, method: 'GET', headers: {} }, signal);
}

/** Writes `count` chunks of `size` bytes, each after the previous one drained; resolves on finish or close. */
function writeChunks(res: ServerResponse, count: number, size: number) {
  const outcome = { written: 0, blocked: 0, closedEarly: false };
  const done = new Promise<typeof outcome>((resolve) => {
    const next = () => {
      while (outcome.written < count) {
        outcome.written++;
        if (!res.write(Buffer.alloc(size, 97))) {
          outcome.blocked++;
          res.once('drain', next);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => {
      outcome.closedEarly = !res.writableFinished;
      resolve(outcome);
    });
    res.writeHead(200, { 'content-type': 'text/plain', 'x-test': 'yes' });
    next();
  });
  return Object.assign(done, { progress: outcome });
}

describe('dispatchAnswer', () => {
  it('reads a whole answer with its status and headers', async () => {
    routes.set('/whole', (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 10);
    });
    const answer = await call('/whole');
    expect(answer.statusCode).toBe(201);
    expect(answer.headers['content-type']).toBe('application/json');
    expect((await answer.body.whole(1024)).toString()).toBe('{"a":1}');
  });

  it('gives up on an answer larger than asked for and drops its connection', async () => {
    let finished: Promise<{ closedEarly: boolean }> | undefined;
    routes.set('/large', (_req, res) => {
      finished = writeChunks(res, 1024, 16 * 1024); // 16 MB: more than the socket buffers hold
    });
    const answer = await call('/large');
    await expect(answer.body.whole(100 * 1024)).rejects.toBeInstanceOf(AnswerTooLarge);
    expect((await finished)?.closedEarly).toBe(true);
  });

  it('yields chunks in order, holding the upstream back while nobody reads', async () => {
    let finished: ReturnType<typeof writeChunks> | undefined;
    routes.set('/stream', (_req, res) => {
      finished = writeChunks(res, 1024, 16 * 1024); // 16 MB, far beyond every buffer on the way
    });
    const answer = await call('/stream');
    expect(answer.headers['x-test']).toBe('yes');
    await new Promise((resolve) => setTimeout(resolve, 200)); // nobody reads yet
    expect(finished?.progress.written).toBeLessThan(1024 / 2);
    let size = 0;
    for await (const chunk of answer.body) size += chunk.length;
    expect(size).toBe(1024 * 16 * 1024);
    const outcome = await finished;
    expect(outcome?.written).toBe(1024);
    expect(outcome?.blocked).toBeGreaterThan(0);
  });

  it('stops the upstream when the reader breaks out of its loop', async () => {
    let finished: Promise<{ closedEarly: boolean }> | undefined;
    routes.set('/break', (_req, res) => {
      finished = writeChunks(res, 256, 16 * 1024);
    });
    const answer = await call('/break');
    for await (const _chunk of answer.body) break;
    expect((await finished)?.closedEarly).toBe(true);
    await expect(answer.body.whole(1 << 30)).rejects.toBeInstanceOf(AnswerAbandoned);
  });

  it('fails with the abort reason before and after the headers', async () => {
    routes.set('/never', () => {});
    const before = new AbortController();
    const pending = call('/never', before.signal);
    setTimeout(() => before.abort(new Error('client left')), 20);
    await expect(pending).rejects.toThrow('client left');

    routes.set('/trickle', (_req, res) => {
      res.writeHead(200);
      res.write('first');
    });
    const after = new AbortController();
    const answer = await call('/trickle', after.signal);
    const reader = answer.body[Symbol.asyncIterator]();
    expect((await reader.next()).value?.toString()).toBe('first');
    const second = reader.next();
    after.abort(new Error('client left mid-answer'));
    await expect(second).rejects.toThrow('client left mid-answer');
  });

  it('passes a reason given to destroy to whoever reads', async () => {
    routes.set('/stall', (_req, res) => {
      res.writeHead(200);
      res.write('{');
    });
    const answer = await call('/stall');
    const whole = answer.body.whole(1024);
    const timeout = new Error('total timeout');
    answer.body.destroy(timeout);
    await expect(whole).rejects.toBe(timeout);
  });

  it('dumps a small answer and keeps its connection for the next call', async () => {
    const seen: Socket[] = [];
    routes.set('/small', (req, res) => {
      seen.push(req.socket);
      res.end('x'.repeat(1000));
    });
    const single = new Agent({ connections: 1 });
    try {
      const first = await call('/small', undefined, single);
      await first.body.dump();
      const second = await call('/small', undefined, single);
      await second.body.dump();
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(seen[1]);
    } finally {
      await single.close();
    }
  });
});
