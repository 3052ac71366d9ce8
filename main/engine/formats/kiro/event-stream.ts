import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { SseMessage } from '../ir';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function header(message: ReturnType<EventStreamCodec['decode']>, name: string): string | undefined {
  const value = message.headers[name];
  return value && value.type === 'string' ? value.value : undefined;
}

/**
 * AWS event-stream frames (4-byte total length, 4-byte headers length, prelude CRC, headers,
 * payload, message CRC) → one message each, named by `:event-type`. Frames are CRC-checked by
 * @smithy/eventstream-codec; a corrupt or cut frame becomes an `exception` message and ends the read.
 */
export async function* readEventStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  let buffer = new Uint8Array(0);
  for await (const chunk of body) {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    buffer = joined;
    while (buffer.length >= 4) {
      const total = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0);
      if (total < 16) {
        yield exception('a malformed event-stream frame (length too small)');
        return;
      }
      if (buffer.length < total) break;
      const frame = buffer.subarray(0, total);
      buffer = buffer.subarray(total);
      let message: ReturnType<EventStreamCodec['decode']>;
      try {
        message = codec.decode(frame);
      } catch (error) {
        yield exception(`a corrupted event-stream frame (${(error as Error).message})`);
        return;
      }
      const kind = header(message, ':message-type') ?? 'event';
      const data = toUtf8(message.body);
      if (kind === 'event') yield { event: header(message, ':event-type') ?? 'unknown', data };
      else {
        const type = header(message, ':exception-type') ?? header(message, ':error-code') ?? 'exception';
        yield { event: 'exception', data: JSON.stringify({ type, message: messageOf(data) }) };
        return;
      }
    }
  }
  if (buffer.length > 0) yield exception('the stream ended inside an event-stream frame (truncated)');
}

function exception(message: string): SseMessage {
  return { event: 'exception', data: JSON.stringify({ type: 'StreamError', message }) };
}

function messageOf(data: string): string {
  try {
    const parsed = JSON.parse(data) as { message?: unknown; Message?: unknown };
    return String(parsed.message ?? parsed.Message ?? data);
  } catch {
    return data;
  }
}
