import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { MessageReader, SseMessage } from '../formats/ir';
import { Utf8StreamDecoder } from './utf8-stream';

const NONE: SseMessage[] = Object.freeze([]) as unknown as SseMessage[];

/** Reads server-sent events from a byte stream: framing across reads, CRLF, multi-line data, comments. */
export class SseReader implements MessageReader {
  readonly finished = false;
  private pending: SseMessage[] = [];
  private readonly decoder = new Utf8StreamDecoder();
  private readonly parser: EventSourceParser = createParser({
    onEvent: (event) => {
      this.pending.push(event.event ? { event: event.event, data: event.data } : { data: event.data });
    },
  });

  push(chunk: Uint8Array): SseMessage[] {
    this.parser.feed(this.decoder.write(chunk));
    return this.take();
  }

  end(): SseMessage[] {
    this.parser.feed(`${this.decoder.end()}\n\n`);
    return this.take();
  }

  private take(): SseMessage[] {
    const messages = this.pending;
    if (messages.length === 0) return NONE;
    this.pending = [];
    return messages;
  }
}
