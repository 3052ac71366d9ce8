import { createParser } from 'eventsource-parser';
import type { SseMessage } from '../formats/ir';
import { Utf8StreamDecoder } from './utf8-stream';

/** Reads server-sent events from a byte stream: framing across reads, CRLF, multi-line data, comments. */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const pending: SseMessage[] = [];
  const parser = createParser({
    onEvent(event) {
      pending.push(event.event ? { event: event.event, data: event.data } : { data: event.data });
    },
  });
  const decoder = new Utf8StreamDecoder();
  for await (const chunk of body) {
    parser.feed(decoder.write(chunk));
    while (pending.length > 0) yield pending.shift() as SseMessage;
  }
  parser.feed(`${decoder.end()}\n\n`);
  while (pending.length > 0) yield pending.shift() as SseMessage;
}
