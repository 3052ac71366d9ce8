import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormatId } from './formats/ir';
import { carriesUsage, endsAnswer, streamTap } from './stream-tap';

describe('endsAnswer', () => {
  it('knows each format’s last events', () => {
    expect(endsAnswer('openai-chat', { data: '{"choices":[{"delta":{},"finish_reason":"stop"}]}' })).toBe(
      true,
    );
    expect(endsAnswer('openai-chat', { data: '{"choices":[{"delta":{},"finish_reason":null}]}' })).toBe(
      false,
    );
    expect(endsAnswer('openai-chat', { data: '{"error":{"message":"boom"}}' })).toBe(true);
    expect(endsAnswer('claude', { event: 'message_stop', data: '{"type":"message_stop"}' })).toBe(true);
    expect(endsAnswer('claude', { event: 'content_block_delta', data: '{}' })).toBe(false);
    expect(
      endsAnswer('openai-responses', { data: '{"sequence_number":9,"type":"response.completed"}' }),
    ).toBe(true);
    expect(endsAnswer('gemini', { data: '{"candidates":[{"finishReason":"STOP"}]}' })).toBe(true);
  });

  it('is not fooled by the same words inside the text of an answer', () => {
    const text = (t: string) => JSON.stringify({ type: 'content_block_delta', delta: { text: t } });
    expect(endsAnswer('claude', { data: text('"type":"message_stop"') })).toBe(false);
    expect(
      endsAnswer('openai-chat', {
        data: JSON.stringify({ choices: [{ delta: { content: '"finish_reason":"stop"' } }] }),
      }),
    ).toBe(false);
    expect(
      endsAnswer('gemini', {
        data: JSON.stringify({ candidates: [{ content: { parts: [{ text: '"finishReason":' }] } }] }),
      }),
    ).toBe(false);
  });
});

describe('carriesUsage', () => {
  it('picks the events that hold usage in each format', () => {
    expect(carriesUsage('{"choices":[],"usage":{"prompt_tokens":3}}')).toBe(true);
    expect(carriesUsage('{"type":"message_delta","usage": {"output_tokens":9}}')).toBe(true);
    expect(carriesUsage('{"type":"response.completed","response":{"usage":{"input_tokens":1}}}')).toBe(true);
    expect(carriesUsage('{"candidates":[],"usageMetadata":{"promptTokenCount":2}}')).toBe(true);
  });

  it('skips OpenAI’s "usage":null chunks and text that only mentions a message', () => {
    expect(carriesUsage('{"choices":[{"delta":{"content":"hi"}}],"usage":null}')).toBe(false);
    expect(carriesUsage('{"choices":[{"delta":{"content":"your message"}}]}')).toBe(false);
  });
});

type Event = { event?: string; data: unknown };

const words = fc.array(
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('"finish_reason":"stop"', '"usage":{', 'héllo 世界 🙂', '\n\n', 'message_stop'),
  ),
  { maxLength: 30 },
);

/** Streams shaped as each upstream sends them: what accounting needs at the start and the end. */
const shapes: Record<'openai-chat' | 'claude' | 'openai-responses' | 'gemini', (texts: string[]) => Event[]> =
  {
    'openai-chat': (texts) => [
      { data: { id: 'c1', choices: [{ index: 0, delta: { role: 'assistant' } }], usage: null } },
      ...texts.map((t) => ({
        data: { id: 'c1', choices: [{ index: 0, delta: { content: t } }], usage: null },
      })),
      { data: { id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null } },
      { data: { id: 'c1', choices: [], usage: { prompt_tokens: 7, completion_tokens: texts.length } } },
      { data: '[DONE]' },
    ],
    claude: (texts) => [
      {
        event: 'message_start',
        data: { type: 'message_start', message: { id: 'm', usage: { input_tokens: 11, output_tokens: 1 } } },
      },
      {
        event: 'content_block_start',
        data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      },
      { event: 'ping', data: { type: 'ping' } },
      ...texts.map((t) => ({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } },
      })),
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      {
        event: 'message_delta',
        data: {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn' },
          usage: { output_tokens: texts.length },
        },
      },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ],
    'openai-responses': (texts) => [
      { event: 'response.created', data: { type: 'response.created', response: { id: 'r', usage: null } } },
      ...texts.map((t) => ({
        event: 'response.output_text.delta',
        data: { type: 'response.output_text.delta', delta: t },
      })),
      {
        event: 'response.completed',
        // the whole answer again: this last event can be far larger than any read
        data: {
          type: 'response.completed',
          response: {
            id: 'r',
            output: [
              { type: 'message', content: [{ type: 'output_text', text: texts.join('').repeat(20) }] },
            ],
            usage: { input_tokens: 5, output_tokens: texts.length, total_tokens: 5 + texts.length },
          },
        },
      },
    ],
    gemini: (texts) =>
      texts.map((t, i) => ({
        data: {
          candidates: [
            {
              content: { parts: [{ text: t }] },
              ...(i === texts.length - 1 ? { finishReason: 'STOP' } : {}),
            },
          ],
          usageMetadata: { promptTokenCount: 3, candidatesTokenCount: i + 1, totalTokenCount: i + 4 },
        },
      })),
  };

