import { describe, expect, it } from 'vitest';
import { SseReader } from './sse';

/** Feeds each part as one read; returns the messages each read completed, then the end's. */
function readsOf(...parts: (string | Uint8Array)[]) {
  const reader = new SseReader();
  const reads = parts.map((part) =>
    reader.push(typeof part === 'string' ? new TextEncoder().encode(part) : part),
  );
  return [...reads, reader.end()];
}

describe('SseReader', () => {
  it('joins events split across reads and handles CRLF, event names, comments and multi-line data', () => {
    const messages = readsOf(
      ': keep-alive\n\nevent: message_start\nda',
      'ta: {"a":1}\n\ndata: line1\r\ndata: line2\r\n\r\n',
      'data: [DONE]\n\n',
    ).flat();
    expect(messages).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { data: 'line1\nline2' },
      { data: '[DONE]' },
    ]);
  });

  it('delivers a last event that lacks its blank line at the end', () => {
    expect(readsOf('data: {"x":true}')).toEqual([[], [{ data: '{"x":true}' }]]);
  });

  it('decodes multi-byte characters split between reads', () => {
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    const messages = readsOf(bytes.subarray(0, 8), bytes.subarray(8)).flat();
    expect(messages.map((m) => m.data)).toEqual(['héllo']);
  });

  it('returns the events each read completed together, and none for a read that completed none', () => {
    const reads = readsOf('data: 1\n\ndata: 2\n\ndata: 3', '\n\n', ': ping\n\n', 'data: 4\n\n');
    expect(reads.map((messages) => messages.map((m) => m.data))).toEqual([['1', '2'], ['3'], [], ['4'], []]);
  });

  it('never hands out an array it fills later', () => {
    const reader = new SseReader();
    const none = reader.push(new TextEncoder().encode('data: 1'));
    reader.push(new TextEncoder().encode('\n\n'));
    expect(none).toEqual([]);
  });
});
