import { describe, expect, it } from 'vitest';
import { carriesUsage, endsAnswer, forwardableAsIs, withModel } from './passthrough';

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

describe('forwarding the client’s bytes as they are', () => {
  const raw = (text: string) => Buffer.from(text);

  it('keeps the body object when the model does not change', () => {
    const body = { model: 'gpt-4o', messages: [] };
    expect(withModel('openai-chat', body, 'gpt-4o')).toBe(body);
    expect(withModel('openai-chat', body, 'gpt-4o-mini')).toEqual({ model: 'gpt-4o-mini', messages: [] });
  });

  it('only when no parser could find another model in them', () => {
    expect(
      forwardableAsIs(raw('{"model":"a","messages":[{"role":"user","content":"hi \\"model\\""}]}')),
    ).toBe(true);
    expect(forwardableAsIs(raw('{"contents":[]}'))).toBe(true);
    // a duplicate key: a first-wins parser upstream would read "b", the proxy routed by "a"
    expect(forwardableAsIs(raw('{"model":"b","model":"a"}'))).toBe(false);
    // an escaped key spells "model" without the literal
    expect(forwardableAsIs(raw('{"mod\\u0065l":"b","model":"a"}'))).toBe(false);
    // a tool schema with a property named model: not worth telling apart
    expect(forwardableAsIs(raw('{"model":"a","tools":[{"parameters":{"properties":{"model":{}}}}]}'))).toBe(
      false,
    );
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
