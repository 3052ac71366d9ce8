// Some OpenAI-compatible servers ignore `stream: true` for some models and answer with one JSON
// document. Relayed as a stream, that document is garbage to the client's SSE parser (and a
// translator finds no events in it), so the answer was lost. It is replayed as the client's stream.
import type { ServerResponse } from 'node:http';
import type { RelayResult, RoutedCall } from './call';
import { responseEvents } from './formats/aggregate';
import type { IRResponse } from './formats/ir';
import { codecFor } from './formats/registry';
import { startStream, write } from './respond';
import { badAnswer, readWholeAnswer } from './upstream/answer';
import { type AnswerBody, type UpstreamAnswer, wholeOfChunks } from './upstream/dispatched-answer';

/**
 * Whether a streamed answer's headers leave room for a whole JSON document: not an event stream
 * (Kiro's AWS event stream included). Cheap, so the common case reads nothing ahead.
 */
export function mayBeWholeAnswer(upstream: UpstreamAnswer): boolean {
  const type = upstream.headers['content-type'];
  return typeof type !== 'string' || !/eventstream|event-stream/i.test(type);
}

const OPENING_BRACE = 0x7b;
/** An HTML page (a captive portal, a gateway's error page) is read whole too, to fail as no answer. */
const OPENING_ANGLE = 0x3c;
const isBlank = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * Reads the answer's first bytes: a JSON object there is a whole answer (an SSE line starts with a
 * field name, a Gemini JSON-array stream with `[`), and so is a page, which then fails as no answer
 * before anything reaches the client. The answer comes back with those bytes still in it.
 */
export async function sniffWholeAnswer(
  upstream: UpstreamAnswer,
): Promise<{ whole: boolean; upstream: UpstreamAnswer }> {
  const iterator = upstream.body[Symbol.asyncIterator]();
  const peeked: Buffer[] = [];
  const rest = (whole: boolean, from: AsyncIterator<Buffer>) => ({
    whole,
    upstream: { ...upstream, body: new PeekedBody(peeked, from, upstream.body) },
  });
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      peeked.push(next.value);
      const first = next.value.findIndex((byte) => !isBlank(byte));
      if (first !== -1) {
        const byte = next.value[first];
        return rest(byte === OPENING_BRACE || byte === OPENING_ANGLE, iterator);
      }
    }
    return rest(false, iterator);
  } catch (error) {
    // The answer broke or stalled before saying what it is: the relay reports it as it would have.
    return rest(false, { next: () => Promise.reject(error) });
  }
}

/** A body whose first chunks were read ahead, read on through the same iterator. */
class PeekedBody implements AnswerBody {
  constructor(
    private peeked: Buffer[],
    private readonly rest: AsyncIterator<Buffer>,
    private readonly raw: AnswerBody,
  ) {}

  whole(maxBytes: number): Promise<Buffer> {
    return wholeOfChunks(this, maxBytes);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const peeked = this.peeked;
    this.peeked = [];
    let done = false;
    try {
      yield* peeked;
      for (let next = await this.rest.next(); !next.done; next = await this.rest.next()) yield next.value;
      done = true;
    } finally {
      if (!done) await this.rest.return?.();
    }
  }

  destroy(error?: Error): void {
    this.peeked = [];
    this.raw.destroy(error);
  }

  dump(): Promise<void> {
    this.peeked = [];
    return this.raw.dump();
  }
}

/** Reads the whole answer, then writes it to the client as the stream it asked for. */
export async function relayWholeAsStream(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
  includeUsage: boolean,
): Promise<RelayResult> {
  const { envelope, format } = call.route.descriptor;
  const answer = await readWholeAnswer(upstream.body, codecFor(format).decodeError);
  if (call.signal.aborted) return { status: 200 };
  if ('error' in answer) return { status: answer.error.status, unusable: answer.error };
  let decoded: IRResponse;
  try {
    decoded = codecFor(format).decodeResponse(envelope ? envelope.unwrap(answer.json) : answer.json);
  } catch (error) {
    const failure = badAnswer(
      `a stream was asked for, and the answer is neither a stream nor an answer (${(error as Error).message})`,
    );
    return { status: failure.status, unusable: failure };
  }
  const encoder = codecFor(call.format).createStreamEncoder({
    model: call.model,
    includeUsage,
    sse: call.sse,
  });
  let text = '';
  for (const event of responseEvents(decoded)) text += encoder.push(event);
  text += encoder.end();
  startStream(res, call.format, call.sse);
  try {
    await write(res, text, call.signal);
    res.end();
  } catch {
    if (!call.signal.aborted) res.destroy();
  }
  return { status: 200, usage: decoded.usage };
}
