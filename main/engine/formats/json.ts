import { FormatError, type JsonObject, type JsonValue } from './ir';

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One field of a value that may not be an object (undefined then). */
export function field(value: unknown, name: string): unknown {
  return isObj(value) ? value[name] : undefined;
}

/** The body as an object, or a 400 naming what it is instead. */
export function expectObj(value: unknown, param: string): Obj {
  if (!isObj(value)) throw new FormatError(`${param}: expected an object`, param);
  return value;
}

export function expectArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) throw new FormatError(`${param}: expected an array`, param);
  return value;
}

/**
 * A text field of an upstream answer (an id, a name, a piece of text): a string, or a number as
 * written; anything else (absent, null, an object an odd server put there) is `fallback`. Never
 * "[object Object]", and never a throw on an object whose toString is not a function.
 */
export function answerText(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}

/**
 * JSON held by an upstream answer field that should be JSON text (tool arguments, a tool's input):
 * the text as sent, an object serialized (some compatible servers send one), anything else empty.
 */
export function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  return isObj(value) ? JSON.stringify(value) : '';
}

export function optString(value: unknown, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FormatError(`${param}: expected a string`, param);
  return value;
}

/** A list of strings (stop sequences): each entry checked, so a wrong one is named, not coerced. */
export function optStringArray(value: unknown, param: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return expectArray(value, param).map((item, i) => {
    if (typeof item !== 'string')
      throw new FormatError(`${param}[${i}]: expected a string`, `${param}[${i}]`);
    return item;
  });
}

export function optNumber(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new FormatError(`${param}: expected a number`, param);
  return value;
}

export function optBool(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new FormatError(`${param}: expected true or false`, param);
  return value;
}

/** Tool arguments as an object: invalid or empty JSON becomes `{}` (upstreams need an object). */
export function argsObject(json: string): JsonObject {
  if (json.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return isObj(parsed) ? (parsed as JsonObject) : { value: parsed as JsonValue };
  } catch {
    return {};
  }
}

export function asJsonObject(value: unknown): JsonObject {
  return (isObj(value) ? value : {}) as JsonObject;
}

/** `data:<mime>;base64,<data>` → its parts, or undefined for other URLs. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  return { mediaType: match[1] ?? 'application/octet-stream', data: match[2] ?? '' };
}

export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}
