import { describe, expect, it } from 'vitest';
import { forwardableAsIs, parseRetryAfterMs, withModel } from './passthrough';

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
    // a byte order mark: the proxy skips it, an upstream may not
    expect(forwardableAsIs(raw('\ufeff{"model":"a"}'))).toBe(false);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads Azure’s retry-after-ms as seconds, and nothing else', () => {
    expect(parseRetryAfterMs('1500')).toBe(1.5);
    expect(parseRetryAfterMs('0')).toBe(0);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs('-1')).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(['1', '2'])).toBeUndefined();
  });
});
