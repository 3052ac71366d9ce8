import type { ServerResponse } from 'node:http';
import type { RelayResult, RoutedCall } from './call';
import { aggregateEvents } from './formats/aggregate';
import type { IRStreamEvent, SseMessage, StreamDecoder, Usage } from './formats/ir';
import { codecFor } from './formats/registry';
import { sendFormatError, sendJson, startStream, write } from './respond';
import { badAnswer, readWholeAnswer } from './upstream/answer';
import type { UpstreamAnswer } from './upstream/dispatched-answer';
import { describeNetworkError, isTimeout } from './upstream/http';
import { readSse } from './upstream/sse';

/** Upstream answer in another format than the client's: decode to IR, encode for the client. */
export async function relayTranslated(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
  includeUsage: boolean,
): Promise<RelayResult> {
  const upstreamCodec = codecFor(call.route.descriptor.format);
  const envelope = call.route.descriptor.envelope;
  const read = upstreamCodec.readStream ?? readSse;
  const unwrap = (body: unknown) => (envelope ? envelope.unwrap(body) : body);
  const unwrapMessage = (message: SseMessage): SseMessage => {
    if (!envelope) return message;
    try {
      return { ...message, data: JSON.stringify(envelope.unwrap(JSON.parse(message.data))) };
    } catch {
      return message;
    }
  };
  const clientCodec = codecFor(call.format);
  const outcome: RelayResult = { status: 200 };

  if (!call.stream) {
    let decoded: ReturnType<typeof upstreamCodec.decodeResponse>;
    try {
      if (call.route.descriptor.alwaysStreams) {
        const aggregated = await aggregateUpstream(
          upstream,
          upstreamCodec.createStreamDecoder(),
          unwrapMessage,
          read,
        );
        if ('error' in aggregated) {
          sendFormatError(res, call.format, aggregated.error);
          return { ...outcome, status: aggregated.error.status, error: aggregated.error };
        }
        decoded = aggregated;
      } else {
        const answer = await readWholeAnswer(upstream.body);
        if (call.signal.aborted) return outcome;
        if ('error' in answer) {
          sendFormatError(res, call.format, answer.error);
          return { ...outcome, status: answer.error.status, error: answer.error };
        }
        decoded = upstreamCodec.decodeResponse(unwrap(answer.json));
      }
    } catch (error) {
      if (call.signal.aborted) return outcome;
      const failure = badAnswer(`could not read the upstream answer: ${(error as Error).message}`);
      sendFormatError(res, call.format, failure);
      return { ...outcome, status: failure.status, error: failure };
    }
    sendJson(res, 200, clientCodec.encodeResponse(decoded, call.model));
    return { ...outcome, usage: decoded.usage };
  }

  const decoder = upstreamCodec.createStreamDecoder();
  const encoder = clientCodec.createStreamEncoder({ model: call.model, includeUsage, sse: call.sse });
  startStream(res, call.format, call.sse);
  let usage: Usage | undefined;
  // Synchronous unless the client applies backpressure: no promise per event.
  const emit = (events: IRStreamEvent[], from = 0): Promise<void> | undefined => {
    for (let i = from; i < events.length; i++) {
      const event = events[i] as IRStreamEvent;
      if (event.type === 'usage') usage = { ...usage, ...event.usage };
      if (event.type === 'error') outcome.error = event.error;
      const drained = write(res, encoder.push(event), call.signal);
      if (drained) return drained.then(() => emit(events, i + 1));
    }
    return undefined;
  };
  try {
    for await (const message of read(upstream.body)) {
      const drained = emit(decoder.push(unwrapMessage(message)));
      if (drained) await drained;
    }
  } catch (error) {
    // The network broke (not the client): say so in the client's format, never finish cleanly.
    if (call.signal.aborted) return outcome;
    const timedOut = isTimeout(error);
    const message = `The upstream stream broke: ${describeNetworkError(error)}`;
    await emit([
      {
        type: 'error',
        error: { status: timedOut ? 504 : 502, kind: timedOut ? 'timeout' : 'server', message },
      },
    ]);
  }
  try {
    await emit(decoder.end());
    await write(res, encoder.end(), call.signal);
    res.end();
  } catch {
    if (!call.signal.aborted) res.destroy();
  }
  if (usage) outcome.usage = usage;
  return outcome;
}

/** Reads a whole upstream stream and builds the answer (for non-stream clients of stream-only upstreams). */
async function aggregateUpstream(
  upstream: UpstreamAnswer,
  decoder: StreamDecoder,
  unwrapMessage: (message: SseMessage) => SseMessage,
  read: (body: AsyncIterable<Uint8Array>) => AsyncIterable<SseMessage>,
) {
  const events: IRStreamEvent[] = [];
  try {
    for await (const message of read(upstream.body)) events.push(...decoder.push(unwrapMessage(message)));
  } catch (error) {
    events.push({
      type: 'error',
      error: {
        status: 502,
        kind: 'server',
        message: `The upstream stream broke: ${describeNetworkError(error)}`,
      },
    });
  }
  events.push(...decoder.end());
  return aggregateEvents(events);
}
