import type { ServerResponse } from 'node:http';
import type { RelayResult, RoutedCall } from './call';
import { aggregateEvents } from './formats/aggregate';
import type { IRStreamEvent, MessageReader, SseMessage, StreamDecoder, Usage } from './formats/ir';
import { codecFor } from './formats/registry';
import { sendJson, startStream, write } from './respond';
import { badAnswer, readWholeAnswer, streamBroke } from './upstream/answer';
import type { UpstreamAnswer } from './upstream/dispatched-answer';
import { SseReader } from './upstream/sse';

/** Upstream answer in another format than the client's: decode to IR, encode for the client. */
export async function relayTranslated(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
  includeUsage: boolean,
): Promise<RelayResult> {
  const upstreamCodec = codecFor(call.route.descriptor.format);
  const envelope = call.route.descriptor.envelope;
  const readMessages = () => upstreamCodec.createMessageReader?.() ?? new SseReader();
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
          readMessages(),
        );
        if ('error' in aggregated) return { status: aggregated.error.status, unusable: aggregated.error };
        decoded = aggregated;
      } else {
        const answer = await readWholeAnswer(upstream.body, upstreamCodec.decodeError);
        if (call.signal.aborted) return outcome;
        if ('error' in answer) return { status: answer.error.status, unusable: answer.error };
        decoded = upstreamCodec.decodeResponse(unwrap(answer.json));
      }
    } catch (error) {
      if (call.signal.aborted) return outcome;
      const failure = badAnswer(`could not read the upstream answer: ${(error as Error).message}`);
      return { status: failure.status, unusable: failure };
    }
    sendJson(res, 200, clientCodec.encodeResponse(decoded, call.model));
    return { ...outcome, usage: decoded.usage };
  }

  const decoder = upstreamCodec.createStreamDecoder();
  const encoder = clientCodec.createStreamEncoder({ model: call.model, includeUsage, sse: call.sse });
  startStream(res, call.format, call.sse);
  let usage: Usage | undefined;
  // The events of one upstream read are encoded into one piece of text and written once: no
  // promise and no write per event, and the client's backpressure is honoured per read.
  let text = '';
  let finished = false;
  const encode = (events: IRStreamEvent[]): void => {
    for (const event of events) {
      if (event.type === 'usage') usage = { ...usage, ...event.usage };
      if (event.type === 'finish') finished = true;
      if (event.type === 'error') outcome.error = event.error;
      text += encoder.push(event);
    }
  };
  const flush = (): Promise<unknown> | undefined => {
    const piece = text;
    text = '';
    return write(res, piece, call.signal);
  };
  const reader = readMessages();
  let broke: unknown;
  try {
    for await (const chunk of upstream.body) {
      for (const message of reader.push(chunk)) encode(decoder.push(unwrapMessage(message)));
      if (reader.finished) break;
      const drained = flush();
      if (drained) await drained;
    }
    for (const message of reader.end()) encode(decoder.push(unwrapMessage(message)));
  } catch (error) {
    if (call.signal.aborted) return outcome;
    broke = error;
  }
  try {
    const last = decoder.end();
    // The network broke (not the client): say so in the client's format, never finish cleanly. But
    // a connection that breaks after the answer's last event (a server that closes without ending
    // the body) has lost nothing: the answer is complete.
    if (broke !== undefined && !finished && !last.some((event) => event.type === 'finish'))
      encode([{ type: 'error', error: streamBroke(broke) }]);
    else encode(last);
    text += encoder.end();
    await flush();
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
  reader: MessageReader,
) {
  const events: IRStreamEvent[] = [];
  const take = (messages: SseMessage[]) => {
    for (const message of messages) events.push(...decoder.push(unwrapMessage(message)));
  };
  try {
    for await (const chunk of upstream.body) {
      take(reader.push(chunk));
      if (reader.finished) break;
    }
    take(reader.end());
  } catch (error) {
    events.push({ type: 'error', error: streamBroke(error) });
  }
  events.push(...decoder.end());
  return aggregateEvents(events);
}
