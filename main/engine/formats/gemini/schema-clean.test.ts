import { describe, expect, it } from 'vitest';
import { FormatError, type JsonObject } from '../ir';
import { cleanSchemaForGemini, MAX_SCHEMA_NODES } from './schema-clean';

/** `levels` definitions, each naming the next twice: 2^levels nodes once inlined, from a few hundred bytes. */
function doubling(levels: number): JsonObject {
  const defs: JsonObject = { [`D${levels}`]: { type: 'string' } };
  for (let i = 0; i < levels; i++)
    defs[`D${i}`] = {
      type: 'object',
      properties: { a: { $ref: `#/$defs/D${i + 1}` }, b: { $ref: `#/$defs/D${i + 1}` } },
    };
  return { $ref: '#/$defs/D0', $defs: defs };
}

describe('cleanSchemaForGemini', () => {
  it('inlines $refs and drops what Gemini rejects', () => {
    const cleaned = cleanSchemaForGemini({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: { unit: { $ref: '#/$defs/Unit' }, when: { type: ['string', 'null'], format: 'date-time' } },
      $defs: { Unit: { type: 'string', enum: ['c', 'f'] } },
    });
    expect(cleaned).toEqual({
      type: 'object',
      properties: {
        unit: { type: 'string', enum: ['c', 'f'] },
        when: { type: 'string', nullable: true, format: 'date-time' },
      },
    });
  });

  it('inlines a schema whose refs double at every level while it stays under the budget', () => {
    expect(JSON.stringify(cleanSchemaForGemini(doubling(10))).length).toBeGreaterThan(10_000);
  });

  it('refuses with a 400 one whose refs would expand past the budget, at once, instead of building it', () => {
    const started = performance.now();
    let thrown: unknown;
    try {
      cleanSchemaForGemini(doubling(40)); // 2^40 nodes from about 3 KB
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FormatError);
    expect((thrown as FormatError).status).toBe(400);
    expect((thrown as FormatError).message).toContain(String(MAX_SCHEMA_NODES));
    // the budget stops it after MAX_SCHEMA_NODES nodes; building 2^40 would never return
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('shares one budget across the tools of a request', () => {
    const one = { nodes: MAX_SCHEMA_NODES };
    cleanSchemaForGemini(doubling(12), one);
    const perTool = MAX_SCHEMA_NODES - one.nodes;
    const fits = Math.floor(MAX_SCHEMA_NODES / perTool);
    const shared = { nodes: MAX_SCHEMA_NODES };
    for (let i = 0; i < fits; i++) cleanSchemaForGemini(doubling(12), shared); // each alone is fine
    expect(() => cleanSchemaForGemini(doubling(12), shared)).toThrow(FormatError);
  });
});
