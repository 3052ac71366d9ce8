import { once } from 'node:events';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteServer, startRouteServer } from '../../../test/helpers/route-server';
import { BrokenEncoding } from './content-decoding';
import { AnswerTooLarge } from './dispatched-answer';
import { callUpstream, closeUpstreams } from './http';

const closed = new Map<string, Promise<boolean>>();
let server: RouteServer;
let routes: RouteServer['routes'];

beforeAll(async () => {
  server = await startRouteServer((req, res) => {
    // Whether the answer was cut off by the proxy before it was all written.
    closed.set(
      req.url ?? '',
      once(res, 'close').then(() => !res.writableFinished),
    );
  });
  routes = server.routes;
});

afterAll(async () => {
  await closeUpstreams();
  await server.close();
});

const call = (path: string) =>
  callUpstream({ url: `${server.origin}${path}`, headers: {}, signal: new AbortController().signal });

const TEXT = 'data: {"text":"héllo 🌍"}\n\n'.repeat(200);
const ENCODERS: Record<string, (input: string | Buffer) => Buffer> = {
  gzip: zlib.gzipSync,
  deflate: zlib.deflateSync,
  br: zlib.brotliCompressSync,
  zstd: zlib.zstdCompressSync,
};

describe('an upstream that encodes its answer', () => {
  for (const [encoding, encode] of Object.entries(ENCODERS)) {
    it(`${encoding}: read whole or in chunks, the body is the plain text and the encoding headers are gone`, async () => {
      const encoded = encode(TEXT);
      routes.set(`/${encoding}`, (_req, res) => {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'content-encoding': encoding.toUpperCase(),
          'content-length': encoded.length,
        });
        res.end(encoded);
      });
      const whole = await call(`/${encoding}`);
      expect(whole.headers['content-encoding']).toBeUndefined();
      expect(whole.headers['content-length']).toBeUndefined();
      expect(whole.headers['content-type']).toBe('text/event-stream');
      expect((await whole.body.whole(1 << 20)).toString('utf8')).toBe(TEXT);

      const chunked = await call(`/${encoding}`);
      const chunks: Buffer[] = [];
      for await (const chunk of chunked.body) chunks.push(chunk);
      expect(Buffer.concat(chunks).toString('utf8')).toBe(TEXT);
    });
  }

  it('a stream reaches the reader piece by piece as the upstream flushes, not at its end', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    routes.set('/flushed', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      const gzip = zlib.createGzip();
      gzip.pipe(res);
      gzip.write('data: first\n\n');
      gzip.flush(async () => {
        await released; // the rest only once the reader has the first event
        gzip.end('data: last\n\n');
      });
    });
    const answer = await call('/flushed');
    const iterator = answer.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.toString()).toBe('data: first\n\n');
    release();
    let rest = '';
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      rest += next.value.toString();
    expect(rest).toBe('data: last\n\n');
  });

  it('identity leaves the answer as it came, its length included', async () => {
    routes.set('/identity', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'identity', 'content-length': 5 }).end('plain');
    });
    const answer = await call('/identity');
    expect(answer.headers['content-length']).toBe('5');
    expect((await answer.body.whole(100)).toString()).toBe('plain');
  });

  it('a body that is not what its encoding says is a clear error, whole or streamed', async () => {
    routes.set('/corrupt', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end('{"not":"gzip"}');
    });
    await expect((await call('/corrupt')).body.whole(1000)).rejects.toThrow(
      /the answer's gzip encoding is broken \(incorrect header check\)/,
    );
    const streamed = await call('/corrupt');
    await expect(async () => {
      for await (const _ of streamed.body);
    }).rejects.toBeInstanceOf(BrokenEncoding);
  });

  it('an encoding zlib cannot read is named in the error', async () => {
    routes.set('/compress', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'compress' }).end('\x1f\x9d...');
    });
    await expect((await call('/compress')).body.whole(1000)).rejects.toThrow(
      'the answer is in a content encoding the proxy cannot read (compress)',
    );
    const streamed = await call('/compress');
    await expect(async () => {
      for await (const _ of streamed.body);
    }).rejects.toThrow(/cannot read \(compress\)/);
  });

  it('a small answer that inflates past the cap is refused whole, and read in chunks only as fast as the reader', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(100 * 1024 * 1024, 32), { level: 1 }); // about 450 KB on the wire
    routes.set('/bomb', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
    });
    await expect((await call('/bomb')).body.whole(1024 * 1024)).rejects.toBeInstanceOf(AnswerTooLarge);

    const before = process.memoryUsage().arrayBuffers;
    const streamed = await call('/bomb');
    let read = 0;
    for await (const chunk of streamed.body) {
      read += chunk.length;
      if (read > 1024 * 1024) break;
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('a connection that breaks mid-answer is reported as the network failure it is', async () => {
    routes.set('/reset', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/event-stream' });
      const gzip = zlib.createGzip();
      gzip.pipe(res);
      gzip.write('data: first\n\n');
      gzip.flush(() => setTimeout(() => res.socket?.destroy(), 20));
    });
    const answer = await call('/reset');
    let received = '';
    const failure = await (async () => {
      try {
        for await (const chunk of answer.body) received += chunk.toString();
      } catch (error) {
        return error;
      }
    })();
    expect(received).toBe('data: first\n\n');
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(BrokenEncoding);
  });

  it('a body destroyed for a reason (the total timeout) reports that reason, not a broken encoding', async () => {
    routes.set('/slow', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      const gzip = zlib.createGzip();
      gzip.pipe(res);
      gzip.write('data: first\n\n');
      gzip.flush();
      res.on('close', () => gzip.destroy());
    });
    const answer = await call('/slow');
    const timeout = Object.assign(new Error('the request took longer than the total timeout'), {
      name: 'TimeoutError',
    });
    const failure = (async () => {
      for await (const _ of answer.body) answer.body.destroy(timeout);
    })();
    await expect(failure).rejects.toBe(timeout);
  });

  it('a reader that stops early drops the upstream connection', async () => {
    routes.set('/endless', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      const gzip = zlib.createGzip();
      gzip.pipe(res);
      const timer = setInterval(() => {
        gzip.write('data: more\n\n');
        gzip.flush();
      }, 5);
      res.on('close', () => clearInterval(timer));
    });
    const answer = await call('/endless');
    for await (const _ of answer.body) break;
    expect(await closed.get('/endless')).toBe(true);
  });
});
