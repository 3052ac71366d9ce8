import { describe, expect, it } from 'vitest';
import { readSse } from './sse';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function collect(parts: string[]) {
  const out = [];
  for await (const message of readSse(chunks(...parts))) out.push(message);
  return out;
}

describe('readSse', () => {
  it('joins events split across reads and handles CRLF, event names, comments and multi-line data', async () => {
    const messages = await collect([
      ': keep-alive\n\nevent: message_start\nda',
      'ta: {"a":1}\n\ndata: line1\r\ndata: line2\r\n\r\n',
      'data: [DONE]\n\n',
    ]);
    expect(messages).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { data: 'line1\nline2' },
      { data: '[DONE]' },
    ]);
  });

  it('delivers a last event that lacks its blank line', async () => {
    expect(await collect(['data: {"x":true}'])).toEqual([{ data: '{"x":true}' }]);
  });

  it('decodes multi-byte characters split between reads', async () => {
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    async function* split() {
      yield bytes.subarray(0, 8);
      yield bytes.subarray(8);
    }
    const out = [];
    for await (const message of readSse(split())) out.push(message.data);
    expect(out).toEqual(['héllo']);
  });
});
