import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sse } from '../json';
import { plainTextDelta, textDeltaEvent } from './text-delta';

const event = (index: number, text: string) =>
  JSON.stringify({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });

/** What the general path reads from the same text, in plainTextDelta's terms. */
function parsed(data: string) {
  try {
    const value = JSON.parse(data);
    return { index: value.index, text: value.delta.text };
  } catch {
    return undefined;
  }
}

describe('plainTextDelta', () => {
  it('reads the text and index of the compact event the API sends, escapes resolved', () => {
    expect(plainTextDelta(event(0, 'Hello'))).toEqual({ index: 0, text: 'Hello' });
    expect(plainTextDelta(event(12, 'a "quoted"\nline\t\\ é 😀 \u2028'))).toEqual({
      index: 12,
      text: 'a "quoted"\nline\t\\ é 😀 \u2028',
    });
    expect(plainTextDelta(event(3, ''))).toEqual({ index: 3, text: '' });
  });

  it('agrees with JSON.parse on any text and index', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.string({ unit: 'binary' }), (index, text) => {
        const data = event(index, text);
        expect(plainTextDelta(data)).toEqual(parsed(data));
      }),
    );
  });

  it('leaves every other shape to the general path', () => {
    for (const data of [
      '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"x"}}',
      '{"type": "content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}',
      '{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","extra":1}}',
      '{"type":"content_block_delta","index":01,"delta":{"type":"text_delta","text":"x"}}',
      '{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"x"}}',
    ])
      expect(plainTextDelta(data)).toBeUndefined();
  });

  it('never accepts what JSON.parse rejects', () => {
    for (const text of ['bad \\x escape', 'raw\ncontrol', 'unfinished \\u12', 'trailing \\']) {
      const data = `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${text}"}}`;
      expect(parsed(data)).toBeUndefined();
      expect(plainTextDelta(data)).toBeUndefined();
    }
  });

  it('never disagrees with JSON.parse on any mutation of a real event', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.nat(200),
        fc.nat(4),
        fc.string({ maxLength: 3 }),
        (text, at, cut, insert) => {
          const base = event(0, text);
          const position = Math.min(at, base.length);
          const data = base.slice(0, position) + insert + base.slice(position + cut);
          const fast = plainTextDelta(data);
          if (fast !== undefined) expect(fast).toEqual(parsed(data));
        },
      ),
    );
  });

  it('writes text and thinking deltas exactly as the general encoder does, and reads its own text back', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.string({ unit: 'binary' }), (index, text) => {
        const written = textDeltaEvent(index, 'text', text);
        expect(written).toBe(
          sse(
            { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
            'content_block_delta',
          ),
        );
        expect(textDeltaEvent(index, 'thinking', text)).toBe(
          sse(
            { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: text } },
            'content_block_delta',
          ),
        );
        const data = written.slice(written.indexOf('data: ') + 6, -2);
        expect(plainTextDelta(data)).toEqual({ index, text });
      }),
    );
  });
});
