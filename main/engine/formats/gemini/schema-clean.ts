import { FormatError, type JsonObject, type JsonValue } from '../ir';

/**
 * The most schema nodes one request's tools may expand to. Inlining $refs can grow a schema
 * exponentially (each definition naming the next one twice doubles it): 25 such definitions, a
 * 1 KB request, would build 2^25 nodes and hold the event loop for minutes. Real tool sets stay far
 * below this.
 */
export const MAX_SCHEMA_NODES = 100_000;

/** What is left of one request's node budget, shared by its tools. */
export interface SchemaBudget {
  nodes: number;
}

/** Keywords Gemini's function-declaration schema subset rejects (see WIRE.md). */
const DROP = new Set([
  '$schema',
  '$id',
  '$comment',
  'additionalProperties',
  'propertyNames',
  'patternProperties',
  'unevaluatedProperties',
  'dependencies',
  'dependentSchemas',
  'dependentRequired',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'if',
  'then',
  'else',
  'examples',
  'default',
  'contentEncoding',
  'contentMediaType',
  'readOnly',
  'writeOnly',
  'deprecated',
  'strict',
]);
const STRING_FORMATS = new Set(['enum', 'date-time']);

type Defs = Record<string, JsonValue>;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function spend(budget: SchemaBudget): void {
  if (--budget.nodes < 0)
    throw new FormatError(
      `tools: the tool schemas expand to more than ${MAX_SCHEMA_NODES} nodes once their $refs are inlined (Gemini takes no $ref)`,
      'tools',
    );
}

function resolveRef(ref: string, defs: Defs): JsonValue | undefined {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  return match?.[1] ? defs[decodeURIComponent(match[1])] : undefined;
}

function clean(node: JsonValue, defs: Defs, seen: Set<string>, budget: SchemaBudget): JsonValue {
  if (Array.isArray(node)) {
    spend(budget);
    return node.map((item) => clean(item, defs, seen, budget));
  }
  if (!isObject(node)) return node;
  spend(budget);
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    // A recursive schema cannot be inlined; an open object is the honest approximation.
    if (seen.has(ref)) return { type: 'object' };
    const target = resolveRef(ref, defs);
    if (target === undefined) return { type: 'object' };
    return clean(target, defs, new Set([...seen, ref]), budget);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key) || key === '$defs' || key === 'definitions') continue;
    if (key === 'const') {
      out.enum = [value];
      continue;
    }
    if (key === 'format' && node.type === 'string' && typeof value === 'string' && !STRING_FORMATS.has(value))
      continue;
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      out.type = types[0] ?? 'string';
      if (types.length < value.length) out.nullable = true;
      continue;
    }
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, clean(schema, defs, seen, budget)]),
      );
      continue;
    }
    out[key] = clean(value, defs, seen, budget);
  }
  return out;
}

/** A JSON Schema reduced to what Gemini's functionDeclarations accept: refs inlined, rejected keywords gone. */
export function cleanSchemaForGemini(
  schema: JsonObject,
  budget: SchemaBudget = { nodes: MAX_SCHEMA_NODES },
): JsonObject {
  const defs: Defs = {
    ...(isObject(schema.definitions) ? schema.definitions : {}),
    ...(isObject(schema.$defs) ? schema.$defs : {}),
  };
  const cleaned = clean(schema, defs, new Set(), budget);
  return isObject(cleaned) ? cleaned : { type: 'object' };
}
