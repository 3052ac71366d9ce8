// Answers that are right but arrive in an unusual shape on the wire: compressed although the proxy
// asked for no encoding, split at any byte, framed with CRLF, comments and ids. Each must reach
// every client whole; a compressed body that does not decode must be a clear error.
import type { ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearCooldowns, expectStillServing, type FaultRig, PAIRS, startFaultRig, viaAlias } from './helpers';
import { answerBody, answerStream, type FaultHandler } from './upstream';
import { expectAnswer, expectBrokenStream, expectError, readStream, send, type UpstreamFormat } from './wire';

// Two- and four-byte characters, so a split inside one is possible wherever the bytes are cut.
const PIECES = ['hé', 'llo 🌍', ' 世界', ' end'];
const FULL = PIECES.join('');

let rig: FaultRig;
beforeAll(async () => {
  rig = await startFaultRig({ top: 'timeouts: {connect: 500ms, first_byte: 2s, idle: 2s, total: 20s}' });
});
afterEach(() => clearCooldowns(rig.engine));
afterAll(() => rig.stop());

function eachFault(handler: (format: UpstreamFormat) => FaultHandler): void {
  for (const [format, fault] of Object.entries(rig.faults)) fault.use(handler(format as UpstreamFormat));
}

/** The full answer as one JSON document. */
function answerWhole(res: ServerResponse, format: UpstreamFormat): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answerBody(format, FULL)));
}

/** Every pair, streamed and not, must get the full answer. */
async function expectEveryPairServed(): Promise<void> {
  await Promise.all(
    PAIRS.flatMap(([client, upstream]) =>
      [false, true].map(async (stream) => {
        const reply = await send(rig.engine.url, client, viaAlias(upstream, client, stream), 'hi', stream);
        expectAnswer(client, reply, stream, FULL);
      }),
    ),
  );
}

const STREAM_ENCODERS: Record<
  string,
  () => zlib.Gzip | zlib.Deflate | zlib.BrotliCompress | zlib.ZstdCompress
> = {
  gzip: () => zlib.createGzip(),
  deflate: () => zlib.createDeflate(),
  br: () => zlib.createBrotliCompress(),
  zstd: () => zlib.createZstdCompress(),
};

describe('answers compressed although no encoding was asked for', () => {
  it.each(Object.keys(STREAM_ENCODERS))(
    '%s: every client gets the full answer, streamed and not',
    async (encoding) => {
      eachFault((format) => async ({ request, res }) => {
        res.writeHead(200, {
          'content-type': request.stream ? 'text/event-stream' : 'application/json',
          'content-encoding': encoding,
        });
        const encoder = (STREAM_ENCODERS[encoding] as () => zlib.Gzip)();
        encoder.pipe(res);
        if (!request.stream) {
          encoder.end(JSON.stringify(answerBody(format, FULL)));
          return;
        }
        // Each event flushed on its own, as a compressing server streams: decoded as it comes.
        const { head, body, tail } = answerStream(format, PIECES);
        for (const event of [...head, ...body, ...tail]) {
          encoder.write(event);
          await new Promise<void>((resolve) => encoder.flush(() => resolve()));
        }
        encoder.end();
      });
      await expectEveryPairServed();
    },
  );

  it('a body that does not decode: 502 naming the encoding, or the stream’s error event', async () => {
    eachFault((format) => async ({ request, res }) => {
      res.writeHead(200, {
        'content-type': request.stream ? 'text/event-stream' : 'application/json',
        'content-encoding': 'gzip',
      });
      // A valid start, then bytes that are not deflate data.
      const good = zlib.gzipSync(
        request.stream
          ? answerStream(format, PIECES).body.join('')
          : JSON.stringify(answerBody(format, FULL)),
      );
      res.end(Buffer.concat([good.subarray(0, 12), Buffer.from('this is not deflate data at all')]));
    });
    await Promise.all(
      PAIRS.flatMap(([client, upstream]) =>
        [false, true].map(async (stream) => {
          const reply = await send(rig.engine.url, client, viaAlias(upstream, client, stream), 'hi', stream);
          if (!stream) expect(expectError(client, reply, 502)).toContain('gzip encoding is broken');
          else expect(expectBrokenStream(client, reply, FULL).error).toContain('gzip encoding is broken');
        }),
      ),
    );
    await expectStillServing(rig.engine);
  });
});

describe('framing an SSE parser must take in its stride', () => {
  it('every byte in its own read, splitting lines and UTF-8 characters', async () => {
    eachFault((format) => async ({ request, res, write }) => {
      const whole = request.stream
        ? (({ head, body, tail }) => [...head, ...body, ...tail].join(''))(answerStream(format, PIECES))
        : JSON.stringify(answerBody(format, FULL));
      res.writeHead(200, { 'content-type': request.stream ? 'text/event-stream' : 'application/json' });
      const bytes = Buffer.from(whole);
      for (let i = 0; i < bytes.length; i++) await write(bytes.subarray(i, i + 1));
      res.end();
    });
    await expectEveryPairServed();
  });

  it('CRLF line ends, comments, ids, retry fields and "data:" without its space', async () => {
    eachFault((format) => async ({ request, res, write }) => {
      if (!request.stream) return answerWhole(res, format);
      const { head, body, tail } = answerStream(format, PIECES);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      await write(': OPENROUTER PROCESSING\r\n\r\nretry: 3000\r\n\r\n');
      for (const [i, event] of [...head, ...body, ...tail].entries()) {
        const framed = `: keep-alive\nid: ${i}\n${event.replace(/^data: /m, 'data:')}`;
        await write(framed.replace(/\r?\n/g, '\r\n'));
      }
      res.end();
    });
    await expectEveryPairServed();
  });
});

describe('a stream asked for, an answer in another shape', () => {
  it('one JSON document (the server ignored `stream: true`): every client gets it as its stream', async () => {
    eachFault(
      (format) =>
        ({ res }) =>
          answerWhole(res, format),
    );
    await expectEveryPairServed();
    await expectStillServing(rig.engine);
  });

  it('the replayed stream carries usage when the client asked for it', async () => {
    rig.faults['openai-chat'].use(({ res }) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answerBody('openai-chat', FULL)));
    });
    const res = await fetch(`${rig.engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: viaAlias('openai-chat', 'openai-chat', true),
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    const text = await res.text();
    expect(readStream('openai-chat', text)).toMatchObject({ text: FULL, finished: true });
    expect(text).toContain('"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8');
  });

  it('an event stream labelled application/json, or not labelled at all, is still relayed as one', async () => {
    for (const contentType of ['application/json', undefined]) {
      eachFault((format) => async ({ request, res, write }) => {
        if (!request.stream) return answerWhole(res, format);
        const { head, body, tail } = answerStream(format, PIECES);
        res.writeHead(200, contentType ? { 'content-type': contentType } : {});
        await write('\n');
        for (const event of [...head, ...body, ...tail]) await write(event);
        res.end();
      });
      await expectEveryPairServed();
    }
  });
});
