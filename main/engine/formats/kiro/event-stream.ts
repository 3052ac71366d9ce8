import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { MessageReader, SseMessage } from '../ir';

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
export class EventStreamReader implements MessageReader {
  finished = false;
  private buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): SseMessage[] {
    if (this.finished) return [];
    let joined = chunk;
    if (this.buffer.length > 0) {
      joined = new Uint8Array(this.buffer.length + chunk.length);
      joined.set(this.buffer);
      joined.set(chunk, this.buffer.length);
    }
    const { messages, rest, ended } = framesIn(joined);
    // A partial frame is kept as a copy: the reader's chunk is not ours to hold on to.
    this.buffer = rest.length > 0 && joined === chunk ? rest.slice() : rest;
    this.finished = ended;
    return messages;
  }

  end(): SseMessage[] {
    if (this.finished || this.buffer.length === 0) return [];
    this.finished = true;
    return [exception('the stream ended inside an event-stream frame (truncated)')];
  }
}

/** The whole frames at the start of `buffer`; `ended` once a frame was corrupt or an exception. */
function framesIn(buffer: Uint8Array): { messages: SseMessage[]; rest: Uint8Array; ended: boolean } {
  const messages: SseMessage[] = [];
  let rest = buffer;
  while (rest.length >= 4) {
    const total = new DataView(rest.buffer, rest.byteOffset, 4).getUint32(0);
    if (total < 16) {
      messages.push(exception('a malformed event-stream frame (length too small)'));
      return { messages, rest, ended: true };
    }
    if (rest.length < total) break;
    const frame = rest.subarray(0, total);
    rest = rest.subarray(total);
    let message: ReturnType<EventStreamCodec['decode']>;
    try {
      message = codec.decode(frame);
    } catch (error) {
      messages.push(exception(`a corrupted event-stream frame (${(error as Error).message})`));
      return { messages, rest, ended: true };
    }
    const kind = header(message, ':message-type') ?? 'event';
    const data = toUtf8(message.body);
    if (kind === 'event') messages.push({ event: header(message, ':event-type') ?? 'unknown', data });
    else {
      const type = header(message, ':exception-type') ?? header(message, ':error-code') ?? 'exception';
      messages.push({ event: 'exception', data: JSON.stringify({ type, message: messageOf(data) }) });
      return { messages, rest, ended: true };
    }
  }
  return { messages, rest, ended: false };
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
