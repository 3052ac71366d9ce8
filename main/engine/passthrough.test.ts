import { describe, expect, it } from 'vitest';
import { endsAnswer } from './passthrough';

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