const streams = Object.entries(shapes).map(([format, shape]) =>
  words.map((texts) => ({ format: format as FormatId, events: shape(texts) })),
);

function serialize(events: Event[], lineEnd: string): Buffer {
  const text = events
    .map(({ event, data }) => {
      const body = typeof data === 'string' ? data : JSON.stringify(data);
      return `${event ? `event: ${event}${lineEnd}` : ''}data: ${body}${lineEnd}${lineEnd}`;
    })
    .join('');
  return Buffer.from(text);
}

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const at of [...points, bytes.length]) {
    if (at > from) chunks.push(bytes.subarray(from, at));
    from = Math.max(from, at);
  }
  return chunks;
}

function tapOf(format: FormatId, chunks: Buffer[]) {
  const tap = streamTap(format, true);
  for (const chunk of chunks) tap.feed(chunk);
  return { usage: tap.usage(), complete: tap.complete() };
}

/** Where each event ends in the serialized stream: reads as an upstream writing whole events sends them. */
function eventEnds(events: Event[], lineEnd: string): number[] {
  let at = 0;
  return events.map((e) => (at += serialize([e], lineEnd).length));
}

describe('streamTap', () => {
  it('reads the same usage and ending from any reads as from the whole stream parsed at once', () => {
    fc.assert(
      fc.property(
        fc.oneof(...streams),
        fc.constantFrom('\n', '\r\n'),
        fc.option(fc.nat()),
        fc.oneof(fc.constant('per event' as const), fc.array(fc.nat(), { maxLength: 60 })),
        ({ format, events }, lineEnd, cut, split) => {
          const full = serialize(events, lineEnd);
          const bytes = cut === null ? full : full.subarray(0, cut % (full.length + 1));
          const chunks = splitAt(bytes, split === 'per event' ? eventEnds(events, lineEnd) : split);
          expect(tapOf(format, chunks)).toEqual(tapOf(format, [bytes]));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('finds the usage at both ends of a long stream read event by event, and sees one cut short', () => {
    const texts = Array.from({ length: 50 }, (_, i) => `word ${i} `);
    const expected = {
      'openai-chat': { inputTokens: 7, outputTokens: 50 },
      claude: { inputTokens: 11, outputTokens: 50 },
      'openai-responses': { inputTokens: 5, outputTokens: 50 },
      gemini: { inputTokens: 3, outputTokens: 50 },
    };
    for (const [format, shape] of Object.entries(shapes) as [
      keyof typeof shapes,
      (t: string[]) => Event[],
    ][]) {
      const lineEnd = format === 'gemini' ? '\r\n' : '\n';
      const events = shape(texts);
      const read = (list: Event[]) =>
        tapOf(
          format,
          list.map((e) => serialize([e], lineEnd)),
        );
      const finished = read(events);
      expect(finished.complete, format).toBe(true);
      expect(finished.usage, format).toMatchObject(expected[format]);
      // OpenAI's answer ends with its finish_reason chunk; the usage chunk and [DONE] follow it
      const cutShort = read(events.slice(0, format === 'openai-chat' ? -3 : -1));
      expect(cutShort.complete, format).toBe(false);
    }
  });

  it('parses a stream whose blank lines it cannot find (bare CR line ends) whole', () => {
    const events = shapes['openai-chat'](Array.from({ length: 12000 }, (_, i) => `word ${i} `));
    const bytes = serialize(events, '\r');
    const reads = splitAt(bytes, eventEnds(events, '\r'));
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const result = tapOf('openai-chat', reads);
    expect(result).toEqual({
      usage: expect.objectContaining({ inputTokens: 7, outputTokens: 12000 }),
      complete: true,
    });
  });
});
