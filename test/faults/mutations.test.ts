import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, type FormatId } from '../../main/engine/formats/ir';
import { codecFor } from '../../main/engine/formats/registry';
import { requestOf } from './arbitraries';
import { pathsOf, stackHead, withValueAt } from './json-paths';
import { CLIENT_FORMATS } from './wire';

// The fuzz suite draws one mutation at random per run; type confusion in a single field needed 40x
// its runs to show. Here every value of a few valid requests of each client format is replaced, one
// at a time, by each of a fixed set of wrong values, so no field goes untried.

/** Every format the engine encodes requests into (Kiro is upstream only). */
const TARGETS: FormatId[] = ['openai-chat', 'openai-responses', 'claude', 'gemini', 'kiro'];

const WRONG_VALUES: unknown[] = [
  ...[
    '{"toString":false}',
    '{"valueOf":{},"toString":{}}',
    '{"__proto__":{"type":"text","text":"x"}}',
    '{"constructor":null,"hasOwnProperty":1}',
  ].map((json) => JSON.parse(json) as unknown),
  null,
  0,
  -1,
  1e308,
  '',
  'x',
  true,
  [],
  [null],
  {},
  [{}],
  { type: 'text' },
];

describe.each(CLIENT_FORMATS)('every field of a %s request, given a wrong value', (format) => {
  it('decodes to IR or a 400 FormatError, then encodes for every target or refuses with one, never coercing an object to text', () => {
    const problems: string[] = [];
    let tried = 0;
    for (const sample of fc.sample(requestOf(format, 'full'), { numRuns: 6, seed: 20261207 })) {
      for (const path of pathsOf(sample)) {
        for (const value of WRONG_VALUES) {
          tried++;
          const where = `${path.join('.')} = ${JSON.stringify(value)}`;
          let ir: ReturnType<ReturnType<typeof codecFor>['decodeRequest']>;
          try {
            ir = codecFor(format).decodeRequest(withValueAt(sample, path, value), {
              model: 'm',
              stream: false,
            });
          } catch (error) {
            if (!(error instanceof FormatError)) problems.push(`decode ${where}: ${stackHead(error)}`);
            continue;
          }
          for (const target of TARGETS) {
            try {
              const text = JSON.stringify(codecFor(target).encodeRequest({ ...ir, model: 'm' }));
              if (text.includes('[object Object]'))
                problems.push(`→ ${target} ${where}: an object became text`);
            } catch (error) {
              if (!(error instanceof FormatError)) problems.push(`→ ${target} ${where}: ${stackHead(error)}`);
            }
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  }, 60_000);
});
