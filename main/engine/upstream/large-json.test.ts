import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyLarge } from './large-json';

const long = (fill: string) => fill.repeat(Math.ceil((70 * 1024) / fill.length));

describe('stringifyLarge', () => {
  it('writes exactly what JSON.stringify writes, with long strings spliced in', () => {
    const body = {
      model: 'claude',
      messages: [
        { role: 'user', content: [{ type: 'text', text: `Summarize: ${long('x')}` }] },
        { role: 'assistant', content: 'short' },
        { role: 'user', content: long('ab') },
      ],
      skipped: undefined,
      list: [undefined, 1, Number.NaN, long('é')],
    };
    expect(stringifyLarge(body)).toBe(JSON.stringify(body));
  });

  it('leaves long strings that need escaping to JSON.stringify', () => {
    for (const text of [long('a"b'), long('a\\b'), long('line\n'), long('\u0000'), `${long('x')}\ud800`])
      expect(stringifyLarge({ text })).toBe(JSON.stringify({ text }));
  });

  it('falls back when the body itself holds a marker’s text', () => {
    const body = { a: long('y'), b: '\u0001cliproxy-long-string-0', c: [long('z')] };
    expect(stringifyLarge(body)).toBe(JSON.stringify(body));
  });

  it('agrees with JSON.stringify on any JSON value with long strings mixed in', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'binary', maxLength: 4 }).map((s) => long(s || 'q')),
      fc.constantFrom('\u0001cliproxy-long-string-0', '\u0001cliproxy-long-string-1'),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(stringifyLarge(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 60 },
    );
  });
});
